"""The national directory: counties, municipalities, libraries, organisations, people and their
roles, and the agencies (the tenants) with their teams.

The directory is shared by every agency on an install; what an agency owns carries the agency.

Size: the shared schema every module builds on, read together; each model is short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits, sites

if TYPE_CHECKING:
    from bokbro.accounts.models import User


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    SWEDEN = "SE", _("Sweden")


class CountyQuerySet(models.QuerySet["County"]):
    def with_counts(self) -> CountyQuerySet:
        return self.annotate(
            municipality_count=models.Count("municipalities", distinct=True),
            population=models.Sum("municipalities__population"),
        )


class County(models.Model):
    """A Norwegian fylke or a Swedish län, by its official two-digit code."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=2)
    name = models.CharField(_("name"), max_length=100)
    website = models.URLField(_("website"), blank=True)

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["country", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="county_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:county", args=[self.country.lower(), self.code])


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def search(self, q: str) -> MunicipalityQuerySet:
        return self.filter(Q(name__icontains=q) | Q(code=q)) if q else self


class Municipality(models.Model):
    """A Norwegian kommune (SSB number, 2024 numbering) or a Swedish kommun (SCB code)."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=100, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population counted on"), null=True, blank=True)
    admin_centre = models.CharField(_("administrative centre"), max_length=100, blank=True)
    written_language = models.CharField(
        _("official written form"),
        max_length=20,
        blank=True,
        help_text=_("Norway only: bokmål, nynorsk or neutral."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:municipality", args=[self.country.lower(), self.code])


class MunicipalityChange(models.Model):
    """One row of SSB's change table: an old municipality number and the number it became.

    Statistics files from before a reform use old numbers; `Municipality.objects` plus this table
    map them to today's municipality (see `services.municipality_for_code`).
    """

    country = models.CharField(max_length=2, choices=Country.choices, default=Country.NORWAY)
    old_code = models.CharField(_("old code"), max_length=4)
    old_name = models.CharField(_("old name"), max_length=100)
    new_code = models.CharField(_("new code"), max_length=4)
    new_name = models.CharField(_("new name"), max_length=100)
    changed_on = models.DateField(_("changed on"))

    class Meta:
        verbose_name = _("municipality change")
        verbose_name_plural = _("municipality changes")
        ordering = ["changed_on", "old_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "old_code", "new_code", "changed_on"],
                name="municipality_change_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.old_code} {self.old_name} → {self.new_code} {self.new_name} ({self.changed_on})"
        )


class LibraryKind(models.TextChoices):
    MAIN = "main", _("Main library")
    BRANCH = "branch", _("Branch library")
    SCHOOL = "school", _("School library")
    COMBINED = "combined", _("Combined public and school library")
    MOBILE = "mobile", _("Mobile library")
    HOSPITAL = "hospital", _("Hospital library")
    PRISON = "prison", _("Prison library")
    OTHER = "other", _("Other library")


class LibraryQuerySet(models.QuerySet["Library"]):
    def search(self, q: str) -> LibraryQuerySet:
        if not q:
            return self
        return self.filter(
            Q(name__icontains=q)
            | Q(municipality__name__icontains=q)
            | Q(sigel__iexact=q)
            | Q(city__icontains=q)
        )

    def in_county(self, county: County) -> LibraryQuerySet:
        return self.filter(Q(municipality__county=county) | Q(county=county))

    def in_county_ids(self, county_ids: list[int]) -> LibraryQuerySet:
        return self.filter(Q(municipality__county__in=county_ids) | Q(county__in=county_ids))

    def for_list(self) -> LibraryQuerySet:
        return self.select_related("municipality", "county", "municipality__county")

    def main_first(self) -> LibraryQuerySet:
        """The main library first, then the others in the order of the kinds, then by name."""
        order = models.Case(
            *[models.When(kind=kind, then=i) for i, kind in enumerate(LibraryKind.values)],
            output_field=models.IntegerField(),
        )
        return self.order_by(order, "name")


class Library(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=LibraryKind.choices, default=LibraryKind.MAIN
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="libraries",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    # A library run for a whole county or region (e.g. hospital libraries of a län) has a
    # county and no municipality.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="regional_libraries",
        null=True,
        blank=True,
        verbose_name=_("county (regional library)"),
    )
    sigel = models.CharField(
        _("library code"), max_length=20, blank=True, help_text=_("Sigel or library number.")
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("postal town"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = limits.text_field(
        _("opening hours"),
        limits.SUMMARY_LENGTH,
        blank=True,
        help_text=_("As you would write them on the door, one line per day or period."),
    )
    source = models.CharField(
        _("source"),
        max_length=40,
        blank=True,
        help_text=_("Where the record came from, e.g. kb-2014 or derived."),
    )
    is_derived = models.BooleanField(
        _("derived"),
        default=False,
        help_text=_("Created from the municipality list, to be replaced by a register import."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sigel"], condition=~Q(sigel=""), name="library_unique_sigel"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(county__isnull=False),
                name="library_has_place",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:library", args=[self.pk])

    @property
    def home_county(self) -> County | None:
        return self.municipality.county if self.municipality is not None else self.county


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    NATIONAL = "national", _("National body")
    MUNICIPAL = "municipal", _("Municipal body")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])


class Person(models.Model):
    """Someone who works at a library or organisation. Personal data: staff only."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    created_by_agency = models.ForeignKey(
        "Agency",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("registered by"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
        verbose_name=_("user account"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [models.Index(Lower("email"), name="person_email_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])


class LibraryRoleKind(models.TextChoices):
    MANAGER = "manager", _("Library manager")
    STAFF = "staff", _("Library staff")
    STATISTICS = "statistics", _("Statistics contact")
    SCHOOL_CONTACT = "school_contact", _("School contact")


class LibraryRole(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="library_roles", verbose_name=_("person")
    )
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="roles", verbose_name=_("library")
    )
    role = models.CharField(_("role"), max_length=20, choices=LibraryRoleKind.choices)

    class Meta:
        verbose_name = _("library role")
        verbose_name_plural = _("library roles")
        ordering = ["library__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "library", "role"], name="library_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.library}"


class PendingColleague(models.Model):
    """Someone who named a library when registering without an account: not the library's
    staff until its manager or the agency confirms them (`colleagues.pending_colleague_confirm`).
    Personal data (directory/personal.py)."""

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="pending", verbose_name=_("library")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("colleague to confirm")
        verbose_name_plural = _("colleagues to confirm")
        ordering = ["library", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "library", Lower("email"), name="pending_colleague_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.library})"


class Currency(models.TextChoices):
    NOK = "NOK", "NOK"
    SEK = "SEK", "SEK"


class Agency(models.Model):
    """A regional library development agency: the tenant that owns events, projects, plans …"""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    counties = models.ManyToManyField(
        County, related_name="agencies", verbose_name=_("counties served")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.NOK
    )
    hosts = models.CharField(
        _("host names"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated host names this agency answers on."),
    )
    is_default = models.BooleanField(
        _("default agency"),
        default=False,
        help_text=_("Answers on host names no other agency claims (e.g. localhost)."),
    )
    intro = limits.text_field(_("introduction"), limits.DESCRIPTION_LENGTH, blank=True)
    # The front page's welcome text, Markdown, per language: {"nb": "…", "en": "…"}.
    welcome = models.JSONField(_("welcome text"), default=dict, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("postal town"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    organisation_name = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("E.g. the county council or region.")
    )
    # Its own look (directory/look.py): on pages, e-mails, PDFs and the newsletter.
    display_name = models.CharField(
        _("name as shown"),
        max_length=200,
        blank=True,
        help_text=_("The name in the header, e-mails and PDFs, if not the name above."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="agency-logos/",
        blank=True,
        help_text=_("PNG or SVG, at most 512 KB. An SVG may hold no scripts or links."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        help_text=_("E.g. #0062ba. It must reach a contrast of 4.5:1 against white (WCAG AA)."),
    )
    footer_contact = limits.text_field(
        _("footer contact"),
        1_000,
        blank=True,
        help_text=_("Shown at the foot of every page and e-mail, e.g. opening hours or a phone."),
    )
    social_links = models.JSONField(_("social links"), default=list, blank=True)
    # Goes up with every change of the look: the style sheet's and the logo's address carry
    # it, so browsers may keep them for a year.
    look_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name

    @property
    def accent(self) -> str:
        from bokbro.directory.look import DEFAULT_ACCENT

        return self.accent_colour or DEFAULT_ACCENT

    @property
    def logo_data_uri(self) -> str:
        """The logo inlined, for PDFs."""
        from bokbro.directory.look import logo_data_uri

        return logo_data_uri(self.logo)

    @property
    def logo_url(self) -> str:
        """The logo's address on the agency's own site (for e-mails), "" without a logo."""
        if not self.logo:
            return ""
        return self.absolute(reverse("agency:logo")) + f"?v={self.look_version}"

    def welcome_html(self, language: str | None) -> str:
        """The welcome text in `language`, else in the agency's own language, as safe HTML."""
        from bokbro.core.markdown import render_markdown

        text = self.welcome.get(language or "") or self.welcome.get(self.language) or ""
        return render_markdown(text) if text.strip() else ""

    @property
    def base_url(self) -> str:
        """The agency's site, for links in mail, feeds and calendar files (core/sites.py)."""
        return sites.base_url(self.host_list)

    def absolute(self, path: str) -> str:
        """`path` (from `reverse` or `get_absolute_url`) on the agency's own site."""
        return self.base_url + path

    @property
    def host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hosts.split(",") if h.strip()]

    def team_users(self) -> models.QuerySet[User]:
        """The users on the agency's team: who may log consultations, own follow-ups and
        measures."""
        return (
            get_user_model()
            .objects.filter(team_memberships__agency=self)
            .distinct()
            .order_by("name")
        )

    def serves(self, county: County | None) -> bool:
        return county is not None and self.counties.filter(pk=county.pk).exists()


class AgencyRole(models.TextChoices):
    ADMIN = "admin", _("Agency administrator")
    CONSULTANT = "consultant", _("Consultant")


class TeamMember(models.Model):
    """A member of the agency's team: shown on the team page, and their role in Bokbro."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="team", verbose_name=_("agency")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        null=True,
        blank=True,
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    area = models.CharField(_("area of responsibility"), max_length=300, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=AgencyRole.choices, default=AgencyRole.CONSULTANT
    )
    is_listed = models.BooleanField(_("shown on the team page"), default=True)
    position = models.PositiveIntegerField(
        _("order"), default=0, validators=limits.between(*limits.ORDER)
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["agency", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                Lower("email"),
                name="team_member_unique_email",
                violation_error_message=_("This e-mail address is already on the team."),
            ),
            limits.within("team_member_in_range", position=limits.ORDER),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"
