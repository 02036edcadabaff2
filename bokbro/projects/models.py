"""Projects (prosjekter / projekt): the agency's portfolio of development projects with their
partners, measures (tiltak / insatser), funding by source and year, status reports and documents.

A project belongs to one agency (`agency`, the owner). Other agencies can be partners; their
staff see the project on their own site, read-only. Amounts are decimals in the project's
currency (the owner's `Agency.currency`, copied when the project is created). CHECK constraints
hold what must never be stored: a period that ends before it starts, a negative amount, a
partner row that names no partner or two.

Size: one schema read together (a project, its partners, measures, funding, reports and
documents); each model is short.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokbro.core import limits
from bokbro.core.limits import FIRST_YEAR, LAST_YEAR, text_field
from bokbro.directory.models import Agency, Currency, Library, Municipality, TeamMember

NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("An amount cannot be negative."))
AMOUNT = [NOT_NEGATIVE, MaxValueValidator(limits.AMOUNTS[1])]
DAY = limits.in_years()


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    APPLIED = "applied", _("Applied for funding")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class ProjectQuerySet(models.QuerySet["Project"]):
    def involving(self, agency: Agency | None) -> ProjectQuerySet:
        """The agency's own projects and those it is a partner in."""
        if agency is None:
            return self.none()
        return self.filter(Q(agency=agency) | Q(partners__agency=agency)).distinct()

    def published_on(self, agency: Agency | None) -> ProjectQuerySet:
        """What the public sees on the agency's site: the published projects it owns or is a
        partner in."""
        return self.involving(agency).filter(is_published=True)

    def for_list(self) -> ProjectQuerySet:
        return self.select_related("agency", "contact")


