"""The agency's staff manage events: the list, the event form and the event page with
publishing, copying and cancelling. Every change is a service call (services/events.py)."""

from __future__ import annotations

from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user
from bokbro.events.forms.rows import (
    QuestionForm,
    QuestionFormSet,
    QuestionRows,
    SessionForm,
    SessionFormSet,
    SessionRows,
    raw_values,
)
from bokbro.events.forms.staff import CancelEventForm, CopyForm, EventFilterForm, EventForm
from bokbro.events.models import Certificate, Event, EventStatus, RegistrationStatus
from bokbro.events.services import event_sessions
from bokbro.events.services import events as services
from bokbro.events.services.events import QuestionData, SessionData
from bokbro.events.services.registrations import RegistrationError

PAGE_SIZE = 50


@staff_required
def event_list(request: StaffRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    events: Any = (
        Event.objects.owned_by(request.agency)
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


@staff_required
def event_create(request: StaffRequest) -> HttpResponse:
    return _event_form(request, None)


@staff_required
def event_edit(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    return _event_form(request, event)


def _event_form(request: StaffRequest, event: Event | None) -> HttpResponse:
    site_agency = request.agency
    owner = event.agency if event is not None else site_agency
    # The form works on its own copy: the service compares the event with the new values.
    instance = Event.objects.get(pk=event.pk) if event is not None else Event(agency=owner)
    kwargs: dict[str, Any] = {"instance": instance, "owner": owner, "site_agency": site_agency}
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
            sessions = sessions.unbound_with_more_rows(3 if more_sessions else 0)
            questions = questions.unbound_with_more_rows(0 if more_sessions else 3)
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
    request: StaffRequest,
    event: Event | None,
    form: EventForm,
    sessions: SessionRows,
    questions: QuestionRows,
) -> Event | None:
    # All three are validated, so that every mistake is shown at once.
    valid = [form.is_valid(), sessions.is_valid(), questions.is_valid()]
    if not all(valid):
        return None
    session_data = sessions.sessions()
    form.check_schedule(session_data)
    if form.errors:
        return None
    agency = request.agency
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
                sessions=session_data,
                questions=question_data,
                topics=topics,
                co_organisers=co_organisers,
                plan_goals=plan_goals,
                **data,
            )
        else:
            saved = services.event_update(
                actor=request.user,
                agency=agency,
                event=event,
                # Unchanged sessions and questions are left alone (the services replace them).
                sessions=None if _same_sessions(event, session_data) else session_data,
                questions=None if _same_questions(event, question_data) else question_data,
                topics=topics,
                co_organisers=co_organisers,
                plan_goals=plan_goals,
                remove_chosen=sessions.confirmed_removals(),
                **data,
            )
    except event_sessions.SessionsChosen as chosen:
        # Nothing is saved: the form comes back as typed, with each warning and its box.
        warnings = {s.pk: event_sessions.removal_warning(s, n) for s, n in chosen.chosen}
        for message in sessions.warn(warnings):
            form.add_error(None, message)
        return None
    except event_sessions.SessionSeatsError as error:
        form.add_error(None, str(error.message))
        return None
    except RegistrationError as error:
        form.add_error("capacity" if "capacity" in data else None, str(error.message))
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    new_topic = form.cleaned_data.get("new_topic", "").strip()
    if new_topic:
        services.event_topic_add(actor=request.user, agency=agency, event=saved, name=new_topic)
    return saved


def _same_sessions(event: Event, sessions: list[SessionData]) -> bool:
    def key(s: Any) -> tuple[Any, ...]:
        return (s.starts_at, s.ends_at, s.title, s.venue, s.online, s.capacity)

    saved = {s.pk: key(s) for s in event.sessions.all()}
    named = {s.session_id: key(s) for s in sessions}
    return len(sessions) == len(saved) and named == saved


def _same_questions(event: Event, questions: list[QuestionData]) -> bool:
    return [QuestionData.of(q) for q in event.questions.all()] == questions


@staff_required
def event_detail(request: StaffRequest, pk: int) -> HttpResponse:
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
            "copy_form": CopyForm(event=event),
            "history": AuditEntry.objects.for_target(event).for_list()[:20],
            "ended": event.ends_at <= timezone.now(),
            "certificates_issued": Certificate.objects.filter(registration__event=event).count(),
            "module_links": module_links(event),
        },
    )


def module_links(event: Event) -> list[tuple[str, str]]:
    """Links that modules listed after events add to an event's staff page (the competence
    module's built-in evaluation): an app declares `event_staff_links = "<module>.<function>"`
    on its AppConfig, a function of the event returning (label, url) pairs. Events imports no
    such module; it reads the declaration at run time, as core reads the module contract."""
    found: list[tuple[str, str]] = []
    for config in django_apps.get_app_configs():
        path = getattr(config, "event_staff_links", None)
        if path:
            found += import_string(f"{config.name}.{path}")(event)
    return found


@staff_required
@require_POST
def event_publish(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    if event.status == EventStatus.DRAFT:
        services.event_publish(actor=request.user, agency=request.agency, event=event)
        messages.success(request, _("The event is published."))
    else:
        messages.info(request, _("Only a draft can be published."))
    return redirect("events_staff:detail", event.pk)


@staff_required
@require_POST
def event_copy(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    form = CopyForm(request.POST, event=event)
    if not form.is_valid():
        if form.has_error("shift_days", "date_out_of_range"):
            messages.error(request, str(form.errors["shift_days"][0]))
        else:
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
def event_cancel(request: StaffRequest, pk: int) -> HttpResponse:
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
            agency=request.agency,
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
