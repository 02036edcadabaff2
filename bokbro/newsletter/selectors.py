"""Reads of the newsletter that its pages, the sending and the demo share: whom a list reaches,
and the counts the staff pages show."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Person
from bokbro.newsletter.models import Issue, IssueStatus, MailingList, SubscriberStatus


def segment_people(mailing_list: MailingList) -> QuerySet[Person]:
    """The directory people a segment list reaches: with an e-mail address and a role at a
    library in the agency's region matching every filter that is set."""
    county_ids = agency_county_ids(mailing_list.agency)
    q = Q(library_roles__library__municipality__county__in=county_ids) | Q(
        library_roles__library__county__in=county_ids
    )
    if mailing_list.segment_roles:
        q &= Q(library_roles__role__in=mailing_list.segment_roles)
    if mailing_list.segment_library_kinds:
        q &= Q(library_roles__library__kind__in=mailing_list.segment_library_kinds)
    counties = list(mailing_list.segment_counties.values_list("pk", flat=True))
    if counties:
        q &= Q(library_roles__library__municipality__county__in=counties) | Q(
            library_roles__library__county__in=counties
        )
    municipalities = list(mailing_list.segment_municipalities.values_list("pk", flat=True))
    if municipalities:
        q &= Q(library_roles__library__municipality__in=municipalities)
    q &= Q(library_roles__library__is_active=True)
    return Person.objects.filter(q).exclude(email="").distinct()


def list_recipients(mailing_list: MailingList) -> list[tuple[str, str, str]]:
    """(email, name, language) of everyone an issue of this list goes to, one row per address."""
    agency_language = mailing_list.agency.language
    found: dict[str, tuple[str, str, str]] = {}
    if mailing_list.is_segment:
        suppressed = {
            e.lower()
            for e in mailing_list.subscribers.filter(
                status=SubscriberStatus.UNSUBSCRIBED
            ).values_list("email", flat=True)
        }
        people = segment_people(mailing_list).values_list("email", "name", "user__language")
        for email, name, language in people.order_by("pk"):
            key = email.lower()
            if key not in suppressed and key not in found:
                found[key] = (email, name, language or agency_language)
    else:
        rows = mailing_list.subscribers.filter(status=SubscriberStatus.CONFIRMED).order_by("pk")
        for email, name, language in rows.values_list("email", "name", "language"):
            found.setdefault(email.lower(), (email, name, language or agency_language))
    return list(found.values())


def recipient_count(issue: Issue) -> int:
    """How many the issue goes to: counted when sending started, until then as the list
    stands now."""
    if issue.status in {IssueStatus.SENDING, IssueStatus.SENT}:
        return issue.recipients_count
    return len(list_recipients(issue.mailing_list))


def issues_with_sent_counts(agency: Agency) -> QuerySet[Issue]:
    """The agency's latest issues, each with the number of messages sent so far."""
    return (
        Issue.objects.of(agency)
        .for_list()
        .order_by("-created_at")
        .annotate(sent_count=Count("deliveries", filter=Q(deliveries__status="sent")))[:50]
    )


def subscriber_counts(mailing_list: MailingList) -> dict[str, int]:
    """The list's subscribers by status."""
    return dict(mailing_list.subscribers.values_list("status").annotate(n=Count("pk")).order_by())


def delivery_counts(issue: Issue) -> dict[str, int]:
    """The issue's deliveries by status."""
    return dict(issue.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
