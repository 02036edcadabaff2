"""The event, its sessions, its extra questions and the agency's topics."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokbro.core import limits
from bokbro.directory.models import Agency, Municipality


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
        _("description"),
        blank=True,
        max_length=limits.DESCRIPTION_LENGTH,
        validators=[MaxLengthValidator(limits.DESCRIPTION_LENGTH)],
        help_text=_("Markdown: **bold**, lists, links."),
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
        validators=limits.between(*limits.AMOUNTS),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # Denormalised from the sessions for listing and filtering; kept by the services.
    starts_at = models.DateTimeField(_("starts"), db_index=True, validators=limits.in_years())
    ends_at = models.DateTimeField(_("ends"), db_index=True, validators=limits.in_years())

    # Registration rules
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, validators=limits.in_years()
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, validators=limits.in_years()
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=limits.between(*limits.SEATS),
        help_text=_("Leave empty for no limit."),
    )
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    # The last waiting-list position handed out; drawn under the event's row lock.
    waiting_counter = models.PositiveIntegerField(default=0, editable=False)
    # A task that sends the registrations' pending notices is queued (the outbox:
    # services/notices.py, mails.notices_send); set with the registration, under the event's
    # row lock.
    notices_queued = models.BooleanField(default=False, editable=False)
    waiting_list = models.BooleanField(_("waiting list"), default=True)
    quota_per_library = models.PositiveIntegerField(
        _("places per library"),
        null=True,
        blank=True,
        validators=limits.between(*limits.CAPACITY),
        help_text=_("At most this many from each library. Leave empty for no limit."),
    )
    confirm_by_email = models.BooleanField(
        _("participants confirm by e-mail"),
        default=True,
        help_text=_(
            "Someone registering without signing in gets a link by e-mail and must confirm "
            "within the time below, or the place is released. Stops others from taking seats "
            "in someone else's name."
        ),
    )
    hold_hours = models.PositiveIntegerField(
        _("hours to confirm"),
        default=24,
        validators=limits.between(*limits.HOLD_HOURS),
    )
    group_seats_until = models.DateTimeField(
        _("seats kept for groups until"),
        null=True,
        blank=True,
        validators=limits.in_years(),
        help_text=_("From then, seats a group has not used are open to everyone. Empty: kept."),
    )
    # The waiting list has had the group seats opened at `group_seats_until` (services/seats.py).
    group_seats_opened = models.BooleanField(default=False, editable=False)
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
        validators=limits.in_years(),
        help_text=_("After this, participants cannot cancel themselves."),
    )
    binding_text = models.TextField(
        _("binding sign-up"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
        help_text=_("If filled in, participants must accept this text (e.g. a no-show fee)."),
    )
    no_show_fee = models.DecimalField(
        _("no-show fee"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.AMOUNTS),
        help_text=_("Charged to a participant who neither comes nor cancels. Empty: no fee."),
    )
    late_cancellation_fee = models.DecimalField(
        _("late cancellation fee"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.AMOUNTS),
        help_text=_("Charged for a cancellation after the deadline. Empty: no fee."),
    )
    promotion = models.CharField(
        _("when a seat frees"),
        max_length=10,
        choices=Promotion.choices,
        default=Promotion.AUTOMATIC,
    )
    offer_hours = models.PositiveIntegerField(
        _("hours to accept an offered seat"),
        default=48,
        validators=limits.between(*limits.OFFER_HOURS),
    )
    reminder_hours = models.PositiveIntegerField(
        _("reminder before start (hours)"),
        default=48,
        validators=limits.between(*limits.REMINDER_HOURS),
        help_text=_("0 sends no reminder."),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    retention_months = models.PositiveIntegerField(
        _("keep personal data for (months after the event)"),
        default=12,
        validators=limits.between(*limits.RETENTION_MONTHS),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Follow-up: certificates and the evaluation
    certificate_min_sessions = models.PositiveIntegerField(
        _("certificate for attending at least (sessions)"),
        null=True,
        blank=True,
        validators=limits.between(*limits.SESSIONS),
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
            limits.within(
                "event_values_in_range",
                starts_at=limits.MOMENTS,
                ends_at=limits.MOMENTS,
                registration_opens_at=limits.MOMENTS,
                registration_closes_at=limits.MOMENTS,
                cancellation_deadline=limits.MOMENTS,
                group_seats_until=limits.MOMENTS,
                price=limits.AMOUNTS,
                no_show_fee=limits.AMOUNTS,
                late_cancellation_fee=limits.AMOUNTS,
                capacity=limits.SEATS,
                quota_per_library=limits.CAPACITY,
                offer_hours=limits.OFFER_HOURS,
                hold_hours=limits.HOLD_HOURS,
                reminder_hours=limits.REMINDER_HOURS,
                retention_months=limits.RETENTION_MONTHS,
                certificate_min_sessions=limits.SESSIONS,
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
    def is_over(self) -> bool:
        """The event has ended (its last session is over)."""
        return self.ends_at <= timezone.now()

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
    starts_at = models.DateTimeField(_("starts"), validators=limits.in_years())
    ends_at = models.DateTimeField(_("ends"), validators=limits.in_years())
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("If different from the event's.")
    )
    online = models.BooleanField(_("online"), default=False)
    # A session with its own capacity is an elective one (a workshop in a smaller room):
    # participants choose it when they register, and its seats are counted in `seats_taken`
    # under the event's row lock (services/session_seats.py). Empty: for everyone registered.
    capacity = models.PositiveIntegerField(
        _("seats in the session"),
        null=True,
        blank=True,
        validators=limits.between(*limits.CAPACITY),
        help_text=_(
            "Only for a workshop or a smaller room: participants then choose the session when "
            "they register, and a waiting list forms when it is full. Empty: everyone "
            "registered takes part."
        ),
    )
    seats_taken = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=models.F("capacity")),
                name="session_seats_within_capacity",
            ),
            limits.within(
                "session_in_range",
                starts_at=limits.MOMENTS,
                ends_at=limits.MOMENTS,
                capacity=limits.CAPACITY,
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event.title} {self.starts_at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """How a person recognises the session: its title and time, else its day and time."""
        starts = timezone.localtime(self.starts_at)
        when = f"{date_format(starts, 'SHORT_DATE_FORMAT')} {date_format(starts, 'TIME_FORMAT')}"
        return f"{self.title} ({when})" if self.title else when

    @property
    def is_elective(self) -> bool:
        return self.capacity is not None

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


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
        _("choices"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
        help_text=_("One choice per line (for 'one of several')."),
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
