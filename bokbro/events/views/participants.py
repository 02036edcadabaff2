"""The participants of an event, for the agency's staff: the list with its filters, registering
someone, the actions on a registration (cancel, move from the waiting list, an extra seat,
approve, decline), the exports and an e-mail to the participants."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user, registration_for_staff
from bokbro.events.forms.participants import (
    EmailParticipantsForm,
    ParticipantFilterForm,
    RegisterForm,
)
from bokbro.events.models import (
    SEAT_HOLDING,
    Event,
    LibraryQuotaUse,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Session,
    SessionPlace,
    SessionPlaceStatus,
)
from bokbro.events.selectors import approval_routes, session_list, waiting_place, waiting_places
from bokbro.events.services import approvals, notices, places, registrations


def _registrations(event: Event, form: ParticipantFilterForm) -> QuerySet[Registration]:
    registrations = event.registrations.for_list().order_by("created_at", "pk")
    if not form.is_valid():
        return registrations
    data = form.cleaned_data
    if data["status"] == "active":
        registrations = registrations.active()
    elif data["status"]:
        registrations = registrations.filter(status=data["status"])
    if data["library"]:
        registrations = registrations.filter(library=data["library"])
    q = data["q"].strip()
    if q:
        registrations = registrations.filter(Q(name__icontains=q) | Q(email__icontains=q))
    return registrations


class Answers:
    """One column per question (answers are stored under the question's text), plus any
    answers to questions that have since been renamed or removed."""

    def __init__(self, questions: list[Any], registrations: list[Registration]) -> None:
        self.keys = [q.label for q in questions]
        self.yes_no = {q.label for q in questions if q.kind == QuestionKind.YES_NO}
        for registration in registrations:
            for key in registration.answers or {}:
                if key not in self.keys:
                    self.keys.append(key)

    def of(self, registration: Registration) -> list[str]:
        answers = registration.answers or {}
        return [self._text(key, answers.get(key)) for key in self.keys]

    def _text(self, key: str, value: Any) -> str:
        if value is None:
            return ""
        if key in self.yes_no and value in ("yes", "no", True, False):
            return _("Yes") if value in ("yes", True) else _("No")
        return str(value)


def _participants_page(
    request: StaffRequest, event: Event, register_form: RegisterForm, status: int = 200
) -> HttpResponse:
    filters = ParticipantFilterForm(request.GET or None, event=event)
    registrations = list(_registrations(event, filters))
    answers = Answers(list(event.questions.all()), registrations)
    # Where no seat is free for a waiting person, staff may add one (an extra chair).
    full = event.capacity is not None and event.seats_taken >= event.capacity
    quota_full = set()
    if event.quota_per_library:
        quota_full = set(
            LibraryQuotaUse.objects.filter(
                event=event, taken__gte=event.quota_per_library
            ).values_list("library_id", flat=True)
        )
    # Where each waiting person is in the queue now, and why the organiser decides a place
    # awaiting approval where no library manager can ("no manager registered for …").
    places_now = waiting_places(event)
    routes = approval_routes(
        [r for r in registrations if r.status == RegistrationStatus.PENDING_APPROVAL]
    )
    rows = [
        (
            r,
            list(zip(answers.keys, answers.of(r), strict=True)),
            full or r.library_id in quota_full,
            places_now.get(r.pk),
            routes.get(r.pk),
        )
        for r in registrations
    ]
    query = request.GET.urlencode()
    return render(
        request,
        "events/staff/participants.html",
        {
            "event": event,
            "rows": rows,
            "answer_keys": answers.keys,
            "electives": _electives(event),
            "counts": event.registrations.status_counts(),
            "filters": filters,
            "register_form": register_form,
            "query": query,
            "filtered": bool(filters.is_bound and any(request.GET.get(k) for k in filters.fields)),
        },
        status=status,
    )


def _electives(event: Event) -> list[Session]:
    """The event's elective sessions with how many wait for a seat in each."""
    return list(
        event.sessions.filter(capacity__isnull=False)
        .annotate(
            waiting_count=Count("places", filter=Q(places__status=SessionPlaceStatus.WAITING))
        )
        .order_by("starts_at", "pk")
    )


@staff_required
def session_places(request: StaffRequest, pk: int, session_pk: int) -> HttpResponse:
    """Who has a seat in an elective session, and who waits: the list for the room."""
    event = event_for_user(request, pk, write=True)
    session = get_object_or_404(event.sessions.filter(capacity__isnull=False), pk=session_pk)
    places = session_list(session)
    return render(
        request,
        "events/staff/session_places.html",
        {
            "event": event,
            "session": session,
            "seated": [p for p in places if p.status == SessionPlaceStatus.SEAT],
            "waiting": [p for p in places if p.status == SessionPlaceStatus.WAITING],
            "chosen": [p for p in places if p.status == SessionPlaceStatus.CHOSEN],
        },
    )


@staff_required
def participants(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    return _participants_page(request, event, RegisterForm(event=event))


@staff_required
@require_POST
def participant_register(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    form = RegisterForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = approvals.registration_create_and_approve(
                event=event,
                name=data["name"],
                email=data["email"],
                library=data["library"],
                organisation=data["organisation"],
                registered_by=request.user,
                language=event.agency.language,
                staff_override=True,
                sessions=list(data.get("sessions") or []),
            )
        except registrations.AlreadyRegistered as error:
            form.add_error("email", str(error.message))
        except registrations.RegistrationError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _registered_message(registration))
            return redirect("events_staff:participants", event.pk)
    return _participants_page(request, event, form)


def _registered_message(registration: Registration) -> str:
    name = registration.name
    if registration.status == RegistrationStatus.WAITING:
        return _("%(name)s is on the waiting list as number %(position)s.") % {
            "name": name,
            "position": waiting_place(registration),
        }
    if registration.status == RegistrationStatus.PENDING_APPROVAL:
        return _("%(name)s has a place, awaiting approval.") % {"name": name}
    return _("%(name)s is registered with a seat.") % {"name": name}


def _cancel(request: StaffRequest, registration: Registration) -> str:
    places.registration_cancel(registration=registration, actor=request.user, by_staff=True)
    return _("The registration of %(name)s is cancelled.") % {"name": registration.name}


def _move(request: StaffRequest, registration: Registration) -> str:
    moved = places.registration_move_from_waiting_list(
        registration=registration, actor=request.user
    )
    if moved.status == RegistrationStatus.PENDING_APPROVAL:
        return _("%(name)s is moved from the waiting list to a place awaiting approval.") % {
            "name": registration.name
        }
    return _("%(name)s is moved from the waiting list and has a seat.") % {
        "name": registration.name
    }


def _extra_seat(request: StaffRequest, registration: Registration) -> str:
    moved = places.registration_give_extra_seat(registration=registration, actor=request.user)
    if moved.status == RegistrationStatus.PENDING_APPROVAL:
        return _("%(name)s is moved from the waiting list to an extra seat, awaiting approval.") % {
            "name": registration.name
        }
    return _("%(name)s is moved from the waiting list to an extra seat.") % {
        "name": registration.name
    }


def _approve(request: StaffRequest, registration: Registration) -> str:
    places.registration_approve(registration=registration, actor=request.user)
    return _("The place of %(name)s is confirmed.") % {"name": registration.name}


def _decline(request: StaffRequest, registration: Registration) -> str:
    places.registration_decline(registration=registration, actor=request.user)
    return _("The place of %(name)s is declined.") % {"name": registration.name}


# Which action applies to a registration in which status (the buttons the page shows).
ACTIONS = {
    "cancel": (_cancel, {*SEAT_HOLDING, RegistrationStatus.WAITING}),
    "move": (_move, {RegistrationStatus.WAITING}),
    "extra_seat": (_extra_seat, {RegistrationStatus.WAITING}),
    "approve": (_approve, {RegistrationStatus.PENDING_APPROVAL}),
    "decline": (_decline, {RegistrationStatus.PENDING_APPROVAL}),
}


@staff_required
@require_POST
def participant_action(
    request: StaffRequest, pk: int, registration_pk: int, action: str
) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    registration = registration_for_staff(request, event, registration_pk)
    if action not in ACTIONS:
        raise Http404
    do, statuses = ACTIONS[action]
    if registration.status not in statuses:
        messages.info(
            request,
            _("Nothing changed: %(name)s's registration is now “%(status)s”.")
            % {"name": registration.name, "status": registration.get_status_display()},
        )
    else:
        try:
            messages.success(request, do(request, registration))
        except registrations.RegistrationError as error:
            messages.error(request, str(error.message))
    # Back to the list as it was filtered; only the filters' own parameters are kept.
    filters = QueryDict(request.POST.get("query", ""), mutable=True)
    for key in list(filters):
        if key not in ParticipantFilterForm.base_fields:
            del filters[key]
    url = reverse("events_staff:participants", args=[event.pk])
    return redirect(f"{url}?{filters.urlencode()}" if filters else url)


def _export_rows(event: Event, form: ParticipantFilterForm) -> tuple[list[str], list[list[Any]]]:
    registrations = list(_registrations(event, form))
    answers = Answers(list(event.questions.all()), registrations)
    places_now = waiting_places(event)
    # The elective sessions each person chose, with their place in each (seat, waiting, chosen).
    chosen: dict[int, list[str]] = {}
    for place in (
        SessionPlace.objects.filter(registration__event=event)
        .select_related("session")
        .order_by("session__starts_at", "session_id")
    ):
        chosen.setdefault(place.registration_id, []).append(
            f"{place.session.label}: {place.get_status_display()}"
        )
    sessions = [_("Sessions")] if chosen else []
    header = [
        _("Name"),
        _("E-mail"),
        _("Library"),
        _("Workplace"),
        _("Municipality"),
        _("Status"),
        _("Number on the waiting list"),
        _("Registered at"),
        *sessions,
        *answers.keys,
    ]
    rows = []
    for r in registrations:
        library = r.library
        municipality = library.municipality if library is not None else None
        rows.append(
            [
                r.name,
                r.email,
                library.name if library is not None else "",
                r.organisation,
                municipality.name if municipality is not None else "",
                r.get_status_display(),
                places_now.get(r.pk, ""),
                timezone.localtime(r.created_at).replace(tzinfo=None, microsecond=0),
                *(["; ".join(chosen.get(r.pk, []))] if sessions else []),
                *answers.of(r),
            ]
        )
    return header, rows


def _filename(event: Event, extension: str) -> str:
    return f"participants-{event.pk}-{slugify(event.title)[:50] or 'event'}.{extension}"


@staff_required
def export_csv(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    header, rows = _export_rows(event, ParticipantFilterForm(request.GET or None, event=event))
    return exports.csv_response(header, rows, _filename(event, "csv"))


@staff_required
def export_xlsx(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    header, rows = _export_rows(event, ParticipantFilterForm(request.GET or None, event=event))
    sheet = exports.Sheet(_("Participants"), header, rows)
    return exports.xlsx_response([sheet], _filename(event, "xlsx"))


@staff_required
def participants_email(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    counts = event.registrations.status_counts()
    form = EmailParticipantsForm(request.POST or None, counts=counts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = notices.participants_email(
            actor=request.user,
            agency=request.agency,
            event=event,
            statuses=data["statuses"],
            subject=data["subject"].strip(),
            message=data["message"].strip(),
        )
        if sent:
            messages.success(
                request,
                ngettext(
                    "The message is on its way to %(count)s participant.",
                    "The message is on its way to %(count)s participants.",
                    sent,
                )
                % {"count": sent},
            )
            return redirect("events_staff:participants", event.pk)
        form.add_error("statuses", _("No participants have the status you chose."))
    return render(request, "events/staff/email.html", {"event": event, "form": form})
