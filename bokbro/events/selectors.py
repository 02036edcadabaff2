"""Reads that several pages (and the API) share: the libraries that may register for an event,
the material a registration may see, a waiting person's place in the queue, who approves a place
awaiting approval (and the places waiting for someone), and the events' economy for pages,
exports and the annual report (plain data: dataclasses of Decimals, ints and strings, not
querysets)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bokbro.directory.access import roles_for
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    County,
    Library,
    LibraryRole,
    LibraryRoleKind,
    TeamMember,
)
from bokbro.events.models import (
    BudgetKind,
    BudgetLine,
    Event,
    EventStatus,
    Material,
    Payer,
    Registration,
    RegistrationStatus,
    Session,
    SessionPlace,
    SessionPlaceStatus,
)


def libraries_for(event: Event) -> QuerySet[Library]:
    """The libraries of the regions of the event's organiser and co-organisers."""
    county_ids = list(
        County.objects.filter(
            Q(agencies=event.agency_id) | Q(agencies__co_organised_events=event.pk)
        )
        .values_list("id", flat=True)
        .distinct()
    )
    return (
        Library.objects.select_related("municipality")
        .filter(is_active=True)
        .in_county_ids(county_ids)
        .order_by("name")
    )


def one_per_person(registrations: QuerySet[Registration]) -> list[int]:
    """One registration id per e-mail address among these (anonymised ones left out): the
    latest, so a person who cancelled and registered again hears once, about the one that
    counts."""
    latest: dict[str, int] = {}
    rows = (
        registrations.filter(anonymised=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email")
    )
    for pk, email in rows:
        latest.setdefault(email.lower(), pk)
    return list(latest.values())


def material_for_participant(registration: Registration | None) -> list[Material]:
    """The material a registration may see: all of the event's, once it is confirmed."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return []
    return list(Material.objects.for_list().filter(event_id=registration.event_id))


# --- The waiting list ---------------------------------------------------------------------------


def waiting_place(registration: Registration) -> int | None:
    """A waiting person's place in the queue now: one more than how many still wait ahead of
    them. `waiting_position` is the arrival order the rules use and is never renumbered, so
    after someone ahead cancels or gets a seat, number 2 becomes number 1 here. None when the
    registration is not on the waiting list."""
    if registration.status != RegistrationStatus.WAITING or registration.waiting_position is None:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
        waiting_position__lt=registration.waiting_position,
    ).count()
    return ahead + 1


def waiting_places(event: Event) -> dict[int, int]:
    """The place in the queue now of everyone on the event's waiting list, by registration id."""
    waiting = event.registrations.waiting().values_list("pk", flat=True)
    return {pk: place for place, pk in enumerate(waiting, start=1)}


# --- Elective sessions (services/session_seats.py) -------------------------------------------


@dataclass(frozen=True)
class SessionChoice:
    """A person's place in an elective session, as pages and mails show it."""

    session: Session
    status: str
    label: str
    waiting_place: int | None = None  # the place in the session's queue now


def session_places_of(registration: Registration) -> list[SessionChoice]:
    """The elective sessions the person chose, in time order, with where they stand in each."""
    places = list(
        SessionPlace.objects.filter(registration_id=registration.pk)
        .select_related("session")
        .order_by("session__starts_at", "session_id")
    )
    return [
        SessionChoice(
            place.session,
            place.status,
            str(place.get_status_display()),
            _session_queue_place(place),
        )
        for place in places
    ]


def _session_queue_place(place: SessionPlace) -> int | None:
    if place.status != SessionPlaceStatus.WAITING or place.waiting_position is None:
        return None
    ahead = SessionPlace.objects.filter(
        session_id=place.session_id,
        status=SessionPlaceStatus.WAITING,
        waiting_position__lt=place.waiting_position,
    ).count()
    return ahead + 1


def session_list(session: Session) -> list[SessionPlace]:
    """Who is in the session (seats first, then the waiting list in its order, then those whose
    choice waits for a seat on the event): the room's list for the organiser."""
    order = {
        SessionPlaceStatus.SEAT: 0,
        SessionPlaceStatus.WAITING: 1,
        SessionPlaceStatus.CHOSEN: 2,
    }
    places = list(
        session.places.select_related("registration", "registration__library").order_by(
            "waiting_position", "created_at", "pk"
        )
    )
    return sorted(
        places,
        key=lambda p: (
            order[SessionPlaceStatus(p.status)],
            p.waiting_position or 0,
            p.registration.name.lower(),
        ),
    )


# --- Approvals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approver:
    """Someone asked to approve places: a library manager, or the organiser."""

    name: str
    email: str  # lower case
    language: str = ""  # the language of their account; "" when unknown


def library_managers(library_ids: Iterable[int]) -> dict[int, list[Approver]]:
    """The managers of these libraries who can be reached (an e-mail address in the directory,
    or on their account), by library id; a library without one is left out."""
    managers: dict[int, list[Approver]] = {}
    roles = (
        LibraryRole.objects.filter(library_id__in=list(library_ids), role=LibraryRoleKind.MANAGER)
        .select_related("person__user")
        .order_by("person__name", "pk")
    )
    for role in roles:
        person = role.person
        user = person.user
        email = (person.email or (user.email if user is not None else "")).strip().lower()
        if email:
            language = user.language if user is not None else ""
            managers.setdefault(role.library_id, []).append(
                Approver(name=person.name, email=email, language=language or "")
            )
    return managers


def organiser_approvers(event: Event) -> list[Approver]:
    """Who decides the places no library manager can (docs/events.md, "Approvals"): the team
    member who created the event, while they are on the organiser's team; else the organiser's
    own address; else the organiser's administrators (else its whole team)."""
    team = TeamMember.objects.filter(agency_id=event.agency_id).select_related("user")
    if event.created_by_id is not None:
        creator = team.filter(user_id=event.created_by_id).first()
        if creator is not None:
            return [_team_approver(creator)]
    agency = event.agency
    if agency.email:
        return [Approver(name=agency.name, email=agency.email.lower(), language=agency.language)]
    members = list(team.filter(role=AgencyRole.ADMIN).order_by("pk")) or list(team.order_by("pk"))
    return [_team_approver(member) for member in members]


def _team_approver(member: TeamMember) -> Approver:
    language = member.user.language if member.user is not None else ""
    return Approver(name=member.name, email=member.email.lower(), language=language or "")


def needs_approval(
    *, event: Event, library: Library | None, email: str, by: Iterable[Any] = ()
) -> bool:
    """Whether a place on `event` for the person with `email` at `library` waits for approval,
    given who acted (`by`: the signed-in person registering, who registered them, who gives
    them the seat). Not when the event asks for none; nor when the person is a manager of their
    library; nor when a manager of that library acted (for themselves or a colleague); nor,
    where the library has no manager (or none was given) and so the organiser decides, when
    the organiser's team acted."""
    if not event.manager_approval:
        return False
    actors = [a for a in by if a is not None and a.is_authenticated]
    if library is not None:
        managers = library_managers([library.pk]).get(library.pk, [])
        if email.strip().lower() in {m.email for m in managers}:
            return False
        if any(library.pk in roles_for(a, event.agency).managed_library_ids for a in actors):
            return False
        if managers:
            return True
    return not any(roles_for(a, event.agency).is_staff for a in actors)


@dataclass(frozen=True)
class ApprovalRoute:
    """Who is asked to approve a place, and why the organiser decides when it does."""

    managers: list[Approver]  # the library's managers asked; empty: the organiser decides
    reason: str = ""  # "no_library", "no_manager", "own_manager" when the organiser decides
    library: str = ""  # the library's name, for the reason

    @property
    def organiser_decides(self) -> bool:
        return not self.managers


def approval_routes(registrations: Iterable[Registration]) -> dict[int, ApprovalRoute]:
    """Who approves each of these registrations, by id (one query for all the managers). The
    person registered is never asked to approve their own place."""
    registrations = list(registrations)
    managers = library_managers({r.library_id for r in registrations if r.library_id})
    routes = {}
    for r in registrations:
        if r.library_id is None:
            routes[r.pk] = ApprovalRoute(managers=[], reason="no_library")
            continue
        own = managers.get(r.library_id, [])
        others = [m for m in own if m.email != r.email.strip().lower()]
        name = r.library.name if r.library is not None else ""
        if others:
            routes[r.pk] = ApprovalRoute(managers=others, library=name)
        else:
            reason = "own_manager" if own else "no_manager"
            routes[r.pk] = ApprovalRoute(managers=[], reason=reason, library=name)
    return routes


def places_awaiting_approval(now: datetime | None = None) -> QuerySet[Registration]:
    """Places awaiting approval on events that are still to come (or going on) and not
    cancelled."""
    return (
        Registration.objects.filter(
            status=RegistrationStatus.PENDING_APPROVAL,
            anonymised=False,
            event__ends_at__gte=now or timezone.now(),
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event", "event__agency", "library")
        .order_by("event__starts_at", "event_id", "created_at", "pk")
    )


def awaiting_managers(library_ids: Iterable[int]) -> QuerySet[Registration]:
    """The places awaiting approval at these libraries (a manager's own)."""
    return places_awaiting_approval().filter(library__in=list(library_ids))


def awaiting_agency(agency: Agency) -> QuerySet[Registration]:
    """The places awaiting approval on the events this agency organises or co-organises."""
    events = Event.objects.filter(Q(agency=agency) | Q(co_organisers=agency)).values("pk")
    return places_awaiting_approval().filter(event__in=events)


# --- The economy ------------------------------------------------------------------------------

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value: Any) -> Decimal:
    # SQLite sums decimals as floats; every database gives two decimals here.
    return Decimal(value or 0).quantize(CENT)


def _sum(kind: str, prefix: str = "") -> Any:
    return Coalesce(
        Sum(f"{prefix}amount", filter=Q(**{f"{prefix}kind": kind})),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    label: str
    costs: Decimal
    income: Decimal


@dataclass(frozen=True)
class EventEconomy:
    event_id: int
    title: str
    starts_at: datetime
    status: str
    costs: Decimal
    income: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


@dataclass(frozen=True)
class Totals:
    costs: Decimal = ZERO
    income: Decimal = ZERO
    payers: list[PayerTotal] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


def _payer_totals(lines: Any) -> list[PayerTotal]:
    sums = {
        row["payer"]: row
        for row in lines.values("payer").annotate(costs=_sum("cost"), income=_sum("income"))
    }
    return [
        PayerTotal(
            payer=payer.value,
            label=str(payer.label),
            costs=_money(sums[payer.value]["costs"]),
            income=_money(sums[payer.value]["income"]),
        )
        for payer in Payer
        if payer.value in sums
    ]


def event_totals(event: Event) -> Totals:
    """Costs, income and net of one event, and the same per payer."""
    lines = BudgetLine.objects.filter(event=event).order_by()
    total = lines.aggregate(costs=_sum(BudgetKind.COST), income=_sum(BudgetKind.INCOME))
    return Totals(
        costs=_money(total["costs"]), income=_money(total["income"]), payers=_payer_totals(lines)
    )


@dataclass(frozen=True)
class YearEconomy:
    year: int
    currency: str
    events: list[EventEconomy]
    totals: Totals


def economy_for_year(agency: Agency, year: int) -> YearEconomy:
    """The agency's own events starting in `year` (local time; drafts left out), each with its
    costs, income and net, and the year's totals overall and per payer. Events the agency only
    co-organises count in their organiser's figures."""
    events = (
        Event.objects.filter(agency=agency, starts_at__year=year)
        .exclude(status=EventStatus.DRAFT)
        .annotate(
            costs=_sum(BudgetKind.COST, "budget_lines__"),
            income=_sum(BudgetKind.INCOME, "budget_lines__"),
        )
        .order_by("starts_at", "pk")
    )
    rows = [
        EventEconomy(
            event_id=e.pk,
            title=e.title,
            starts_at=e.starts_at,
            status=e.status,
            costs=_money(e.costs),
            income=_money(e.income),
        )
        for e in events
    ]
    lines = BudgetLine.objects.filter(event_id__in=[row.event_id for row in rows]).order_by()
    return YearEconomy(
        year=year,
        currency=agency.currency,
        events=rows,
        totals=Totals(
            costs=sum((row.costs for row in rows), ZERO),
            income=sum((row.income for row in rows), ZERO),
            payers=_payer_totals(lines),
        ),
    )
