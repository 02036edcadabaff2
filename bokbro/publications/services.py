"""Every write to publications: save (new or changed, with its plan goals) and delete. The form
has checked the ISBN and ISSN check digits and the files; the service checks them again (the
demo and the API call it too), that a publication has a PDF or a link, and that its goals are
the agency's own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.isbn import normalise_isbn, normalise_issn
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.newsletter.models import Issue as NewsletterIssue
from bokbro.newsletter.models import MailingList
from bokbro.newsletter.services import NewsletterError
from bokbro.newsletter.services.issues import IssueFields as NewsletterFields
from bokbro.newsletter.services.issues import issue_save as newsletter_issue_save
from bokbro.plans.tagging import check_plan_goals
from bokbro.publications import metadata
from bokbro.publications.models import (
    Article,
    ArticlePicture,
    MagazineIssue,
    Publication,
    ScanItem,
    ScanTag,
)

if TYPE_CHECKING:
    from bokbro.plans.models import Goal


@dataclass(frozen=True, kw_only=True)
class PublicationData(Input):
    title: str
    year: int
    kind: str
    language: str
    authors: str = ""
    isbn: str = ""
    issn: str = ""
    summary: str = ""
    url: str = ""
    file: Any = None  # an upload, or None to keep the stored file
    cover: Any = None
    publish: bool = False  # False: a draft, seen by the agency's team only


@transaction.atomic
def publication_save(
    *,
    actor: Actor | None,
    agency: Agency,
    data: PublicationData,
    publication: Publication | None = None,
    plan_goals: Iterable[Goal] | None = None,
) -> Publication:
    created = publication is None
    if publication is None:
        publication = Publication(agency=agency)
    if publication.agency_id != agency.pk:
        raise ValidationError(_("This publication belongs to another agency."))
    errors: dict[str, Any] = {}
    isbn = issn = ""
    try:
        isbn = normalise_isbn(data.isbn) if data.isbn.strip() else ""
    except ValidationError as error:
        errors["isbn"] = error
    try:
        issn = normalise_issn(data.issn) if data.issn.strip() else ""
    except ValidationError as error:
        errors["issn"] = error
    if errors:
        raise ValidationError(errors)
    publication.title, publication.authors = data.title.strip(), data.authors.strip()
    publication.year, publication.kind, publication.language = data.year, data.kind, data.language
    publication.isbn, publication.issn = isbn, issn
    publication.summary, publication.url = data.summary, data.url
    if data.file:
        publication.file = data.file
    if data.cover:
        publication.cover = data.cover
    if not publication.file and not publication.url:
        raise ValidationError({"file": _("Upload the PDF or give a link to it.")})
    was_published = publication.published_at is not None
    if data.publish and not was_published:
        publication.published_at = timezone.now()
    elif not data.publish:
        publication.published_at = None
    publication.full_clean(exclude=["agency", "file", "cover"])
    publication.save()
    if plan_goals is not None:
        goals = list(plan_goals)
        check_plan_goals(agency, goals)
        publication.plan_goals.set(goals)
    verb = "created" if created else "updated"
    if data.publish != was_published:
        verb = "published" if data.publish else "unpublished"
    audit_log(
        action=f"publications.publication.{verb}", actor=actor, agency=agency, target=publication
    )
    return publication


@transaction.atomic
def publication_delete(*, actor: Actor, agency: Agency, publication: Publication) -> None:
    audit_log(
        action="publications.publication.deleted",
        actor=actor,
        agency=agency,
        data={"title": publication.title},
    )
    publication.delete()


# --- Horizon scanning ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScanItemData(Input):
    url: str
    title: str = ""
    source: str = ""
    published_on: date | None = None
    summary: str = ""
    tags: str = ""  # topic names, separated by commas


def _tags(agency: Agency, names: str) -> list[ScanTag]:
    wanted = {" ".join(n.split())[:60] for n in names.split(",") if n.strip()}
    return [ScanTag.objects.get_or_create(agency=agency, name=name)[0] for name in sorted(wanted)]


@transaction.atomic
def scan_item_save(
    *,
    actor: Actor | None,
    agency: Agency,
    data: ScanItemData,
    item: ScanItem | None = None,
    plan_goals: Iterable[Goal] | None = None,
) -> ScanItem:
    """Save an item. A new item without a title is completed from the page's own metadata (title,
    description, site name, date); when the page cannot be read, ValidationError asks for the
    title and nothing is saved."""
    values = {name: value for name, value in data.items()}
    if item is None and not data.title.strip():
        found = metadata.read(data.url)
        values["title"] = found.title
        values["summary"] = data.summary or found.description
        values["source"] = data.source or found.site_name
        values["published_on"] = data.published_on or found.published_on
    if not values["title"].strip():
        raise ValidationError(
            {"title": _("We could not read the page's title: write one yourself.")}
        )
    created = item is None
    if item is None:
        item = ScanItem(agency=agency, added_by=actor)
    item.url, item.title = values["url"], values["title"].strip()
    item.source, item.summary = values["source"].strip(), values["summary"]
    item.published_on = values["published_on"] or timezone.localdate()
    item.full_clean(exclude=["agency", "added_by"])
    item.save()
    item.tags.set(_tags(agency, data.tags))
    if plan_goals is not None:
        goals = list(plan_goals)
        check_plan_goals(agency, goals)
        item.plan_goals.set(goals)
    verb = "created" if created else "updated"
    audit_log(action=f"publications.scan.{verb}", actor=actor, agency=agency, target=item)
    return item


@transaction.atomic
def scan_item_delete(*, actor: Actor, agency: Agency, item: ScanItem) -> None:
    audit_log(
        action="publications.scan.deleted", actor=actor, agency=agency, data={"title": item.title}
    )
    item.delete()


# --- The magazine -------------------------------------------------------------------------------


@transaction.atomic
def issue_save(
    *,
    actor: Actor | None,
    agency: Agency,
    issue: MagazineIssue | None = None,
    title: str,
    theme: str = "",
    lead: str = "",
    publish: bool = False,
) -> MagazineIssue:
    """Save an issue; `publish` puts it on the public pages and in the feed (once)."""
    created = issue is None
    if issue is None:
        issue = MagazineIssue(agency=agency)
    if issue.agency_id != agency.pk:
        raise ValidationError(_("This issue belongs to another agency."))
    issue.title, issue.theme, issue.lead = title.strip(), theme.strip(), lead
    if publish and issue.published_at is None:
        if created or not issue.articles.exists():
            raise ValidationError(_("Add an article before you publish the issue."))
        issue.published_at = timezone.now()
    if not publish:
        issue.published_at = None
    issue.full_clean(exclude=["agency"])
    issue.save()
    verb = "created" if created else "updated"
    audit_log(action=f"publications.issue.{verb}", actor=actor, agency=agency, target=issue)
    return issue


@dataclass(frozen=True, kw_only=True)
class ArticleData(Input):
    title: str
    lead: str
    body: str
    author: str = ""
    position: int = 0
    # A picture to add after the article's other pictures, with its description and credit.
    picture: Any = None
    picture_text: str = ""
    picture_credit: str = ""


PICTURE_FIELDS = ("picture", "picture_text", "picture_credit")


@transaction.atomic
def article_save(
    *,
    actor: Actor | None,
    agency: Agency,
    issue: MagazineIssue,
    data: ArticleData,
    article: Article | None = None,
) -> Article:
    if issue.agency_id != agency.pk:
        raise ValidationError(_("This issue belongs to another agency."))
    created = article is None
    if article is None:
        article = Article(issue=issue)
    for name, value in data.items():
        if name not in PICTURE_FIELDS:
            setattr(article, name, value.strip() if isinstance(value, str) else value)
    if data.picture and not data.picture_text.strip():
        raise ValidationError(
            {"picture_text": _("Describe the picture for those who cannot see it.")}
        )
    article.full_clean(exclude=["issue"])
    article.save()
    if data.picture:
        last = article.pictures.aggregate(last=Max("position"))["last"]
        picture = ArticlePicture(
            article=article,
            picture=data.picture,
            description=data.picture_text.strip(),
            credit=data.picture_credit.strip(),
            position=0 if last is None else last + 1,
        )
        picture.full_clean(exclude=["article", "picture"])
        picture.save()
    verb = "created" if created else "updated"
    audit_log(action=f"publications.article.{verb}", actor=actor, agency=agency, target=issue)
    return article


@transaction.atomic
def article_picture_update(
    *,
    actor: Actor,
    agency: Agency,
    picture: ArticlePicture,
    description: str,
    credit: str = "",
    position: int,
) -> ArticlePicture:
    """Change a picture's description, credit or place in the article."""
    if picture.article.issue.agency_id != agency.pk:
        raise ValidationError(_("This issue belongs to another agency."))
    if not description.strip():
        raise ValidationError(
            {"description": _("Describe the picture for those who cannot see it.")}
        )
    picture.description, picture.credit = description.strip(), credit.strip()
    picture.position = position
    picture.full_clean(exclude=["article", "picture"])
    picture.save()
    audit_log(
        action="publications.picture.updated",
        actor=actor,
        agency=agency,
        target=picture.article.issue,
        data={"article": picture.article.title},
    )
    return picture


