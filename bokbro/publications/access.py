"""Access to publications: published ones are public on the agency's site (another site: 404);
a draft is found by the agency's team only (404 for everyone else); the agency's team changes
its own (another agency's: 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import request_roles
from bokbro.directory.tenancy import site_agency
from bokbro.publications.models import (
    Article,
    ArticlePicture,
    MagazineIssue,
    Publication,
    ScanItem,
)


def public_publication(request: AgencyRequest, pk: int) -> Publication:
    """A published publication of this site's agency; a draft only for the agency's team."""
    found = Publication.objects.for_list()
    if not request_roles(request).is_staff:
        found = found.published()
    return get_object_or_404(found, pk=pk, agency=site_agency(request))


def publication_for_staff(request: StaffRequest, pk: int) -> Publication:
    publication = get_object_or_404(Publication, pk=pk)
    if publication.agency_id != request.agency.pk:
        raise PermissionDenied
    return publication


def scan_item_for_staff(request: StaffRequest, pk: int) -> ScanItem:
    item = get_object_or_404(ScanItem, pk=pk)
    if item.agency_id != request.agency.pk:
        raise PermissionDenied
    return item


def public_issue(request: AgencyRequest, pk: int) -> MagazineIssue:
    """A published issue of this site's agency, or 404."""
    return get_object_or_404(MagazineIssue.objects.published(), pk=pk, agency=site_agency(request))


def readable_issue(request: AgencyRequest, pk: int) -> MagazineIssue:
    """An issue of this site's agency: a published one for anyone, a draft for the agency's team
    only (its article pages show the draft's pictures)."""
    found = MagazineIssue.objects.all()
    if not request_roles(request).is_staff:
        found = found.published()
    return get_object_or_404(found, pk=pk, agency=site_agency(request))


def issue_for_staff(request: StaffRequest, pk: int) -> MagazineIssue:
    issue = get_object_or_404(MagazineIssue, pk=pk)
    if issue.agency_id != request.agency.pk:
        raise PermissionDenied
    return issue


def article_of(issue: MagazineIssue, pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("issue"), pk=pk, issue=issue)


def picture_of(article: Article, pk: int) -> ArticlePicture:
    return get_object_or_404(
        ArticlePicture.objects.select_related("article__issue"), pk=pk, article=article
    )
