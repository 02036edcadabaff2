"""Events: courses, course series, conferences, network meetings, fairs, webinars, study trips.

Seat accounting lives in the database. `Event.seats_taken` counts the registrations that hold a
seat (confirmed, waiting for a manager's approval, or offered a freed seat) and a CHECK
constraint keeps it at or under `capacity`; `LibraryQuotaUse.taken` does the same per library
against the quota copied onto the row. Services change both only while holding the event's row
lock (`select_for_update`; SQLite runs writes as IMMEDIATE transactions), so the constraints are
the safety net, not the mechanism.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokbro.directory.models import Agency, Library, Municipality


class EventKind(models.TextChoices):
    COURSE = "course", _("Course")
    COURSE_SERIES = "course_series", _("Course series")
    CONFERENCE = "conference", _("Conference")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    FAIR = "fair", _("Fair")
    WEBINAR = "webinar", _("Webinar")
    STUDY_TRIP = "study_trip", _("Study trip")


class Audience(models.TextChoices):
    ALL_STAFF = "all_staff", _("All library staff")
    MANAGERS = "managers", _("Library managers")
    SCHOOL_LIBRARIANS = "school_librarians", _("School librarians")
    CHILDREN_YOUTH = "children_youth", _("Staff working with children and young people")
    EVERYONE = "everyone", _("Everyone")


class EventFormat(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    DIGITAL = "digital", _("Digital")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class Promotion(models.TextChoices):
    AUTOMATIC = "automatic", _("Give the seat to the next on the waiting list at once")
    OFFER = "offer", _("Offer the seat; the next must accept it within a time limit")


class InvitationRole(models.TextChoices):
    NONE = "", _("Open to everyone in the audience")
    LIBRARY_MANAGERS = "manager", _("Only library managers")
    LIBRARY_STAFF = "staff", _("Only staff registered at a library")
    AGENCY_STAFF = "agency", _("Only the agency's staff")


class Topic(models.Model):
    """A subject an agency tags its events with (a managed list per agency)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="event_topics")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="event_topic_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet["Event"]):
    def visible_on(self, agency: Agency | None) -> EventQuerySet:
        """Published events organised or co-organised by the agency."""
        if agency is None:
            return self.none()
        return self.filter(
            Q(agency=agency) | Q(co_organisers=agency),
            status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
        ).distinct()

    def owned_by(self, agency: Agency | None) -> EventQuerySet:
        """Events the agency's staff manage: its own and those it co-organises."""
        if agency is None:
            return self.none()
        return self.filter(Q(agency=agency) | Q(co_organisers=agency)).distinct()

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now())

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now())

    def for_list(self) -> EventQuerySet:
        return self.select_related("agency", "municipality").prefetch_related("topics")


