"""The public side of events: the calendar, event pages, registration, the personal link,
a library manager's approvals and a user's own events."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core import ics
from bokbro.core.pagination import query_without_page
from bokbro.directory.access import request_roles
from bokbro.directory.models import LibraryRole, Person
from bokbro.directory.tenancy import site_agency
from bokbro.events import page_cache, services
from bokbro.events.access import event_for_user, registration_for_token
from bokbro.events.forms import CalendarFilterForm, ColleaguesForm, RegistrationForm
from bokbro.events.material import material_for_participant
from bokbro.events.models import Event, EventStatus, Registration, RegistrationStatus

PAGE_SIZE = 20


def _filtered(request: HttpRequest, events, form: CalendarFilterForm):
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["q"]:
        events = events.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
    if data["kind"]:
        events = events.filter(kind=data["kind"])
    if data["topic"]:
        events = events.filter(topics=data["topic"])
    if data["audience"]:
        events = events.filter(audience=data["audience"])
    if data["format"]:
        events = events.filter(format=data["format"])
    if data["county"]:
        events = events.filter(municipality__county__code=data["county"])
    if data["month"]:
        first = data["month"].replace(day=1)
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        events = events.filter(starts_at__date__lte=last, ends_at__date__gte=first)
    return events


def calendar_version(agency) -> str:
    """A fingerprint of everything the calendar list shows: it changes when an event is added,
    changed (services save it, which sets `updated_at`), fills up or has a seat again, or passes
    into the past.

    Seats change without touching `updated_at`, so the fingerprint holds which events are
    full (what the list shows of the seats), not a total of seats that one event filling up
    and another freeing a seat would leave the same.

    Read from the database, so the cached list is right in every process and with any cache.
    One plain SQL statement: compiling the same query through the ORM cost more CPU than the
    rest of a cached page (docs/performance.md)."""
    through = Event.co_organisers.through._meta.db_table
    concat = (
        "string_agg(%s::text, ',')" if connection.vendor == "postgresql" else "group_concat(%s)"
    )
    full = concat % "CASE WHEN e.capacity IS NOT NULL AND e.seats_taken >= e.capacity THEN e.id END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*), max(e.updated_at), {full}
              FROM {Event._meta.db_table} e
             WHERE e.status IN (%s, %s) AND e.ends_at >= %s
               AND (e.agency_id = %s
                    OR e.id IN (SELECT c.event_id FROM {through} c WHERE c.agency_id = %s))
            """,  # noqa: S608 (table names from the models, values as parameters)
            [EventStatus.PUBLISHED, EventStatus.CANCELLED, timezone.now(), agency.pk, agency.pk],
        )
        count, changed, full_ids = cursor.fetchone()
    if isinstance(changed, str):  # SQLite hands back the text it stores
        changed = datetime.fromisoformat(changed)
    full_ids = ",".join(sorted(str(full_ids).split(","), key=int)) if full_ids else ""
    return f"{count}-{changed.timestamp() if changed else 0}-{full_ids}"


