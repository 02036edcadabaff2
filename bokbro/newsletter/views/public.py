"""Public pages: subscribe, confirm, unsubscribe (one click, RFC 8058), the preference page
behind a signed link, and the archive of sent issues with its Atom feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from bokbro.core.markdown import render_markdown
from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.core.types import AgencyRequest
from bokbro.directory.models import Agency
from bokbro.directory.tenancy import site_agency
from bokbro.newsletter import links
from bokbro.newsletter.access import archived_issue
from bokbro.newsletter.forms import PreferencesForm, SubscribeForm
from bokbro.newsletter.models import Issue, IssueImage, MailingList, Subscriber, SubscriberStatus
from bokbro.newsletter.rendering import issue_context
from bokbro.newsletter.services import NewsletterError, subscriptions

ARCHIVE_SIZE = 100


def client_ip(request: AgencyRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def subscribe(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    form = SubscribeForm(request.POST or None, agency=agency)
    wait = address_wait(form.cleaned_data["email"]) if form.is_bound and form.is_valid() else None
    if wait is not None:
        form.add_error("email", address_refusal(wait))
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.subscription_request(
                agency=agency,
                mailing_lists=list(form.cleaned_data["lists"]),
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                language=request.LANGUAGE_CODE,
                ip=client_ip(request),
            )
        except NewsletterError as error:
            form.add_error(None, error.message)
        else:
            return redirect("newsletter:subscribe_sent")
    lists = MailingList.objects.of(agency).public()
    return render(
        request,
        "newsletter/subscribe.html",
        {"form": form, "lists": lists, "consent_text": subscriptions.CONSENT_TEXT},
    )


def subscribe_sent(request: AgencyRequest) -> HttpResponse:
    return render(request, "newsletter/subscribe_sent.html")


def confirm(request: AgencyRequest, token: str) -> HttpResponse:
    """GET shows a button and POST confirms: mail scanners that open links confirm nothing."""
    ids = links.confirm_from_token(token)
    if ids is None:
        raise Http404
    subscribers = Subscriber.objects.filter(pk__in=ids).select_related("mailing_list")
    if not subscribers:
        raise Http404
    if request.method == "POST":
        try:
            subscriptions.subscription_confirm(token=token, ip=client_ip(request))
        except NewsletterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you! Your subscription is confirmed."))
        return redirect("newsletter:confirm", token=token)
    done = all(s.status == SubscriberStatus.CONFIRMED for s in subscribers)
    return render(request, "newsletter/confirm.html", {"subscribers": subscribers, "done": done})


@csrf_exempt
def unsubscribe(request: AgencyRequest, token: str) -> HttpResponse:
    """The link in every mail. A mail program's one-click POST (RFC 8058) carries no CSRF token;
    the signed link is the credential, and it can only take an address off a list."""
    found = links.unsubscribe_from_token(token)
    if found is None:
        raise Http404
    list_id, email, issue_id = found
    mailing_list = MailingList.objects.select_related("agency").filter(pk=list_id).first()
    if mailing_list is None:
        raise Http404
    if request.method == "POST":
        issue = (
            Issue.objects.filter(pk=issue_id, mailing_list=mailing_list).first()
            if issue_id is not None
            else None
        )
        subscriptions.list_unsubscribe(mailing_list=mailing_list, email=email, issue=issue)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
        return redirect("newsletter:unsubscribe", token=token)
    done = Subscriber.objects.filter(
        mailing_list=mailing_list, email__iexact=email, status=SubscriberStatus.UNSUBSCRIBED
    ).exists()
    preferences = reverse(
        "newsletter:preferences",
        args=[links.preferences_token(agency=mailing_list.agency, email=email)],
    )
    return render(
        request,
        "newsletter/unsubscribe.html",
        {"mailing_list": mailing_list, "email": email, "done": done, "preferences": preferences},
    )


def preferences(request: AgencyRequest, token: str) -> HttpResponse:
    """The link is the key, on any of the install's host names (mails link to the agency's)."""
    found = links.preferences_from_token(token)
    if found is None:
        raise Http404
    agency_id, email = found
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    rows = Subscriber.objects.filter(agency=agency, email__iexact=email)
    mine = {row.mailing_list_id: row.status for row in rows}
    offered = MailingList.objects.of(agency).filter(
        pk__in=[*MailingList.objects.of(agency).public().values_list("pk", flat=True), *mine]
    )
    receiving = [
        m.pk
        for m in offered
        if (m.is_segment and mine.get(m.pk) != SubscriberStatus.UNSUBSCRIBED)
        or mine.get(m.pk) == SubscriberStatus.CONFIRMED
    ]
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        offered=offered,
        initial={"lists": receiving},
    )
    if request.method == "POST" and form.is_valid():
        subscriptions.preferences_update(
            agency=agency,
            email=email,
            wanted=form.cleaned_data["lists"],
            offered=offered,
            ip=client_ip(request),
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("newsletter:preferences", token=token)
    return render(
        request,
        "newsletter/preferences.html",
        {"form": form, "email": email, "list_agency": agency},
    )


def archive(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    issues = Issue.objects.of(agency).archived().for_list().order_by("-sent_at")[:ARCHIVE_SIZE]
    lists = MailingList.objects.of(agency).public()
    return render(request, "newsletter/archive.html", {"issues": issues, "lists": lists})


def issue(request: AgencyRequest, pk: int) -> HttpResponse:
    found = archived_issue(request, pk)
    return render(request, "newsletter/issue.html", issue_context(found))


def image(request: AgencyRequest, key: str) -> HttpResponseBase:
    """A picture of an issue. Its address holds a random key, so mails to internal lists can
    show it without a sign-in, and nobody finds the pictures of drafts by counting."""
    found = IssueImage.objects.filter(file__contains=f"/{key}.").first() if len(key) == 32 else None
    if found is None or not (found.file.name or "").rpartition("/")[2].startswith(key):
        raise Http404
    response = FileResponse(found.file.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def feed(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    issues = Issue.objects.of(agency).archived().for_list().order_by("-sent_at")[:50]
    atom = Atom1Feed(
        title=_("Newsletters from %(agency)s") % {"agency": agency.name if agency else "Bokbro"},
        link=request.build_absolute_uri(reverse("newsletter:archive")),
        description="",
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    for item in issues:
        atom.add_item(
            title=item.subject,
            link=request.build_absolute_uri(item.get_absolute_url()),
            description=str(render_markdown(item.intro or item.body[:1000])),
            pubdate=item.sent_at,
            updateddate=item.finished_at or item.sent_at,
            unique_id=request.build_absolute_uri(item.get_absolute_url()),
            categories=[item.mailing_list.name],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