class Event(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="events", verbose_name=_("organiser")
    )
    co_organisers = models.ManyToManyField(
        Agency,
        related_name="co_organised_events",
        blank=True,
        verbose_name=_("co-organising agencies"),
        help_text=_("Agencies running the event with you share one participant list."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL_STAFF
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="events", verbose_name=_("topics")
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal",
        blank=True,
        related_name="events",
        verbose_name=_("plan goals"),
        help_text=_("The goals of the regional plan this serves."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.PHYSICAL
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("municipality"),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to confirmed participants."),
    )
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # Denormalised from the sessions for listing and filtering; kept by the services.
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), db_index=True)

    # Registration rules
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    # The last waiting-list position handed out; drawn under the event's row lock.
    waiting_counter = models.PositiveIntegerField(default=0, editable=False)
    # A task that sends the registrations' pending notices is queued (the outbox: services.py,
    # `notices_send`); set with the registration, under the event's row lock.
    notices_queued = models.BooleanField(default=False, editable=False)
    waiting_list = models.BooleanField(_("waiting list"), default=True)
    quota_per_library = models.PositiveIntegerField(
        _("places per library"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("At most this many from each library. Leave empty for no limit."),
    )
    manager_approval = models.BooleanField(
        _("library manager approves"),
        default=False,
        help_text=_("The participant's library manager confirms each place."),
    )
    invitation_role = models.CharField(
        _("who may register"),
        max_length=10,
        choices=InvitationRole.choices,
        default=InvitationRole.NONE,
        blank=True,
    )
    cancellation_deadline = models.DateTimeField(
        _("cancel by"),
        null=True,
        blank=True,
        help_text=_("After this, participants cannot cancel themselves."),
    )
    binding_text = models.TextField(
        _("binding sign-up"),
        blank=True,
        help_text=_("If filled in, participants must accept this text (e.g. a no-show fee)."),
    )
    no_show_fee = models.DecimalField(
        _("no-show fee"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Charged to a participant who neither comes nor cancels. Empty: no fee."),
    )
    late_cancellation_fee = models.DecimalField(
        _("late cancellation fee"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Charged for a cancellation after the deadline. Empty: no fee."),
    )
    promotion = models.CharField(
        _("when a seat frees"),
        max_length=10,
        choices=Promotion.choices,
        default=Promotion.AUTOMATIC,
    )
    offer_hours = models.PositiveIntegerField(
        _("hours to accept an offered seat"), default=48, validators=[MinValueValidator(1)]
    )
    reminder_hours = models.PositiveIntegerField(
        _("reminder before start (hours)"),
        default=48,
        help_text=_("0 sends no reminder."),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    retention_months = models.PositiveIntegerField(
        _("keep personal data for (months after the event)"), default=12
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Follow-up: certificates and the evaluation
    certificate_min_sessions = models.PositiveIntegerField(
        _("certificate for attending at least (sessions)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to give no certificates."),
    )
    evaluation_url = models.URLField(
        _("evaluation link"),
        blank=True,
        help_text=_("A form where participants tell you what they thought, sent after the event."),
    )
    evaluation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=models.F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def currency(self) -> str:
        return self.agency.currency

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    def registration_state(self, now=None) -> str:
        """'open', 'not_yet', 'closed', 'cancelled' or 'draft' — checked again on the server."""
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return "cancelled"
        if self.status != EventStatus.PUBLISHED:
            return "draft"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if self.registration_closes_at and now >= self.registration_closes_at:
            return "closed"
        if now >= self.ends_at:
            return "closed"
        return "open"


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("If different from the event's.")
    )
    online = models.BooleanField(_("online"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event.title} {self.starts_at:%Y-%m-%d}"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    CHOICE = "choice", _("One of several choices")
    YES_NO = "yes_no", _("Yes or no")


class Question(models.Model):
    """An extra question on the registration form (dietary needs, accommodation …)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("answer type"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One choice per line (for 'one of several').")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PENDING_APPROVAL = "pending", _("Awaiting the library manager")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a seat")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
    DECLINED = "declined", _("Declined")


# Registrations in these states hold a seat (and a place in the library's quota).
SEAT_HOLDING = (
    RegistrationStatus.CONFIRMED,
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
    waiting_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    # queued for delivery (services.notices_send). Empty: nothing pending.
    notice = models.CharField(max_length=20, blank=True, default="", editable=False)

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
                condition=Q(status__in=["confirmed", "pending", "waiting", "offered"]),
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


# --- Material for participants ("the online learning arena") -----------------------------------


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


def material_upload_to(instance: Material, filename: str) -> str:
    # A random folder per file keeps the original name readable and the path unguessable;
    # files are served only through views that check access, never from a public URL.
    return f"events/material/{instance.event_id}/{secrets.token_urlsafe(12)}/{filename}"


class MaterialQuerySet(models.QuerySet["Material"]):
    def for_list(self) -> MaterialQuerySet:
        return self.select_related("session", "added_by").order_by("position", "created_at", "pk")


class Material(models.Model):
    """A file or a link shared with an event's confirmed participants (slides, recordings,
    reading lists, assignments between sessions)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="material")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material",
        verbose_name=_("session"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=255, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("material")
        ordering = ["position", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1] if self.file else ""


# --- The event's economy -------------------------------------------------------------------------


class BudgetKind(models.TextChoices):
    COST = "cost", _("Cost")
    INCOME = "income", _("Income")


class BudgetCategory(models.TextChoices):
    SPEAKER_FEE = "speaker_fee", _("Speaker fee")
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MATERIALS = "materials", _("Materials")
    PARTICIPANT_FEES = "participant_fees", _("Participant fees")
    GRANT = "grant", _("Grant")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    AGENCY = "agency", _("The agency")
    MUNICIPALITY = "municipality", _("The participant's municipality")
    PARTICIPANT = "participant", _("The participant")
    OTHER = "other", _("Someone else")


class BudgetLine(models.Model):
    """One cost or income of an event, with who pays it. `is_estimate` marks a budgeted figure
    not yet confirmed by an invoice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("cost or income"), max_length=10, choices=BudgetKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    payer = models.CharField(_("who pays"), max_length=20, choices=Payer.choices)
    is_estimate = models.BooleanField(
        _("estimate"), default=False, help_text=_("Tick while the amount is not yet final.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["kind", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


# --- Attendance and certificates -----------------------------------------------------------------


class Attendance(models.Model):
    """Whether a confirmed participant was at one session, as staff marked it."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_unique_registration_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}: {self.present}"


# No 0/O or 1/I/L: the number is read aloud and typed in by people checking a certificate.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_number() -> str:
    chars = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _i in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


class Certificate(models.Model):
    """A course certificate (kursbevis, intyg) for one participant."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    number = models.CharField(
        _("number"), max_length=20, unique=True, default=new_certificate_number, editable=False
    )
    sessions_attended = models.PositiveIntegerField(_("sessions attended"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return self.number
