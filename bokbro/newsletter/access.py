"""Access to newsletters: the agency's staff manage its lists and issues; the public sees the
agency's public lists and its archive of sent issues; a signed link is the key to one
address's subscriptions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest
from bokbro.newsletter.models import Issue, MailingList


def _agency(request: AgencyRequest):
    return getattr(request, "agency", None)


def list_for_staff(request: AgencyRequest, pk: int) -> MailingList:
    """One of the site's agency's lists (call from a `staff_required` view)."""
    mailing_list = get_object_or_404(MailingList.objects.select_related("agency"), pk=pk)
    agency = _agency(request)
    if agency is None or mailing_list.agency_id != agency.pk:
        raise PermissionDenied
    return mailing_list


def issue_for_staff(request: AgencyRequest, pk: int) -> Issue:
    issue = get_object_or_404(Issue.objects.for_list(), pk=pk)
    agency = _agency(request)
    if agency is None or issue.agency_id != agency.pk:
        raise PermissionDenied
    return issue


def archived_issue(request: AgencyRequest, pk: int) -> Issue:
    """A sent issue in the site's agency's public archive; anything else is not found."""
    agency = _agency(request)
    issue = get_object_or_404(Issue.objects.for_list(), pk=pk)
    archived = Issue.objects.archived().filter(pk=pk).exists()
    if agency is None or issue.agency_id != agency.pk or not archived:
        raise Http404
    return issue
