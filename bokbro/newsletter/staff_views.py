"""The agency's staff: lists and their subscribers, the import, composing, previewing, testing,
scheduling and following an issue. Every change is a service call (services/)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.newsletter.access import issue_for_staff, list_for_staff
from bokbro.newsletter.forms import (
    ImageForm,
    ImportForm,
    IssueForm,
    MailingListForm,
    ScheduleForm,
)
from bokbro.newsletter.models import (
    DeliveryStatus,
    Issue,
    MailingList,
    SubscriberStatus,
)
from bokbro.newsletter.rendering import (
    IssueRenderer,
    image_key,
    issue_context,
    picture_reference,
)
from bokbro.newsletter.selectors import (
    delivery_counts,
    issues_with_sent_counts,
    recipient_count,
    segment_people,
    subscriber_counts,
)
from bokbro.newsletter.services import NewsletterError, imports, issues, lists

SUBSCRIBERS_SHOWN = 200
FAILURES_SHOWN = 200


@staff_required
def overview(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    return render(
        request,
        "newsletter/staff/overview.html",
        {
            "lists": MailingList.objects.of(agency).with_counts().order_by("name"),
            "issues": issues_with_sent_counts(agency),
        },
    )


# --- Lists ------------------------------------------------------------------------------------


@staff_required
def list_create(request: StaffRequest) -> HttpResponse:
    return _list_form(request, None)


@staff_required
def list_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _list_form(request, list_for_staff(request, pk))


def _list_form(request: StaffRequest, mailing_list: MailingList | None) -> HttpResponse:
    agency = request.agency
    form = MailingListForm(request.POST or None, instance=mailing_list, agency=agency)
    if request.method == "POST" and form.is_valid():
        saved = lists.list_save(
            actor=request.user, agency=agency, mailing_list=mailing_list, fields=form.list_fields()
        )
        messages.success(request, _("The list is saved."))
        return redirect("newsletter:list_detail", saved.pk)
    return render(
        request,
        "newsletter/staff/list_form.html",
        {"form": form, "mailing_list": mailing_list},
    )


@staff_required
def list_detail(request: StaffRequest, pk: int) -> HttpResponse:
    mailing_list = list_for_staff(request, pk)
    counts = subscriber_counts(mailing_list)
    subscribers = mailing_list.subscribers.order_by("email")[:SUBSCRIBERS_SHOWN]
    segment_count = segment_people(mailing_list).count() if mailing_list.is_segment else None
    return render(
        request,
        "newsletter/staff/list_detail.html",
        {
            "mailing_list": mailing_list,
            "subscribers": subscribers,
            "confirmed": counts.get(SubscriberStatus.CONFIRMED, 0),
            "pending": counts.get(SubscriberStatus.PENDING, 0),
            "unsubscribed": counts.get(SubscriberStatus.UNSUBSCRIBED, 0),
            "segment_count": segment_count,
            "import_form": ImportForm(),
            "shown": SUBSCRIBERS_SHOWN,
        },
    )


@staff_required
def list_import(request: StaffRequest, pk: int) -> HttpResponse:
    mailing_list = list_for_staff(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.subscribers_import(
                actor=request.user,
                agency=request.agency,
                mailing_list=mailing_list,
                text=form.cleaned_data["file"],
            )
        except imports.ImportRejected as rejected:
            problems = rejected.problems
        except NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(added)s addresses added; %(already)s were already on the list; "
                    "%(skipped)s had unsubscribed and were left out."
                )
                % {
                    "added": result.added,
                    "already": result.already,
                    "skipped": result.skipped_unsubscribed,
                },
            )
            return redirect("newsletter:list_detail", mailing_list.pk)
    return render(
        request,
        "newsletter/staff/list_import.html",
        {"mailing_list": mailing_list, "form": form, "problems": problems},
    )


# --- Issues -----------------------------------------------------------------------------------


@staff_required
def issue_create(request: StaffRequest) -> HttpResponse:
    return _issue_form(request, None)


@staff_required
def issue_edit(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    if not issue.is_editable:
        messages.error(request, _("An issue that is being sent or has been sent can't be changed."))
        return redirect("newsletter:issue_detail", issue.pk)
    return _issue_form(request, issue)


def _issue_form(request: StaffRequest, issue: Issue | None) -> HttpResponse:
    agency = request.agency
    initial = {}
    if issue is None and request.GET.get("list"):
        initial["mailing_list"] = request.GET["list"]
    form = IssueForm(request.POST or None, instance=issue, agency=agency, initial=initial)
    has_lists = MailingList.objects.of(agency).exists()
    if request.method == "POST" and has_lists and form.is_valid():
        try:
            saved = issues.issue_save(
                actor=request.user, agency=agency, issue=issue, fields=form.issue_fields()
            )
        except NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The issue is saved."))
            return redirect("newsletter:issue_detail", saved.pk)
    return render(
        request,
        "newsletter/staff/issue_form.html",
        {"form": form, "issue": issue, "has_lists": has_lists, "pictures": _pictures(issue)},
    )


def _pictures(issue: Issue | None) -> list[dict]:
    """The issue's pictures with the reference an editor puts in the text to place each."""
    if issue is None:
        return []
    return [
        {
            "image": image,
            "url": reverse("newsletter:image", args=[image_key(image)]),
            "reference": picture_reference(image),
        }
        for image in issue.images.all()
    ]


