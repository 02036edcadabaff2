"""The agency's staff manage events: the list, the event form, the event page, participants,
exports and e-mail to participants. Every change is a service call (services.py)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.directory.access import staff_required
from bokbro.events import services
from bokbro.events.access import event_for_user, registration_for_staff
from bokbro.events.models import (
    SEAT_HOLDING,
    Certificate,
    Event,
    EventStatus,
    LibraryQuotaUse,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from bokbro.events.staff_forms import (
    CancelEventForm,
    CopyForm,
    EmailParticipantsForm,
    EventFilterForm,
    EventForm,
    ParticipantFilterForm,
    QuestionForm,
    QuestionFormSet,
    RegisterForm,
    RowFormSet,
    SessionForm,
    SessionFormSet,
    raw_values,
)

PAGE_SIZE = 50


# --- The list of events ------------------------------------------------------------------------


@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    events: Any = (
        Event.objects.owned_by(request.agency)  # type: ignore[attr-defined]
        .select_related("agency")
        .annotate(
            waiting_count=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITING),
                distinct=True,
            )
        )
    )
    when, kind, q = "upcoming", "", ""
    if form.is_valid():
        when = form.cleaned_data["when"] or "upcoming"
        kind = form.cleaned_data["kind"]
        q = form.cleaned_data["q"].strip()
    if when == "upcoming":
        events = events.upcoming().order_by("starts_at", "pk")
    elif when == "past":
        events = events.past().order_by("-starts_at", "-pk")
    elif when == "drafts":
        events = events.filter(status=EventStatus.DRAFT).order_by("starts_at", "pk")
    else:
        events = events.order_by("-starts_at", "-pk")
    if kind:
        events = events.filter(kind=kind)
    if q:
        events = events.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/staff/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "when": when},
    )


# --- Creating and editing ----------------------------------------------------------------------


@staff_required
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@staff_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    return _event_form(request, event)


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    site_agency = request.agency  # type: ignore[attr-defined]
    owner = event.agency if event is not None else site_agency
    # The form works on its own copy: the service compares the event with the new values.
    instance = Event.objects.get(pk=event.pk) if event is not None else Event(agency=owner)
    kwargs = {"instance": instance, "owner": owner, "site_agency": site_agency}
    session_rows = [SessionForm.initial_for(s) for s in event.sessions.all()] if event else []
    question_rows = [QuestionForm.initial_for(q) for q in event.questions.all()] if event else []
    if request.method == "POST":
        form = EventForm(request.POST, **kwargs)
        sessions = SessionFormSet(request.POST, prefix="sessions", initial=session_rows)
        questions = QuestionFormSet(request.POST, prefix="questions", initial=question_rows)
        more_sessions = "more_sessions" in request.POST
        if more_sessions or "more_questions" in request.POST:
            # More blank rows, without JavaScript: the page again with what was typed so far.
            form = EventForm(initial=raw_values(form), **kwargs)
            sessions = cast(RowFormSet, sessions).unbound_with_more_rows(3 if more_sessions else 0)
            questions = cast(RowFormSet, questions).unbound_with_more_rows(
                0 if more_sessions else 3
            )
        else:
            saved = _save_event(request, event, form, sessions, questions)
            if saved is not None:
                if event is None:
                    messages.success(request, _("The event is created."))
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect("events_staff:detail", saved.pk)
    else:
        form = EventForm(**kwargs)
        sessions = SessionFormSet(prefix="sessions", initial=session_rows)
        questions = QuestionFormSet(prefix="questions", initial=question_rows)
    return render(
        request,
        "events/staff/event_form.html",
        {
            "form": form,
            "sessions": sessions,
            "questions": questions,
            "event": event,
            "currency": owner.currency,
        },
    )


def _save_event(
    request: HttpRequest, event: Event | None, form: EventForm, sessions: Any, questions: Any
) -> Event | None:
    # All three are validated, so that every mistake is shown at once.
    valid = [form.is_valid(), sessions.is_valid(), questions.is_valid()]
    if not all(valid):
        return None
    session_data = sessions.sessions()
    form.check_schedule(session_data)
    if form.errors:
        return None
    agency = request.agency  # type: ignore[attr-defined]
    data = form.event_data()
    question_data = questions.questions()
    topics = list(form.cleaned_data["topics"])
    co_organisers = list(form.cleaned_data["co_organisers"])
    plan_goals = form.cleaned_data.get("plan_goals")  # None: the agency has no plan goals
    try:
        if event is None:
            saved = services.event_create(
                actor=request.user,
                agency=agency,
                data=data,
                sessions=session_data,
                questions=question_data,
                topics=topics,
                co_organisers=co_organisers,
                plan_goals=plan_goals,
            )
        else:
            saved = services.event_update(
                actor=request.user,
                agency=agency,
                event=event,
                data=data,
                # Unchanged sessions and questions are left alone (the services replace them).
                sessions=None if _same_sessions(event, session_data) else session_data,
                questions=None if _same_questions(event, question_data) else question_data,
                topics=topics,
                co_organisers=co_organisers,
                plan_goals=plan_goals,
            )
    except services.RegistrationError as error:
        form.add_error("capacity" if "capacity" in data else None, str(error.message))
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    new_topic = form.cleaned_data.get("new_topic", "").strip()
    if new_topic:
        services.event_topic_add(actor=request.user, agency=agency, event=saved, name=new_topic)
    return saved


def _same_sessions(event: Event, sessions: list[services.SessionData]) -> bool:
    def key(s: Any) -> tuple[Any, ...]:
        return (s.starts_at, s.ends_at, s.title, s.venue, s.online)

    return sorted(map(key, event.sessions.all())) == sorted(map(key, sessions))


def _same_questions(event: Event, questions: list[dict[str, Any]]) -> bool:
    existing = [
        {"label": q.label, "kind": q.kind, "choices": q.choices, "required": q.required}
        for q in event.questions.all()
    ]
    return existing == questions


# --- The event page ----------------------------------------------------------------------------


@staff_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    return render(
        request,
        "events/staff/event_detail.html",
        {
            "event": event,
            "counts": event.registrations.status_counts(),
            "sessions": list(event.sessions.all()),
            "questions": list(event.questions.all()),
            "topics": list(event.topics.all()),
            "co_organisers": list(event.co_organisers.all()),
            "copy_form": CopyForm(),
            "history": AuditEntry.objects.for_target(event).for_list()[:20],
            "ended": event.ends_at <= timezone.now(),
            "certificates_issued": Certificate.objects.filter(registration__event=event).count(),
        },
    )


@staff_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    if event.status == EventStatus.DRAFT:
        services.event_publish(actor=request.user, agency=request.agency, event=event)  # type: ignore[attr-defined]
        messages.success(request, _("The event is published."))
    else:
        messages.info(request, _("Only a draft can be published."))
    return redirect("events_staff:detail", event.pk)


@staff_required
@require_POST
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the number of days to move the dates by, e.g. 7."))
        return redirect("events_staff:detail", event.pk)
    # The copy keeps the organiser, so every organising agency still manages it.
    copy = services.event_copy(
        actor=request.user,
        agency=event.agency,
        event=event,
        shift_days=form.cleaned_data["shift_days"],
    )
    messages.success(
        request,
        _("This is the copy, saved as a draft without participants. Check it and publish it."),
    )
    return redirect("events_staff:edit", copy.pk)


@staff_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page with a message to the participants; the POST cancels."""
    event = event_for_user(request, pk, write=True)
    if event.status == EventStatus.CANCELLED:
        messages.info(request, _("The event is already cancelled."))
        return redirect("events_staff:detail", event.pk)
    active = event.registrations.active().count()
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_cancel(
            actor=request.user,
            agency=request.agency,  # type: ignore[attr-defined]
            event=event,
            reason=form.cleaned_data["reason"].strip(),
        )
        messages.success(
            request,
            ngettext(
                "The event is cancelled. %(count)s participant is told by e-mail.",
                "The event is cancelled. %(count)s participants are told by e-mail.",
                active,
            )
            % {"count": active},
        )
        return redirect("events_staff:detail", event.pk)
    return render(
        request, "events/staff/event_cancel.html", {"event": event, "form": form, "active": active}
    )


