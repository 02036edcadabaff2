"""Registering: the registration form, a library manager registering colleagues, the personal
link (cancel, accept or decline an offered seat), the approvals (a library manager's, and the
organiser's where a library has no manager) and a user's own events.

Registering goes through `approvals.registration_create_and_approve`: `registration_create`,
then a place the person registering would approve themselves is confirmed at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import request_roles
from bokbro.directory.models import LibraryRole, Person
from bokbro.events.access import (
    event_for_user,
    registration_for_token,
    registration_to_decide,
    registration_wait,
)
from bokbro.events.forms.public import ColleaguesForm, RegistrationForm, SessionsChangeForm
from bokbro.events.models import (
    EventStatus,
    Registration,
    RegistrationStatus,
    SessionPlaceStatus,
)
from bokbro.events.selectors import (
    SessionChoice,
    approval_routes,
    awaiting_agency,
    awaiting_managers,
    material_for_participant,
    session_places_of,
    waiting_place,
)
from bokbro.events.services import approvals as approval_services
from bokbro.events.services import places, registrations


def _initial_for(request: AgencyRequest) -> dict[str, object]:
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


def register(request: AgencyRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk)
    state = event.registration_state()
    form = RegistrationForm(request.POST or None, event=event, initial=_initial_for(request))
    error = None
    wait = registration_wait(request, event.pk) if request.method == "POST" else None
    if wait is not None:
        # Over the rate limit (per address, and per address and event): the form comes back
        # with what was typed, and says when to try again.
        minutes = max(1, -(-wait // 60))
        error = ngettext(
            "Too many registrations from your address. Please try again in %(minutes)d minute.",
            "Too many registrations from your address. Please try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(
            request,
            "events/register.html",
            {"event": event, "form": form, "state": state, "error": error},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    if request.method == "POST" and state == "open" and form.is_valid():
        data = form.cleaned_data
        wait = address_wait(data["email"])
        if wait is not None:
            # The address has had its share of mail from the public forms this hour.
            form.add_error("email", address_refusal(wait))
            response = render(
                request,
                "events/register.html",
                {"event": event, "form": form, "state": state, "error": None},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            registration = approval_services.registration_create_and_approve(
                event=event,
                name=data["name"],
                email=data["email"],
                library=data["library"],
                organisation=data["organisation"],
                answers=form.answers(),
                accepted_binding_terms=bool(data.get("accept_terms")),
                user=request.user,
                language=get_language(),
                verify_email=True,
                sessions=list(data.get("sessions") or []),
            )
        except registrations.AlreadyRegistered:
            error = _(
                "This e-mail address is already registered for this event. The confirmation "
                "e-mail has a link where you can see or cancel the registration."
            )
        except registrations.RegistrationError as exc:
            error = str(exc.message)
        else:
            if registration.awaits_email_confirmation:
                # The link that opens (and confirms) the place goes only to the address typed.
                return redirect("events:register_sent", pk=event.pk)
            return redirect("events:registration", token=registration.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "state": state, "error": error},
        status=status,
    )


@login_required
def register_colleagues(request: StaffRequest, pk: int) -> HttpResponse:
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
    form = ColleaguesForm(request.POST or None, choices=choices, event=event)
    if request.method == "POST" and form.is_valid():
        chosen = people.filter(pk__in=form.cleaned_data["people"])
        for person in chosen:
            try:
                registration = approval_services.registration_create_and_approve(
                    event=event,
                    name=person.name,
                    email=person.email,
                    library=library_of[person.pk],
                    user=person.user,
                    registered_by=request.user,
                    accepted_binding_terms=True,
                    sessions=list(form.cleaned_data.get("sessions") or []),
                    language=(person.user.language if person.user is not None else "")
                    or get_language(),
                )
            except registrations.RegistrationError as exc:
                messages.warning(request, f"{person.name}: {exc.message}")
            else:
                messages.success(request, f"{person.name}: {registration.get_status_display()}")
        return redirect("events:register_colleagues", pk=event.pk)
    return render(
        request,
        "events/register_colleagues.html",
        {"event": event, "form": form, "state": event.registration_state()},
    )


def register_sent(request: AgencyRequest, pk: int) -> HttpResponse:
    """After registering without signing in for an event that asks for confirmation."""
    event = event_for_user(request, pk)
    return render(request, "events/register_sent.html", {"event": event})


def registration(request: AgencyRequest, token: str) -> HttpResponse:
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "events/registration_gone.html", status=404)
    event = registration.event
    now = timezone.now()
    # Not after the event is over (nothing left to cancel), nor after the deadline.
    can_cancel = (
        registration.is_active
        and now < event.ends_at
        and not (event.cancellation_deadline and now >= event.cancellation_deadline)
    )
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": event,
            "sessions": event.sessions.all(),
            "can_cancel": can_cancel and event.status != EventStatus.CANCELLED,
            "can_change_sessions": places.sessions_change_refusal(event, registration) is None,
            "show_online_url": registration.status == RegistrationStatus.CONFIRMED,
            "waiting_place": waiting_place(registration),
            "session_places": session_places_of(registration) if registration.is_active else [],
            "route": approval_routes([registration])[registration.pk]
            if registration.status == RegistrationStatus.PENDING_APPROVAL
            else None,
            "material_list": material_for_participant(registration),
            "material_token": registration.token,
        },
    )


@require_http_methods(["GET", "POST"])
def registration_sessions(request: AgencyRequest, token: str) -> HttpResponse:
    """The participant changes their elective sessions with their personal link: the
    registration form's choice, their current sessions ticked (services: places.py)."""
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "events/registration_gone.html", status=404)
    event = registration.event
    refusal = places.sessions_change_refusal(event, registration)
    if refusal is not None:
        messages.error(request, str(refusal))
        return redirect("events:registration", token=token)
    chosen = session_places_of(registration)
    form = SessionsChangeForm(
        request.POST or None,
        event=event,
        initial={"sessions": [choice.session.pk for choice in chosen]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            places.registration_sessions_change(
                registration=registration, sessions=list(form.cleaned_data["sessions"])
            )
        except registrations.RegistrationError as exc:
            form.add_error("sessions", str(exc.message))
        else:
            messages.success(request, _sessions_result(session_places_of(registration)))
            return redirect("events:registration", token=token)
    return render(
        request,
        "events/registration_sessions.html",
        {"registration": registration, "event": event, "form": form, "session_places": chosen},
        status=400 if request.method == "POST" else 200,
    )


def _sessions_result(chosen: list[SessionChoice]) -> str:
    """What the participant now has, a sentence per session: "You have a seat in “A”. You are
    number 2 on the waiting list for “B”."."""
    if not chosen:
        return _("Your sessions are changed: you have chosen none.")
    sentences = []
    for choice in chosen:
        label = choice.session.label
        if choice.waiting_place:
            sentences.append(
                _("You are number %(position)s on the waiting list for “%(session)s”.")
                % {"position": choice.waiting_place, "session": label}
            )
        elif choice.status == SessionPlaceStatus.SEAT:
            sentences.append(_("You have a seat in “%(session)s”.") % {"session": label})
        else:
            sentences.append(
                _("“%(session)s” is kept for you for when you get a seat on the event.")
                % {"session": label}
            )
    return " ".join(sentences)


def _token_action(request: AgencyRequest, token: str, action) -> HttpResponse:
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "events/registration_gone.html", status=404)
    try:
        action(registration)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc.message))
    return redirect("events:registration", token=token)


