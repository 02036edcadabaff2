"""Advice to libraries (rådgivning og veiledning / konsultationer): the consultation log,
follow-ups, the agency's managed topic list and visit tours.

Everything here belongs to an agency. A consultation's `summary` is shared with the manager of
each library it is about; its `internal_notes` are for the agency's staff alone.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.directory.models import Agency, Library, Municipality, Person


class Topic(models.Model):
    """A subject consultations are tagged with: a list each agency's staff manage."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="advisory_topics")
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Topics not in use are not offered for new logs.")
    )

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"],
                name="advisory_topic_unique_name",
                violation_error_message=_("The list already has a topic with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConsultationKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video meeting")
    COURSE_FOLLOW_UP = "course", _("Course follow-up")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def of(self, agency: Agency | None) -> ConsultationQuerySet:
        if agency is None:
            return self.none()
        return self.filter(agency=agency)

    def about_libraries(self, library_ids: list[int] | tuple[int, ...]) -> ConsultationQuerySet:
        return self.filter(libraries__in=library_ids).distinct()

    def about_municipality(self, municipality: Municipality) -> ConsultationQuerySet:
        """Consultations with the municipality itself or with any of its libraries."""
        return self.filter(
            Q(municipalities=municipality) | Q(libraries__municipality=municipality)
        ).distinct()

    def for_list(self) -> ConsultationQuerySet:
        return self.select_related("consultant", "event").prefetch_related(
            "libraries", "municipalities", "topics"
        )


class Consultation(models.Model):
    """One contact with one or several libraries or municipalities."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("agency")
    )
    date = models.DateField(_("date"), db_index=True, validators=limits.in_years())
    kind = models.CharField(_("type"), max_length=20, choices=ConsultationKind.choices)
    libraries = models.ManyToManyField(
        Library, related_name="consultations", blank=True, verbose_name=_("libraries")
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="consultations", blank=True, verbose_name=_("municipalities")
    )
    people = models.ManyToManyField(
        Person, related_name="consultations", blank=True, verbose_name=_("people involved")
    )
    topics = models.ManyToManyField(
        Topic, related_name="consultations", blank=True, verbose_name=_("topics")
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal",
        blank=True,
        related_name="consultations",
        verbose_name=_("plan goals"),
        help_text=_("The goals of the regional plan this serves."),
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("consultant"),
    )
    hours = models.DecimalField(
        _("time spent (hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.HOURS_SPENT),
        help_text=_("In hours, e.g. 1.5 for an hour and a half."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
        help_text=_("The library's manager sees the summary on the library's page."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        max_length=limits.NOTES_LENGTH,
        validators=[MaxLengthValidator(limits.NOTES_LENGTH)],
        help_text=_("Only the agency's staff see these notes, never the library."),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("course"),
        help_text=_("For a course follow-up: the course it follows up."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="advisory_consultation_hours_not_negative",
            ),
            limits.within(
                "advisory_consultation_in_range", date=limits.DAYS, hours=limits.HOURS_SPENT
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("advisory:consultation", args=[self.pk])


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done=False)

    def overdue(self, today: date) -> FollowUpQuerySet:
        return self.filter(done=False, due_date__lt=today)

    def for_list(self) -> FollowUpQuerySet:
        return self.select_related("owner", "consultation").prefetch_related(
            "consultation__libraries", "consultation__municipalities"
        )


class FollowUp(models.Model):
    """Something to do after a consultation, by a date, by one of the team."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="follow_ups")
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("consultation"),
    )
    what = models.CharField(_("what to do"), max_length=300)
    due_date = models.DateField(_("due date"), db_index=True, validators=limits.in_years())
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["done", "due_date", "pk"]
        constraints = [limits.within("advisory_follow_up_in_range", due_date=limits.DAYS)]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, today: date) -> bool:
        return not self.done and self.due_date < today


class FollowUpReminder(models.Model):
    """One reminder mail per owner, agency and day: the unique row is the claim that makes the
    daily reminder idempotent (two workers, or two runs the same day, send one mail)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    follow_ups = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "owner", "sent_on"], name="advisory_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.sent_on.isoformat()}"


class Tour(models.Model):
    """A planned round of visits to several libraries over some days."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="tours")
    title = models.CharField(_("title"), max_length=200)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tours",
        verbose_name=_("consultant"),
    )
    starts_on = models.DateField(_("first day"), validators=limits.in_years())
    ends_on = models.DateField(_("last day"), validators=limits.in_years())
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=limits.NOTES_LENGTH,
        validators=[MaxLengthValidator(limits.NOTES_LENGTH)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit tour")
        verbose_name_plural = _("visit tours")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="advisory_tour_ends_after_start",
            ),
            limits.within("advisory_tour_in_range", starts_on=limits.DAYS, ends_on=limits.DAYS),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advisory:tour", args=[self.pk])


class PlannedVisit(models.Model):
    """One library on a tour; once done, it is a logged consultation."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="visits")
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    date = models.DateField(_("date"), validators=limits.in_years())
    time = models.TimeField(_("time"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    consultation = models.OneToOneField(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_visit",
    )

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        ordering = ["date", "position", "time", "pk"]
        constraints = [limits.within("advisory_planned_visit_in_range", date=limits.DAYS)]

    def __str__(self) -> str:
        return f"{self.library} {self.date.isoformat()}"

    @property
    def is_done(self) -> bool:
        return self.consultation_id is not None