# --- Participants ------------------------------------------------------------------------------


def _registrations(event: Event, form: ParticipantFilterForm) -> Any:
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
    request: HttpRequest, event: Event, register_form: RegisterForm, status: int = 200
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
    rows = [
        (
            r,
            list(zip(answers.keys, answers.of(r), strict=True)),
            full or r.library_id in quota_full,
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
            "counts": event.registrations.status_counts(),
            "filters": filters,
            "register_form": register_form,
            "query": query,
            "filtered": bool(filters.is_bound and any(request.GET.get(k) for k in filters.fields)),
        },
        status=status,
    )


@staff_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    return _participants_page(request, event, RegisterForm(event=event))


@staff_required
@require_POST
def participant_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    form = RegisterForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                library=data["library"],
                organisation=data["organisation"],
                registered_by=request.user,
                language=event.agency.language,
                staff_override=True,
            )
        except services.AlreadyRegistered as error:
            form.add_error("email", str(error.message))
        except services.RegistrationError as error:
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
            "position": registration.waiting_position,
        }
    if registration.status == RegistrationStatus.PENDING_APPROVAL:
        return _("%(name)s has a place, awaiting the library manager's approval.") % {"name": name}
    return _("%(name)s is registered with a seat.") % {"name": name}


def _cancel(request: HttpRequest, registration: Registration) -> str:
    services.registration_cancel(registration=registration, actor=request.user, by_staff=True)
    return _("The registration of %(name)s is cancelled.") % {"name": registration.name}