class Project(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="projects", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences.")
    )
    description = text_field(
        _("description"),
        limits.DESCRIPTION_LENGTH,
        blank=True,
        help_text=_("Markdown: **bold**, lists, links."),
    )
    goals = text_field(
        _("main goals"), limits.SUMMARY_LENGTH, blank=True, help_text=_("One goal per line.")
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal",
        blank=True,
        related_name="projects",
        verbose_name=_("plan goals"),
        help_text=_("The goals of the regional plan this serves."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True, validators=DAY)
    ends_on = models.DateField(_("ends"), null=True, blank=True, validators=DAY)
    lead_organisation = models.CharField(
        _("lead organisation"),
        max_length=200,
        blank=True,
        help_text=_("The project owner, if not your agency (e.g. a municipality)."),
    )
    contact = models.ForeignKey(
        TeamMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("contact person"),
        help_text=_("Gets the reminders of status reports."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.NOK, editable=False
    )
    internal_notes = text_field(
        _("internal notes"),
        limits.NOTES_LENGTH,
        blank=True,
        help_text=_("Only your agency's staff see these, never partners, libraries or the public."),
    )
    # What the agency chooses to publish.
    is_published = models.BooleanField(_("show on the public project pages"), default=False)
    public_summary = text_field(
        _("public text"),
        limits.DESCRIPTION_LENGTH,
        blank=True,
        help_text=_("Markdown. Shown on the public page instead of the description."),
    )
    public_partners = models.BooleanField(_("show the partners"), default=True)
    public_measures = models.BooleanField(_("show the measures"), default=True)
    public_results = models.BooleanField(
        _("show the model libraries' results and transfer value"), default=True
    )
    public_funding = models.BooleanField(_("show the granted funding"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_period_in_order",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            limits.within("project_in_range", starts_on=limits.DAYS, ends_on=limits.DAYS),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def get_staff_url(self) -> str:
        return reverse("projects:staff_detail", args=[self.pk])

    @property
    def goal_list(self) -> list[str]:
        return [line.strip(" -•*\t") for line in self.goals.splitlines() if line.strip(" -•*\t")]


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    MODEL_LIBRARY = "model_library", _("Model library")
    PILOT = "pilot", _("Pilot")


def partner_key(name: str) -> str:
    """Universitetet i Sørøst-Norge and universitetet i  SØRØST-norge are one partner."""
    return " ".join(name.split()).casefold()[:200]


class ExternalKind(models.TextChoices):
    """What a partner outside Bokbro's directory is."""

    LIBRARY_AGENCY = "library_agency", _("County or regional library")
    UNIVERSITY = "university", _("University or college")
    FOUNDATION = "foundation", _("Foundation")
    NATIONAL = "national", _("National body")
    ORGANISATION = "organisation", _("Organisation or association")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def for_list(self) -> PartnerQuerySet:
        return self.select_related("library", "library__municipality", "municipality", "agency")


class Partner(models.Model):
    """A library, municipality or other agency taking part in a project, with its role. A model
    library or pilot records its results and their transfer value, so others can learn."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partners",
        verbose_name=_("library"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partners",
        verbose_name=_("municipality"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partnerships",
        verbose_name=_("agency"),
    )
    # A partner outside the directory and not a Bokbro agency (the other county libraries of a
    # five-county project, a university, a foundation): its name, kind, country and contact.
    external_name = models.CharField(_("name"), max_length=200, blank=True)
    # The name as compared for "the same partner twice": case-folded in Python, because
    # SQLite's LOWER() folds only ASCII ("Østfold" and "østfold" would both pass there).
    external_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    external_kind = models.CharField(
        _("kind"), max_length=20, choices=ExternalKind.choices, blank=True
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Write the country's two-letter code, e.g. NO or DK."))
        ],
        help_text=_("Its two-letter code: NO, SE, DK, FI, IS …"),
    )
    contact = models.CharField(
        _("contact"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown on the public page: the organisation's public e-mail, phone or contact person."
        ),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    results = text_field(_("results"), limits.NOTES_LENGTH, blank=True)
    transfer_value = text_field(
        _("transfer value"),
        limits.NOTES_LENGTH,
        blank=True,
        help_text=_("What other libraries can take from this: methods, material, advice."),
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        library__isnull=False,
                        municipality__isnull=True,
                        agency__isnull=True,
                        external_name="",
                    )
                    | Q(
                        library__isnull=True,
                        municipality__isnull=False,
                        agency__isnull=True,
                        external_name="",
                    )
                    | Q(
                        library__isnull=True,
                        municipality__isnull=True,
                        agency__isnull=False,
                        external_name="",
                    )
                    | (
                        Q(library__isnull=True, municipality__isnull=True, agency__isnull=True)
                        & ~Q(external_name="")
                        & ~Q(external_kind="")
                    )
                ),
                name="project_partner_is_one_thing_or_external",
                violation_error_message=_(
                    "Choose one library, municipality or agency, or name a partner outside "
                    "Bokbro and its kind."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "external_key"],
                condition=~Q(external_key=""),
                name="project_partner_unique_external_key",
                violation_error_message=_("This partner is already on the project."),
            ),
            models.UniqueConstraint(
                fields=["project", "library"],
                condition=Q(library__isnull=False),
                name="project_partner_unique_library",
                violation_error_message=_("This library is already a partner."),
            ),
            models.UniqueConstraint(
                fields=["project", "municipality"],
                condition=Q(municipality__isnull=False),
                name="project_partner_unique_municipality",
                violation_error_message=_("This municipality is already a partner."),
            ),
            models.UniqueConstraint(
                fields=["project", "agency"],
                condition=Q(agency__isnull=False),
                name="project_partner_unique_agency",
                violation_error_message=_("This agency is already a partner."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.external_key = partner_key(self.external_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.external_key = partner_key(self.external_name)

    @property
    def partner(self) -> Library | Municipality | Agency | None:
        return self.library or self.municipality or self.agency

    @property
    def is_external(self) -> bool:
        return bool(self.external_name)

    @property
    def name(self) -> str:
        return self.external_name or str(self.partner or "")

    @property
    def kind_label(self) -> str:
        if self.library_id:
            return str(_("Library"))
        if self.municipality_id:
            return str(_("Municipality"))
        if self.external_name:
            return str(self.get_external_kind_display())
        return str(_("Agency"))


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    STOPPED = "stopped", pgettext_lazy("measure", "Stopped")


class Measure(models.Model):
    """A measure (tiltak / insats) of the project: owner, period and status."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("title"), max_length=200)
    description = text_field(_("description"), limits.DESCRIPTION_LENGTH, blank=True)
    owner = models.CharField(
        _("responsible"), max_length=200, blank=True, help_text=_("A person or organisation.")
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True, validators=DAY)
    ends_on = models.DateField(_("ends"), null=True, blank=True, validators=DAY)
    plan_goals = models.ManyToManyField(
        "plans.Goal",
        blank=True,
        related_name="project_measures",
        verbose_name=_("plan goals"),
        help_text=_("The goals of the regional plan this serves."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_measure_period_in_order",
                violation_error_message=_("The measure cannot end before it starts."),
            ),
            limits.within("project_measure_in_range", starts_on=limits.DAYS, ends_on=limits.DAYS),
        ]

    def __str__(self) -> str:
        return self.title


class Funder(models.Model):
    """A source of funding on the agency's managed list, with the funder's rules if it has any
    (Nasjonalbiblioteket: at least 40 % own funding and at least NOK 300 000 applied)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="project_funders")
    name = models.CharField(_("name"), max_length=200)
    is_own = models.BooleanField(
        _("own funding"),
        default=False,
        help_text=_("Money or staff time from your agency or the partners themselves."),
    )
    min_own_share = models.DecimalField(
        _("minimum own funding (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("The funder's rule for the project's own share. Empty: no rule."),
    )
    min_applied = models.DecimalField(
        _("minimum amount to apply for"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=AMOUNT,
        help_text=_("In your agency's currency. Empty: no rule."),
    )

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["-is_own", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"],
                name="project_funder_unique_name",
                violation_error_message=_("This funder is already on your list."),
            ),
            models.CheckConstraint(
                condition=Q(min_own_share__isnull=True)
                | Q(min_own_share__gte=0, min_own_share__lte=100),
                name="project_funder_share_is_a_percentage",
                violation_error_message=_("The share is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(min_applied__isnull=True) | Q(min_applied__gte=0),
                name="project_funder_min_applied_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            limits.within("project_funder_in_range", min_applied=limits.AMOUNTS),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_rules(self) -> bool:
        return self.min_own_share is not None or self.min_applied is not None


class FundingLine(models.Model):
    """Money from one source for one year: applied for, granted, and reported as spent."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="lines", verbose_name=_("source")
    )
    year = models.PositiveIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    applied = models.DecimalField(
        _("applied for"), max_digits=14, decimal_places=2, validators=AMOUNT
    )
    granted = models.DecimalField(
        _("granted"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=AMOUNT,
        help_text=_("Empty until the funder has decided."),
    )
    reported = models.DecimalField(
        _("reported as spent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=AMOUNT,
    )
    # The partner the money or effort comes from (a foundation granting, a university giving
    # staff time): the line is shown, and counted in the annual report, under its name, in
    # the column its source says (outside funding, or own funding when the source is own).
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_lines",
        verbose_name=_("from partner"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding")
        ordering = ["year", "-funder__is_own", "funder__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied__gte=0)
                & (Q(granted__isnull=True) | Q(granted__gte=0))
                & (Q(reported__isnull=True) | Q(reported__gte=0)),
                name="project_funding_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="project_funding_year_in_range",
                violation_error_message=_("Write a year from 2000 to 2100."),
            ),
            limits.within(
                "project_funding_in_range",
                applied=limits.AMOUNTS,
                granted=limits.AMOUNTS,
                reported=limits.AMOUNTS,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} {self.year}"

    @property
    def source_name(self) -> str:
        """Who the money comes from: the partner when one is named, else the source."""
        return self.partner.name if self.partner_id and self.partner else str(self.funder)

    @property
    def budget(self) -> Decimal:
        """What the line counts for in the budget: the granted amount once decided."""
        return self.granted if self.granted is not None else self.applied


class StatusReport(models.Model):
    """A status report (to a funder) due on a date; the contact person is reminded before."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    funder = models.ForeignKey(
        Funder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("to"),
    )
    due_on = models.DateField(_("due"), validators=DAY)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True, validators=DAY)
    note = text_field(_("note"), limits.NOTES_LENGTH, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="project_report_year_in_range",
                violation_error_message=_("Write a year from 2000 to 2100."),
            ),
            limits.within("project_report_in_range", due_on=limits.DAYS, submitted_on=limits.DAYS),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    REPORT = "report", _("Report")
    DECISION = "decision", _("Grant decision")
    OTHER = "other", _("Other")


def document_upload_to(instance: Document, filename: str) -> str:
    # A random folder per file keeps the name readable and the path unguessable; documents are
    # served only through views that check access, never from a public media URL.
    return f"projects/{instance.project_id}/{secrets.token_urlsafe(12)}/{filename}"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("type"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    report = models.ForeignKey(
        StatusReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("status report"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]
