"""The agency's staff: composing, previewing, testing, scheduling and following an issue, and
its pictures. Every change is a service call (services/)."""

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
from bokbro.newsletter.access import issue_for_staff
from bokbro.newsletter.forms import (
    ImageForm,
    IssueForm,
    ScheduleForm,
)
from bokbro.newsletter.models import (
    DeliveryStatus,
    Issue,
    MailingList,
)
from bokbro.newsletter.rendering import (
    IssueRenderer,
    image_key,
    issue_context,
    picture_reference,
)
from bokbro.newsletter.selectors import (
    delivery_counts,
    recipient_count,
)
from bokbro.newsletter.services import NewsletterError, issues

FAILURES_SHOWN = 200


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
