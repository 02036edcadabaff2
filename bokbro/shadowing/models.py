"""Job shadowing (hospitering / auskultation): a library or the agency offers places for guests
from other libraries (an `Offer`); library staff apply (an `Application`), their manager
consents, the host accepts or declines; the accepted application is the agreement (dates,
contact people, travel support) and carries the short reports from the guest and the host.

The number of guests is held by the database: `Offer.places_taken` counts the accepted
applications, a CHECK keeps it within 0..places, and accepting is a conditional UPDATE."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.directory.models import Agency, Library, Person

PLACES = (1, 50)


class Language(models.TextChoices):
    NORWEGIAN = "no", _("Norwegian")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    SCANDINAVIAN = "scandinavian", _("Any Scandinavian language")
    ENGLISH = "en", _("English")


class OfferQuerySet(models.QuerySet["Offer"]):
    def visible_on(self, agency: Agency | None) -> OfferQuerySet:
        """The site's agency's offers, and other agencies' offers open to its libraries."""
        if agency is None:
            return self.none()
        return self.filter(Q(agency=agency) | Q(open_to_other_agencies=True))

    def open_for_applications(self, today: date | None = None) -> OfferQuerySet:
        today = today or timezone.localdate()
        return self.filter(apply_by__gte=today, places_taken__lt=F("places"))

    def for_list(self) -> OfferQuerySet:
        return self.select_related("agency", "host_library")


class Offer(models.Model):
    """Places for guests at a library (or at the agency itself, with no host library)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="shadowing_offers")
    host_library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shadowing_offers",
        verbose_name=_("host library"),
        help_text=_("Empty: the agency itself is the host."),
    )
    title = models.CharField(_("title"), max_length=200)
    topics = models.CharField(
        _("topics"), max_length=300, help_text=_("For example: reading promotion, makerspace.")
    )
    description = limits.text_field(
        _("what the guest will see"),
        limits.NOTES_LENGTH,
        help_text=_("The work, the people and the day-to-day the guest takes part in."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    apply_by = models.DateField(_("apply by"))
    places = models.PositiveSmallIntegerField(
        _("number of guests"), default=1, validators=limits.between(*PLACES)
    )
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    language = models.CharField(
        _("language"), max_length=12, choices=Language.choices, default=Language.SCANDINAVIAN
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_("Shown on the offer's page; applications are announced to it."),
    )
    open_to_other_agencies = models.BooleanField(
        _("open to libraries of the other agencies"),
        default=False,
        help_text=_("Staff of libraries served by the other agencies on this site may apply."),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowing_offers",
        verbose_name=_("project"),
        help_text=_(
            "The project this job shadowing belongs to: the travel support granted for its stays "
            "is reported in the project's funding."
        ),
    )
    report_survey = models.ForeignKey(
        "competence.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowing_offers",
        verbose_name=_("report survey"),
        help_text=_(
            "One of your competence surveys: after the stay the guest and the host manager "
            "answer it instead of writing a few lines. Empty: the short report form."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("job shadowing offer")
        verbose_name_plural = _("job shadowing offers")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="shadowing_offer_period"
            ),
            models.CheckConstraint(
                condition=Q(places_taken__gte=0) & Q(places_taken__lte=F("places")),
                name="shadowing_offer_places_taken",
            ),
            limits.within("shadowing_offer_places", places=PLACES),
            limits.within(
                "shadowing_offer_days",
                starts_on=limits.DAYS,
                ends_on=limits.DAYS,
                apply_by=limits.DAYS,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("shadowing:detail", args=[self.pk])

    @property
    def host_name(self) -> str:
        return self.host_library.name if self.host_library else self.agency.name

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.places_taken >= self.places

    @property
    def is_past_deadline(self) -> bool:
        return self.apply_by < timezone.localdate()


class Status(models.TextChoices):
    MANAGER = "manager", _("Waiting for the manager's consent")
    HOST = "host", _("Waiting for the host's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclinedBy(models.TextChoices):
    MANAGER = "manager", _("the manager")
    HOST = "host", _("the host")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def of_agency(self, agency: Agency) -> ApplicationQuerySet:
        """The exchanges an agency sees: its own offers' guests, and its own people abroad."""
        return self.filter(Q(offer__agency=agency) | Q(applicant_agency=agency))

    def accepted(self) -> ApplicationQuerySet:
        return self.filter(status=Status.ACCEPTED)

    def for_list(self) -> ApplicationQuerySet:
        return self.select_related(
            "offer__agency",
            "offer__host_library__municipality__county",
            "offer__host_library__county",
            "library__municipality__county",
            "library__county",
            "person",
            "applicant_agency",
        )


class Application(models.Model):
    """One person's application to an offer; once accepted, the agreement between them and the
    host. `person` is emptied when the person's data is erased: the exchange stays counted."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowing_applications",
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        related_name="shadowing_applications",
        verbose_name=_("your library"),
    )
    applicant_agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="shadowing_applications"
    )
    motivation = limits.text_field(
        _("why you want to come"),
        limits.SUMMARY_LENGTH,
        help_text=_("What you hope to learn and bring home to your library."),
    )
    travel_support_asked = models.DecimalField(
        _("travel support asked for"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.AMOUNTS),
        help_text=_("Travel and accommodation you ask the agency to cover. Empty: none."),
    )
    travel_support_granted = models.DecimalField(
        _("travel support granted"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.AMOUNTS),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MANAGER)
    declined_by = models.CharField(max_length=10, choices=DeclinedBy.choices, blank=True)
    answer = limits.text_field(_("message to the applicant"), limits.SUMMARY_LENGTH, blank=True)
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    manager_consent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_reminded_at = models.DateTimeField(null=True, blank=True)
    host_reminded_at = models.DateTimeField(null=True, blank=True)
    reports_asked_at = models.DateTimeField(null=True, blank=True)
    guest_report = limits.text_field(_("report from the guest"), limits.NOTES_LENGTH, blank=True)
    host_report = limits.text_field(_("report from the host"), limits.NOTES_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("job shadowing application")
        verbose_name_plural = _("job shadowing applications")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "person"], name="shadowing_application_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="shadowing_application_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | (Q(starts_on__isnull=False) & Q(ends_on__isnull=False)),
                name="shadowing_application_accepted_has_dates",
            ),
            limits.within(
                "shadowing_application_amounts",
                travel_support_asked=limits.AMOUNTS,
                travel_support_granted=limits.AMOUNTS,
            ),
            limits.within("shadowing_application_days", starts_on=limits.DAYS, ends_on=limits.DAYS),
        ]

    def __str__(self) -> str:
        return f"{self.person or '–'} – {self.offer}"

    def get_absolute_url(self) -> str:
        return reverse("shadowing:application", args=[self.pk])

    @property
    def guest_name(self) -> str:
        return self.person.name if self.person else str(_("(erased)"))

    @property
    def stay_has_begun(self) -> bool:
        return self.starts_on is not None and self.starts_on <= timezone.localdate()


class ProjectTravelFunding(models.Model):
    """The funding line of a project that reports the travel support one agency granted for the
    project's job shadowing stays in one year. Kept by the services, never typed in: it is
    written again whenever that support changes."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="shadowing_travel"
    )
    granting_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    line = models.OneToOneField(
        "projects.FundingLine", on_delete=models.CASCADE, related_name="shadowing_travel"
    )

    class Meta:
        verbose_name = _("travel support in a project's funding")
        verbose_name_plural = _("travel support in projects' funding")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "granting_agency", "year"],
                name="shadowing_travel_funding_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"
