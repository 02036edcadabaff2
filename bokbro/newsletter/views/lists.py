"""The agency's staff: the newsletter overview, lists and their subscribers, and the import.
Every change is a service call (services/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.newsletter.access import list_for_staff
from bokbro.newsletter.forms import (
    ImportForm,
    MailingListForm,
)
from bokbro.newsletter.models import (
    MailingList,
    SubscriberStatus,
)
from bokbro.newsletter.selectors import (
    issues_with_sent_counts,
    segment_people,
    subscriber_counts,
)
from bokbro.newsletter.services import NewsletterError, imports, lists

SUBSCRIBERS_SHOWN = 200


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
                    "Added: %(added)s. Already on the list: %(already)s. "
                    "Left out (had unsubscribed): %(skipped)s."
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