@transaction.atomic
def article_picture_delete(*, actor: Actor, agency: Agency, picture: ArticlePicture) -> None:
    issue = picture.article.issue
    if issue.agency_id != agency.pk:
        raise ValidationError(_("This issue belongs to another agency."))
    title = picture.article.title
    picture.delete()
    audit_log(
        action="publications.picture.deleted",
        actor=actor,
        agency=agency,
        target=issue,
        data={"article": title},
    )


@transaction.atomic
def article_delete(*, actor: Actor, agency: Agency, article: Article) -> None:
    issue = article.issue
    article.delete()
    audit_log(action="publications.article.deleted", actor=actor, agency=agency, target=issue)


# --- To the newsletter --------------------------------------------------------------------------


def _newsletter_draft(
    *, actor: Actor, agency: Agency, mailing_list: MailingList, subject: str, body: str
) -> NewsletterIssue:
    """A draft issue of the agency's newsletter, for the editor to finish and send."""
    try:
        return newsletter_issue_save(
            actor=actor,
            agency=agency,
            issue=None,
            fields=NewsletterFields(mailing_list=mailing_list, subject=subject, body=body),
        )
    except NewsletterError as error:
        raise ValidationError(str(error)) from error


def magazine_announce(
    *, actor: Actor, agency: Agency, issue: MagazineIssue, mailing_list: MailingList
) -> NewsletterIssue:
    """In one step: a newsletter draft announcing a published magazine issue, with its articles
    and their leads, each linked."""
    if issue.published_at is None:
        raise ValidationError(_("Publish the issue before you announce it."))
    with translation.override(agency.language):
        body = render_to_string(
            "publications/magazine/announcement.md",
            {"issue": issue, "articles": list(issue.articles.all()), "agency": agency},
        )
        subject = str(_("New in the magazine: %(title)s") % {"title": issue.title})
    return _newsletter_draft(
        actor=actor, agency=agency, mailing_list=mailing_list, subject=subject, body=body
    )


def scanning_to_newsletter(
    *, actor: Actor, agency: Agency, mailing_list: MailingList, since: date
) -> NewsletterIssue:
    """A newsletter draft with a horizon-scanning section: the items dated `since` or later."""
    items = list(
        ScanItem.objects.of_agency(agency).filter(published_on__gte=since).order_by("-published_on")
    )
    if not items:
        raise ValidationError(_("There are no horizon-scanning items this month yet."))
    with translation.override(agency.language):
        body = render_to_string(
            "publications/scanning_section.md", {"items": items, "agency": agency}
        )
        subject = str(_("Horizon scanning"))
    return _newsletter_draft(
        actor=actor, agency=agency, mailing_list=mailing_list, subject=subject, body=body
    )