@staff_required
def issue_detail(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    counts = delivery_counts(issue)
    failures = issue.deliveries.filter(status=DeliveryStatus.FAILED).order_by("email")[
        :FAILURES_SHOWN
    ]
    retrying = issue.deliveries.filter(status=DeliveryStatus.PENDING, attempts__gt=0).count()
    return render(
        request,
        "newsletter/staff/issue_detail.html",
        {
            "issue": issue,
            "recipients": recipient_count(issue),
            "sent": counts.get(DeliveryStatus.SENT, 0),
            "failed": counts.get(DeliveryStatus.FAILED, 0),
            "waiting": counts.get(DeliveryStatus.PENDING, 0),
            "retrying": retrying,
            "unsubscribes": issue.unsubscribes.count(),
            "failures": failures,
            "schedule_form": ScheduleForm(),
            "image_form": ImageForm(),
            "images": issue.images.all(),
            "pictures": _pictures(issue),
            "text_preview": IssueRenderer(issue).rendered(request.LANGUAGE_CODE).text,
            **issue_context(issue),
        },
    )


@staff_required
# django-csp's type hints admit only views without URL arguments.
@csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["*"]})  # type: ignore[arg-type]
def issue_preview_email(request: StaffRequest, pk: int) -> HttpResponse:
    """The HTML part exactly as recipients get it (its inline styles are for mail programs)."""
    issue = issue_for_staff(request, pk)
    message = IssueRenderer(issue).message_for(
        email=request.user.email,
        name="",
        language=request.LANGUAGE_CODE,
    )
    return HttpResponse(message.alternatives[0][0])


@staff_required
@require_POST
def issue_test(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    email = request.user.email
    issues.issue_send_test(actor=request.user, issue=issue, email=email)
    messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": email})
    return redirect("newsletter:issue_detail", issue.pk)


@staff_required
@require_POST
def issue_schedule(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("newsletter:issue_detail", issue.pk)
    when = form.cleaned_data["send_at"] if form.cleaned_data["when"] == "later" else None
    try:
        issues.issue_schedule(
            actor=request.user,
            agency=request.agency,
            issue=issue,
            when=when,
        )
    except NewsletterError as error:
        messages.error(request, error.message)
    else:
        if when is None:
            messages.success(request, _("The issue is being sent."))
        else:
            messages.success(
                request,
                _("The issue will be sent %(when)s.")
                % {"when": timezone.localtime(when).strftime("%d.%m.%Y %H:%M")},
            )
    return redirect("newsletter:issue_detail", issue.pk)


@staff_required
@require_POST
def issue_unschedule(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    try:
        issues.issue_unschedule(
            actor=request.user,
            agency=request.agency,
            issue=issue,
        )
    except NewsletterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The issue is a draft again."))
    return redirect("newsletter:issue_detail", issue.pk)


@staff_required
@require_POST
def issue_image_add(request: StaffRequest, pk: int) -> HttpResponse:
    issue = issue_for_staff(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if not issue.is_editable:
        messages.error(request, _("An issue that is being sent or has been sent can't be changed."))
    elif form.is_valid():
        issues.issue_image_add(
            actor=request.user,
            issue=issue,
            file=form.cleaned_data["file"],
            alt=form.cleaned_data["alt"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("The image is added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("newsletter:issue_detail", issue.pk)