@require_POST
def registration_cancel(request: AgencyRequest, token: str) -> HttpResponse:
    def cancel(registration: Registration) -> None:
        places.registration_cancel(registration=registration)
        messages.success(
            request, _("Your registration is cancelled. You will get a confirmation by e-mail.")
        )

    return _token_action(request, token, cancel)


@require_POST
def registration_confirm(request: AgencyRequest, token: str) -> HttpResponse:
    """The button on the personal page the mail's link opens (a POST, so a mail program that
    opens links to check them confirms nothing)."""

    def confirm(registration: Registration) -> None:
        confirmed = places.registration_confirm_email(registration=registration)
        if confirmed.status == RegistrationStatus.WAITING:
            messages.success(request, _("Thank you. Your place in the waiting list is kept."))
        else:
            messages.success(request, _("Thank you. Your place is yours."))

    return _token_action(request, token, confirm)


@require_POST
def registration_accept(request: AgencyRequest, token: str) -> HttpResponse:
    def accept(registration: Registration) -> None:
        places.registration_accept_offer(registration=registration)
        messages.success(request, _("The seat is yours."))

    return _token_action(request, token, accept)


@require_POST
def registration_decline(request: AgencyRequest, token: str) -> HttpResponse:
    def decline(registration: Registration) -> None:
        places.registration_decline(registration=registration)
        messages.success(request, _("You have declined the seat. It passes to the next in line."))

    return _token_action(request, token, decline)