def _move(request: HttpRequest, registration: Registration) -> str:
    services.registration_move_from_waiting_list(registration=registration, actor=request.user)
    return _("%(name)s is moved from the waiting list and has a seat.") % {
        "name": registration.name
    }


def _extra_seat(request: HttpRequest, registration: Registration) -> str:
    services.registration_give_extra_seat(registration=registration, actor=request.user)
    return _("%(name)s is moved from the waiting list to an extra seat.") % {
        "name": registration.name
    }


def _approve(request: HttpRequest, registration: Registration) -> str:
    services.registration_approve(registration=registration, actor=request.user)
    return _("The place of %(name)s is confirmed.") % {"name": registration.name}


def _decline(request: HttpRequest, registration: Registration) -> str:
    services.registration_decline(registration=registration, actor=request.user)
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
    request: HttpRequest, pk: int, registration_pk: int, action: str
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
        except services.RegistrationError as error:
            messages.error(request, str(error.message))
    # Back to the list as it was filtered; only the filters' own parameters are kept.
    filters = QueryDict(request.POST.get("query", ""), mutable=True)
    for key in list(filters):
        if key not in ParticipantFilterForm.base_fields:
            del filters[key]
    url = reverse("events_staff:participants", args=[event.pk])
    return redirect(f"{url}?{filters.urlencode()}" if filters else url)


# --- Exports -----------------------------------------------------------------------------------


def _export_rows(event: Event, form: ParticipantFilterForm) -> tuple[list[str], list[list[Any]]]:
    registrations = list(_registrations(event, form))
    answers = Answers(list(event.questions.all()), registrations)
    header = [
        _("Name"),
        _("E-mail"),
        _("Library"),
        _("Workplace"),
        _("Municipality"),
        _("Status"),
        _("Number on the waiting list"),
        _("Registered at"),
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
                r.waiting_position or "",
                timezone.localtime(r.created_at).replace(tzinfo=None, microsecond=0),
                *answers.of(r),
            ]
        )
    return header, rows


def _filename(event: Event, extension: str) -> str:
    return f"participants-{event.pk}-{slugify(event.title)[:50] or 'event'}.{extension}"


@staff_required
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    header, rows = _export_rows(event, ParticipantFilterForm(request.GET or None, event=event))
    return exports.csv_response(header, rows, _filename(event, "csv"))


@staff_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    header, rows = _export_rows(event, ParticipantFilterForm(request.GET or None, event=event))
    sheet = exports.Sheet(_("Participants"), header, rows)
    return exports.xlsx_response([sheet], _filename(event, "xlsx"))


# --- E-mail to participants ----------------------------------------------------------------------


@staff_required
def participants_email(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    counts = event.registrations.status_counts()
    form = EmailParticipantsForm(request.POST or None, counts=counts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = services.participants_email(
            actor=request.user,
            agency=request.agency,  # type: ignore[attr-defined]
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
