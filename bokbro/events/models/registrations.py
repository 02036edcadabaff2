"""Registrations, and how many places each library holds on an event."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokbro.core import limits
from bokbro.directory.models import Library, Municipality
from bokbro.events.models.events import Event


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    # A seat held until the person confirms with the link in the mail (Event.confirm_by_email).
    HELD = "held", _("Waiting for e-mail confirmation")
    PENDING_APPROVAL = "pending", _("Awaiting the library manager")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a seat")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Not confirmed in time")


# Registrations in these states hold a seat (and a place in the library's quota).
SEAT_HOLDING = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.HELD,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.OFFERED,
)


ACTIVE = (*SEAT_HOLDING, RegistrationStatus.WAITING)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> RegistrationQuerySet:
        return self.filter(status__in=ACTIVE)

    def holding_seats(self) -> RegistrationQuerySet:
        return self.filter(status__in=SEAT_HOLDING)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.WAITING).order_by("waiting_position")

    def status_counts(self) -> dict[str, int]:
        """How many registrations are in each status (every status present, zero or more)."""
        counts = dict.fromkeys(RegistrationStatus.values, 0)
        for row in self.values("status").annotate(n=models.Count("pk")).order_by():
            counts[row["status"]] = row["n"]
        return counts

    def for_list(self) -> RegistrationQuerySet:
        return self.select_related("library", "library__municipality", "user", "certificate")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    library = models.ForeignKey(
        Library,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("library"),
    )
    organisation = models.CharField(
        _("workplace"),
        max_length=200,
        blank=True,
        help_text=_("If you do not work at a library in the list."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    # Whether this registration holds a seat in the counters (kept in step with status).
    holds_seat = models.BooleanField(default=False, editable=False)
    # The group whose kept seats this registration's seat counts on (None: an open seat).
    seat_pool = models.ForeignKey(
        "SeatPool",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    waiting_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set while the address is not confirmed (a held seat, or a place in the waiting list):
    # the place lapses at this moment unless the person confirms (services/places.py).
    hold_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    accepted_binding_terms = models.BooleanField(default=False)
    language = models.CharField(max_length=5, default="nb")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    anonymised = models.BooleanField(default=False)
    # The outbox: the kind of e-mail still to send about this registration (its confirmation
    # or waiting-list notice), written with the registration and emptied once the mail is
    # queued for delivery (mails.notices_send). Empty: nothing pending.
    notice = models.CharField(max_length=20, blank=True, default="", editable=False)
    # A mail to the address could not be delivered because of the address: the mail server
    # refused the recipient, or the address cannot be written in a message (core/mail/
    # addresses.py). When, and the server's answer (without the address); shown to the
    # organiser on the participant list.
    address_refused_at = models.DateTimeField(null=True, blank=True, editable=False)
    address_refusal = models.CharField(max_length=300, blank=True, default="", editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per person and event, also under double clicks.
            models.UniqueConstraint(
                "event",
                models.functions.Lower("email"),
                condition=Q(status__in=["confirmed", "held", "pending", "waiting", "offered"]),
                name="registration_one_active_per_email",
                violation_error_message=_("This e-mail address is already registered."),
            ),
            models.UniqueConstraint(
                fields=["event", "waiting_position"],
                condition=Q(status="waiting"),
                name="registration_unique_waiting_position",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(
                fields=["hold_expires_at"],
                condition=Q(hold_expires_at__isnull=False),
                name="registration_hold_pending",
            ),
            models.Index(
                fields=["event"], condition=~Q(notice=""), name="registration_notice_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:registration", args=[self.token])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def awaits_email_confirmation(self) -> bool:
        return self.hold_expires_at is not None and self.status in ACTIVE


class LibraryQuotaUse(models.Model):
    """How many places a library holds on an event, against the quota copied onto the row."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quota_uses")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    quota = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "library"], name="quota_use_unique"),
            models.CheckConstraint(
                condition=Q(taken__lte=models.F("quota")), name="quota_use_within_quota"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library_id}: {self.taken}/{self.quota}"


class SeatPool(models.Model):
    """Seats of an event kept for a group: the libraries of some municipalities, or named
    libraries ("30 seats for Fredrikstad, 30 for Sarpsborg"). Until the event's
    `group_seats_until` a group's unused seats are for its own libraries only; the other seats
    are open to everyone (also to a group's people once their group is full). From that moment
    every unused seat is open to all. `taken` counts the seats held by the group's people, under
    the event's row lock (services/seats.py, registration_sql.py)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seat_pools")
    name = models.CharField(_("group"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("seats kept"), validators=limits.between(*limits.CAPACITY)
    )
    taken = models.PositiveIntegerField(default=0, editable=False)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    libraries = models.ManyToManyField(
        Library, blank=True, related_name="+", verbose_name=_("libraries")
    )

    class Meta:
        verbose_name = _("group with kept seats")
        verbose_name_plural = _("groups with kept seats")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=models.F("capacity")), name="seat_pool_within_capacity"
            ),
            limits.within("seat_pool_capacity_in_range", capacity=limits.CAPACITY),
            models.UniqueConstraint(fields=["event", "name"], name="seat_pool_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.taken, 0)


class SessionPlaceStatus(models.TextChoices):
    SEAT = "seat", _("Seat in the session")
    WAITING = "waiting", _("On the session's waiting list")
    # Chosen while the registration is on the event's waiting list: placed when it gets a seat.
    CHOSEN = "chosen", _("Chosen, placed when you get a seat")


class SessionPlaceQuerySet(models.QuerySet["SessionPlace"]):
    def for_list(self) -> SessionPlaceQuerySet:
        return self.select_related("session", "registration", "registration__library").order_by(
            "session__starts_at", "session_id", "status", "waiting_position", "created_at", "pk"
        )


class SessionPlace(models.Model):
    """A registration's choice of an elective session (`Session.capacity`): a seat in it, a
    place on its waiting list, or — while the registration itself waits for a seat on the
    event — only the choice. Changed under the event's row lock (services/session_seats.py)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="session_places"
    )
    session = models.ForeignKey(
        "Session", on_delete=models.CASCADE, related_name="places", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=10, choices=SessionPlaceStatus.choices)
    # Arrival order on the session's waiting list (never renumbered).
    waiting_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionPlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place in a session")
        verbose_name_plural = _("places in sessions")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="session_place_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "waiting_position"],
                condition=Q(status="waiting"),
                name="session_place_unique_waiting_position",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.registration_id} – {self.session_id}: {self.status}"