def calendar(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    version = calendar_version(agency)
    # The form and the list are built only when the cached fragment (see the template) is
    # missing or out of date; an anonymous visitor without a session gets the whole page from
    # memory (page_cache). Either way a cached page makes one query, the fingerprint.
    form = SimpleLazyObject(lambda: CalendarFilterForm(request.GET or None, agency=agency))

    def first_page():
        events = _filtered(request, Event.objects.visible_on(agency).upcoming().for_list(), form)
        return Paginator(events.order_by("starts_at", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )

    def page(csrf_token: str) -> HttpResponse:
        today = timezone.localdate()
        return render(
            request,
            "events/calendar.html",
            {
                "csrf_token": csrf_token,
                "form": form,
                "page": SimpleLazyObject(first_page),
                "version": version,
                "query": query_without_page(request),
                "full_query": request.GET.urlencode(),
                "feed_query": query_without_page(request),
                "this_month": today,
            },
        )

    return page_cache.anonymous_page(request, agency, version, page)


def archive(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    form = CalendarFilterForm(request.GET or None, agency=agency)
    events = _filtered(request, Event.objects.visible_on(agency).past().for_list(), form)
    page = Paginator(events.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/archive.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    agency = site_agency(request)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = date(year, month, 1)
    last = first.replace(day=pycalendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    events = list(
        Event.objects.visible_on(agency)
        .filter(starts_at__lt=end, ends_at__gte=start)
        .select_related("agency")
        .prefetch_related("sessions")
        .order_by("starts_at")
    )
    by_day: dict[date, list[Event]] = {}
    for event in events:
        for session in event.sessions.all():
            day = timezone.localtime(session.starts_at, tz).date()
            if first <= day <= last and event not in by_day.setdefault(day, []):
                by_day[day].append(event)
    weeks = [
        [(day, by_day.get(day, [])) for day in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "events/month.html",
        {
            "first": first,
            "weeks": weeks,
            "days_with_events": sorted(by_day.items()),
            "previous": previous,
            "following": following,
        },
    )


def feed(request: HttpRequest) -> HttpResponse:
    """The calendar as an iCalendar feed; the calendar page's filters apply."""
    agency = site_agency(request)
    form = CalendarFilterForm(request.GET or None, agency=agency)
    events = _filtered(
        request,
        Event.objects.visible_on(agency)
        .filter(ends_at__gte=timezone.now() - timedelta(days=90))
        .prefetch_related("sessions"),
        form,
    )
    cal = ics.calendar(agency.name)
    for event in events:
        ics.event_sessions(cal, event)
    response = HttpResponse(ics.to_bytes(cal), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _user_registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        event.registrations.active()
        .filter(Q(user=request.user) | Q(email__iexact=request.user.email))
        .first()
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk)
    mine = _user_registration(request, event)
    roles = request_roles(request)
    manages = bool(roles.managed_library_ids)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "state": event.registration_state(),
            "mine": mine,
            "show_online_url": mine is not None and mine.status == RegistrationStatus.CONFIRMED,
            "material_list": material_for_participant(mine),
            "material_token": mine.token if mine is not None else "",
            "can_manage": roles.is_staff,
            "can_register_colleagues": manages,
        },
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk)
    cal = ics.calendar(event.title, method="PUBLISH")
    ics.event_sessions(cal, event)
    response = HttpResponse(ics.to_bytes(cal), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def _initial_for(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    initial: dict[str, object] = {"name": request.user.name, "email": request.user.email}
    role = (
        LibraryRole.objects.filter(person__user=request.user)
        .select_related("library")
        .order_by("pk")
        .first()
    )
    if role is not None:
        initial["library"] = role.library
    return initial


def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk)
    state = event.registration_state()
    form = RegistrationForm(request.POST or None, event=event, initial=_initial_for(request))
    error = None
    if request.method == "POST" and state == "open" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                library=data["library"],
                organisation=data["organisation"],
                answers=form.answers(),
                accepted_binding_terms=bool(data.get("accept_terms")),
                user=request.user,
                language=request.LANGUAGE_CODE,  # type: ignore[attr-defined]
            )
        except services.AlreadyRegistered:
            error = _(
                "This e-mail address is already registered for this event. The confirmation "
                "e-mail has a link where you can see or cancel the registration."
            )
        except services.RegistrationError as exc:
            error = str(exc.message)
        else:
            return redirect("events:registration", token=registration.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "state": state, "error": error},
        status=status,
    )


@login_required
def register_colleagues(request: HttpRequest, pk: int) -> HttpResponse:
    """A library manager registers several of their library's people at once."""
    event = event_for_user(request, pk)
    roles = request_roles(request)
    if not roles.managed_library_ids:
        raise PermissionDenied
    people = (
        Person.objects.filter(library_roles__library__in=roles.managed_library_ids)
        .exclude(email="")
        .distinct()
        .order_by("name")
    )
    library_of = {
        role.person_id: role.library
        for role in LibraryRole.objects.filter(
            library__in=roles.managed_library_ids, person__in=people
        ).select_related("library")
    }
    choices = [(str(p.pk), f"{p.name} ({library_of[p.pk].name})") for p in people]
    form = ColleaguesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = people.filter(pk__in=form.cleaned_data["people"])
        for person in chosen:
            try:
                registration = services.registration_create(
                    event=event,
                    name=person.name,
                    email=person.email,
                    library=library_of[person.pk],
                    user=person.user,
                    registered_by=request.user,
                    accepted_binding_terms=True,
                    language=(person.user.language if person.user_id else "")
                    or request.LANGUAGE_CODE,  # type: ignore[attr-defined]
                )
            except services.RegistrationError as exc:
                messages.warning(request, f"{person.name}: {exc.message}")
            else:
                messages.success(request, f"{person.name}: {registration.get_status_display()}")
        return redirect("events:register_colleagues", pk=event.pk)
    return render(
        request,
        "events/register_colleagues.html",
        {"event": event, "form": form, "state": event.registration_state()},
    )


def registration(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "events/registration_gone.html", status=404)
    event = registration.event
    now = timezone.now()
    can_cancel = registration.is_active and not (
        event.cancellation_deadline and now >= event.cancellation_deadline
    )
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": event,
            "sessions": event.sessions.all(),
            "can_cancel": can_cancel and event.status != EventStatus.CANCELLED,
            "show_online_url": registration.status == RegistrationStatus.CONFIRMED,
            "material_list": material_for_participant(registration),
            "material_token": registration.token,
        },
    )


def _token_action(request: HttpRequest, token: str, action) -> HttpResponse:
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "events/registration_gone.html", status=404)
    try:
        action(registration)
    except services.RegistrationError as exc:
        messages.error(request, str(exc.message))
    return redirect("events:registration", token=token)