@login_required
def approvals(request: StaffRequest) -> HttpResponse:
    """The places waiting for this user's decision: a library manager's own people; for the
    agency's team, the places on its events that no library manager can decide (flagged with
    why), and for an overview those still waiting for a library manager."""
    roles = request_roles(request)
    if not roles.managed_library_ids and not roles.is_staff:
        raise PermissionDenied
    mine = list(awaiting_managers(roles.managed_library_ids)) if roles.managed_library_ids else []
    agency = list(awaiting_agency(request.agency)) if roles.is_staff else []
    routes = approval_routes([*mine, *agency])
    return render(
        request,
        "events/approvals.html",
        {
            "is_manager": bool(roles.managed_library_ids),
            "is_staff": roles.is_staff,
            # A manager's own place is never theirs to approve (the organiser decides it).
            "pending": [r for r in mine if not routes[r.pk].organiser_decides],
            "for_agency": [(r, routes[r.pk]) for r in agency if routes[r.pk].organiser_decides],
            "with_managers": [
                (r, routes[r.pk]) for r in agency if not routes[r.pk].organiser_decides
            ],
        },
    )


DECISIONS = ("approve", "decline")


@login_required
@require_http_methods(["GET", "POST"])
def approval_decide(request: StaffRequest, pk: int, decision: str) -> HttpResponse:
    """The page an approval e-mail's link opens (after sign-in), with the button that decides;
    the button (and the approvals page's) posts here."""
    if decision not in DECISIONS:
        raise Http404
    registration = registration_to_decide(request, pk)
    pending = registration.status == RegistrationStatus.PENDING_APPROVAL
    if request.method == "POST":
        if not pending:
            messages.info(
                request,
                _("Nothing changed: %(name)s's registration is now “%(status)s”.")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
        elif decision == "approve":
            places.registration_approve(registration=registration, actor=request.user)
            messages.success(request, _("The place is confirmed."))
        else:
            places.registration_decline(registration=registration, actor=request.user)
            messages.success(request, _("The place is declined, and the seat passes on."))
        return redirect("events:approvals")
    return render(
        request,
        "events/approval_decide.html",
        {
            "registration": registration,
            "event": registration.event,
            "decision": decision,
            "pending": pending,
            "route": approval_routes([registration])[registration.pk],
        },
    )


@login_required
def my_events(request: StaffRequest) -> HttpResponse:
    registrations = (
        Registration.objects.filter(Q(user=request.user) | Q(email__iexact=request.user.email))
        .exclude(
            status__in=[
                RegistrationStatus.CANCELLED,
                RegistrationStatus.DECLINED,
                RegistrationStatus.LAPSED,
            ]
        )
        .select_related("event", "event__agency", "certificate")
        .order_by("event__starts_at")
    )
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    past = [r for r in registrations if r.event.ends_at < now]
    past.reverse()
    return render(request, "events/mine.html", {"upcoming": upcoming, "past": past})
