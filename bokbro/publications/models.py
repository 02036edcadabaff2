"""Publications: the agency's reports, guides and other documents, with their metadata (authors,
year, kind, language, ISBN or ISSN with a correct check digit), a PDF or a link, a cover, and the
plan goals they serve. A publication is a draft, seen by the agency's team only, until it is
published: then it is in the archive, the feed and the annual report."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.directory.models import Agency


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    GUIDE = "guide", _("Guide")
    PLAN = "plan", _("Plan or strategy")
    EVALUATION = "evaluation", _("Evaluation")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    NN = "nn", _("Norwegian Nynorsk")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    SE = "se", _("Northern Sami")
    OTHER = "other", _("Other language")


def upload_path(instance: Publication, filename: str) -> str:
    return f"publications/{instance.agency_id}/{secrets.token_urlsafe(8)}/{filename}"


class PublicationQuerySet(models.QuerySet["Publication"]):
    def of_agency(self, agency: Agency | None) -> PublicationQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def search(self, q: str) -> PublicationQuerySet:
        q = q.strip()
        if not q:
            return self
        digits = "".join(c for c in q if c.isdigit() or c in "xX")
        where = Q(title__icontains=q) | Q(authors__icontains=q) | Q(summary__icontains=q)
        if len(digits) >= 8:
            where |= Q(isbn__icontains=digits) | Q(issn__icontains=q.strip())
        return self.filter(where)

    def published(self) -> PublicationQuerySet:
        return self.filter(published_at__isnull=False)

    def for_list(self) -> PublicationQuerySet:
        return self.select_related("agency").prefetch_related("plan_goals")


class Publication(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(
        _("authors"), max_length=500, blank=True, help_text=_("Separate names with commas.")
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.NB
    )
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True)
    summary = models.TextField(
        _("summary"), blank=True, max_length=5000, help_text=_("Markdown: **bold**, lists, links.")
    )
    file = models.FileField(_("PDF"), upload_to=upload_path, blank=True)
    url = models.URLField(_("link"), blank=True, help_text=_("Where it is published, if not here."))
    cover = models.FileField(_("cover picture"), upload_to=upload_path, blank=True)
    plan_goals = models.ManyToManyField(
        "plans.Goal", blank=True, related_name="publications", verbose_name=_("plan goals")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="publication_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", args=[self.pk])

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def published_on(self) -> date:
        return date(self.year, 1, 1)

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class ScanTag(models.Model):
    """A topic the agency tags its horizon-scanning items with (its own words)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="scan_tags")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="scan_tag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ScanItemQuerySet(models.QuerySet["ScanItem"]):
    def of_agency(self, agency: Agency | None) -> ScanItemQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def for_list(self) -> ScanItemQuerySet:
        return self.prefetch_related("tags", "plan_goals")


class ScanItem(models.Model):
    """Horizon scanning (omverdensovervåking / omvärldsbevakning): something worth knowing —
    research, a project, a report elsewhere — with a short summary in the agency's words."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="scan_items")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Who published it.")
    )
    published_on = models.DateField(_("date"))
    summary = models.TextField(
        _("summary"), blank=True, max_length=2000, help_text=_("A few lines in your own words.")
    )
    tags = models.ManyToManyField(
        ScanTag, blank=True, related_name="items", verbose_name=_("topics")
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal", blank=True, related_name="scan_items", verbose_name=_("plan goals")
    )
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("horizon-scanning item")
        verbose_name_plural = _("horizon-scanning items")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MagazineIssueQuerySet(models.QuerySet["MagazineIssue"]):
    def of_agency(self, agency: Agency | None) -> MagazineIssueQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def published(self) -> MagazineIssueQuerySet:
        return self.filter(published_at__isnull=False)


class MagazineIssue(models.Model):
    """An issue of the library magazine (biblioteksmagasin): a contents page of articles,
    public once published."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="magazine_issues")
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “No. 2, 2026”."))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    lead = models.TextField(_("editorial"), blank=True, max_length=3000, help_text=_("Markdown."))
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MagazineIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("magazine issue")
        verbose_name_plural = _("magazine issues")
        ordering = ["-published_at", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:issue", args=[self.pk])


class Article(models.Model):
    issue = models.ForeignKey(MagazineIssue, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), max_length=600, help_text=_("Two or three sentences."))
    body = models.TextField(
        _("text"), max_length=40000, help_text=_("Markdown: **bold**, lists, links, ## headings.")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:article", args=[self.issue_id, self.pk])

    @property
    def agency_id(self) -> int:
        """The issue's agency (the upload path names it)."""
        return self.issue.agency_id


class ArticlePicture(models.Model):
    """One of an article's pictures, in order: the first above the text, the others after it,
    each with its description (the alternative text) and the photographer's credit."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pictures")
    picture = models.FileField(_("picture"), upload_to=upload_path)
    description = models.CharField(
        _("picture description"),
        max_length=300,
        help_text=_("What the picture shows, for those who cannot see it."),
    )
    credit = models.CharField(
        _("photo credit"), max_length=200, blank=True, help_text=_("Who took the picture.")
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("article picture")
        verbose_name_plural = _("article pictures")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""), name="article_picture_has_description"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def agency_id(self) -> int:
        """The issue's agency (the upload path names it)."""
        return self.article.issue.agency_id