@require_POST
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    def cancel(registration: Registration) -> None:
        services.registration_cancel(registration=registration)
        messages.success(
            request, _("Your registration is cancelled. You will get a confirmation by e-mail.")
        )

    return _token_action(request, token, cancel)


@require_POST
def registration_accept(request: HttpRequest, token: str) -> HttpResponse:
    def accept(registration: Registration) -> None:
        services.registration_accept_offer(registration=registration)
        messages.success(request, _("The seat is yours."))

    return _token_action(request, token, accept)


@require_POST
def registration_decline(request: HttpRequest, token: str) -> HttpResponse:
    def decline(registration: Registration) -> None:
        services.registration_decline(registration=registration)
        messages.success(request, _("You have declined the seat. It passes to the next in line."))

    return _token_action(request, token, decline)


def _pending_for_manager(request: HttpRequest):
    roles = request_roles(request)
    return (
        Registration.objects.filter(
            status=RegistrationStatus.PENDING_APPROVAL,
            library__in=roles.managed_library_ids,
        )
        .select_related("event", "library")
        .order_by("event__starts_at", "created_at")
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """A library manager confirms (or declines) their staff's places."""
    if not request_roles(request).managed_library_ids:
        raise PermissionDenied
    return render(request, "events/approvals.html", {"pending": _pending_for_manager(request)})


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    # Only a pending place at one of the user's own libraries exists here; anything else is 404.
    registration = get_object_or_404(_pending_for_manager(request), pk=pk)
    if decision == "approve":
        services.registration_approve(registration=registration, actor=request.user)
        messages.success(request, _("The place is confirmed."))
    elif decision == "decline":
        services.registration_decline(registration=registration, actor=request.user)
        messages.success(request, _("The place is declined, and the seat passes on."))
    else:
        raise Http404
    return redirect("events:approvals")


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    registrations = (
        Registration.objects.filter(Q(user=request.user) | Q(email__iexact=request.user.email))
        .exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED])
        .select_related("event", "event__agency", "certificate")
        .order_by("event__starts_at")
    )
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    past = [r for r in registrations if r.event.ends_at < now]
    past.reverse()
    return render(request, "events/mine.html", {"upcoming": upcoming, "past": past})
