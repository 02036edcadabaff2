import functools
from datetime import datetime
from typing import Annotated, Any, Literal, cast

from django.db import connection
from django.db.models import Field as ModelField
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import Throttled
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt, StrictStr

from bokbro.core.apierrors import ErrorOut, FormInvalid, error, error_response
from bokbro.core.pagination import LimitOffset
from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.directory.colleagues import pending_colleague_record
from bokbro.directory.tenancy import site_agency
from bokbro.events.access import registration_wait
from bokbro.events.forms.public import RegistrantForm
from bokbro.events.models import (
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Question,
)
from bokbro.events.selectors import waiting_place
from bokbro.events.services import registrations as services
from bokbro.events.services.seat_groups import group_seats_open

router = Router(tags=["events"])


class SessionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    capacity: int | None = Field(
        description="Seats of an elective session (chosen when registering); null: for everyone."
    )
    seats_left: int | None


class EventOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    audience: str
    format: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    seats_left: int | None
    waiting_list: bool
    registration_state: str
    url: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_registration_state(obj: Event) -> str:
        return obj.registration_state()

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()


class EventFilter(Schema):
    kind: EventKind | None = None
    audience: Audience | None = None
    format: EventFormat | None = None
    q: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$")


class RegistrationIn(Schema):
    """One person. The values are checked by the registration page's own form
    (`RegistrantForm`): a valid address, the library or else the workplace, the terms where
    the event has binding terms. JSON types are strict: `accept_terms` is true or false."""

    name: StrictStr = Field(..., min_length=1, max_length=200)
    email: StrictStr = Field(
        ..., min_length=3, max_length=254, json_schema_extra={"format": "email"}
    )
    library_id: Annotated[StrictInt, Field(ge=1, le=2**63 - 1)] | None = Field(
        None, description="The person's library (one of the region's); or give `organisation`."
    )
    organisation: StrictStr = Field(
        "", max_length=200, description="The workplace, required when `library_id` is not given."
    )
    accept_terms: StrictBool = Field(
        False, description="Required (true) when the event's registration is binding."
    )
    language: Literal["nb", "nn", "sv", "en"] = "nb"
    sessions: list[Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list,
        max_length=60,
        description=(
            "Ids of the elective sessions chosen (those with a `capacity`): a seat in each, or "
            "its waiting list; kept while the registration is on the event's waiting list."
        ),
    )


class SessionPlaceOut(Schema):
    session_id: int
    status: str = Field(description="`seat`, `waiting` or `chosen` (placed with an event seat).")


class RegistrationOut(Schema):
    status: str
    sessions: list[SessionPlaceOut] = Field(
        default_factory=list, description="The elective sessions chosen, with the place in each."
    )
    waiting_position: int | None = Field(
        description="On the waiting list: the place in the queue now (1: next to get a seat)."
    )
    url: str | None = Field(
        description=(
            "The personal page (see, cancel). Null while the place waits for the person to "
            "confirm their address (status `held`, or `waiting` on an event that asks for "
            "confirmation): the link is only in the mail."
        )
    )


@router.get("/", response=list[EventOut])
@paginate(LimitOffset)
def events(request: HttpRequest, filters: Query[EventFilter]):
    """Upcoming published events of this site's agency (and those it co-organises)."""
    qs = (
        Event.objects.visible_on(site_agency(request))
        .upcoming()
        .prefetch_related("sessions")
        .order_by("starts_at", "pk")
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(summary__icontains=filters.q))
    return qs


def _visible_event(request: HttpRequest, event_id: int) -> Event:
    event = (
        Event.objects.visible_on(site_agency(request))
        .prefetch_related("sessions")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404
    return event


REGISTRATION_READS = (
    "agency_id",
    "title",
    "status",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "invitation_role",
    "binding_text",
    # Whether seats kept for groups have opened (services/seats.py: group_seats_open).
    "group_seats_until",
    "group_seats_opened",
    # How long a place waits for its address to be confirmed (services/registrations.py).
    "hold_hours",
)


def _column(field: Any) -> str:
    """A concrete field's column (the type checker allows for fields without one)."""
    assert isinstance(field, ModelField) and field.column, field
    return field.column


@functools.cache
def _registration_read(vendor: str) -> tuple[str, list[Any], list[Any]]:
    """One plain statement for the event's columns registering reads, and whether it has
    required questions; with the converters the ORM would apply (SQLite stores datetimes as
    text); built once per database vendor.

    Why not the ORM: `bench/sql_vs_orm.py` (PostgreSQL, 2026-12-05, load 8 to 13) measured
    0.28 ms of CPU per call for this statement (range 0.27 to 0.33) against 1.63 ms (1.51 to 1.74)
    for the same `.only(…).annotate(Exists(…))` query through the ORM — most of it compiling
    the query — on a registration that costs about 2 ms in all. Re-measure before changing."""
    meta, questions = Event._meta, Question._meta
    wanted = {cast(ModelField, meta.get_field(name)).attname for name in REGISTRATION_READS}
    fields = [f for f in meta.concrete_fields if f.primary_key or f.attname in wanted]
    quote = connection.ops.quote_name
    pk = f"e.{quote(_column(meta.pk))}"
    sql = (
        f"SELECT {', '.join('e.' + quote(_column(f)) for f in fields)}, EXISTS ("  # noqa: S608 (names from the models, values as parameters)
        f"SELECT 1 FROM {quote(questions.db_table)} q"
        f" WHERE q.{quote(_column(questions.get_field('event')))} = {pk}"
        f" AND q.{quote(_column(questions.get_field('required')))})"
        f" FROM {quote(meta.db_table)} e"
        f" WHERE {pk} = %s AND e.{quote(_column(meta.get_field('status')))} IN (%s, %s)"
    )
    per_field = [
        (
            column,
            connection.ops.get_db_converters(column) + field.get_db_converters(connection),
        )
        for field in fields
        for column in [field.get_col(meta.db_table)]
    ]
    return sql, [f.attname for f in fields], per_field


def _event_for_registration(request: HttpRequest, event_id: int) -> Event:
    """The event, if this site shows it; one plain query on the hot path of a registration
    burst. Only the columns registering reads (services.registration_create)."""
    agency = site_agency(request)
    if not 0 < event_id < 2**63:  # no such id; a plain query would not say so on SQLite
        raise Http404
    sql, names, per_field = _registration_read(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id, EventStatus.PUBLISHED, EventStatus.CANCELLED])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    values = []
    for value, (column, converters) in zip(row, per_field, strict=False):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    event = Event.from_db(connection.alias, names, values)
    event.has_required_questions = bool(row[-1])  # type: ignore[attr-defined]
    if event.agency_id != agency.pk and not event.co_organisers.filter(pk=agency.pk).exists():
        raise Http404
    return event


@router.get("/{event_id}", response=EventOut)
def event(request: HttpRequest, event_id: int):
    return _visible_event(request, event_id)


@router.post(
    "/{event_id}/registrations",
    response={201: RegistrationOut, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut},
)
def register(request: HttpRequest, event_id: int, payload: RegistrationIn):
    """Register one person, with the same rules as the web form (422 names each refused
    field). Events that need extra answers or a signed-in invitee are registered on the web
    page (400). A client over its rate limit gets 429, with Retry-After."""
    event = _event_for_registration(request, event_id)
    wait = registration_wait(request, event.pk)
    if wait is not None:
        raise Throttled(wait)
    form = RegistrantForm(
        {
            "name": payload.name,
            "email": payload.email,
            "library": payload.library_id,
            "organisation": payload.organisation,
            "accept_terms": payload.accept_terms,
            "sessions": payload.sessions,
        },
        event=event,
        shown=False,
    )
    if not form.is_valid():
        raise FormInvalid(form, fields={"library": "library_id"})
    if event.has_required_questions:  # type: ignore[attr-defined]
        return Status(
            400,
            error("questions", _("This event has questions to answer; register on the web page.")),
        )
    data = form.cleaned_data
    wait = address_wait(data["email"])
    if wait is not None:
        refused = error_response(429, error("too_many_mails", address_refusal(wait)))
        refused["Retry-After"] = str(wait)
        return refused
    # The first registration after the groups' seats opened moves the waiting list up first.
    group_seats_open(event)
    try:
        registration = services.registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            library=data["library"],
            organisation=data["organisation"],
            accepted_binding_terms=bool(data.get("accept_terms")),
            # The API ignores a browser session (no CSRF check here), so it never acts as a
            # signed-in user: invitation-only events are registered on the web page.
            user=None,
            language=payload.language,
            # Nobody signed in: where the event asks for it, the place is held until the
            # person confirms with the link in the mail (status "held").
            verify_email=True,
            sessions=list(data.get("sessions") or []),
        )
    except services.AlreadyRegistered as refusal:
        return Status(409, error(refusal.code, str(refusal.message)))
    except services.RegistrationError as refusal:
        return Status(400, error(refusal.code, str(refusal.message)))
    if data["library"] is not None and not registration.awaits_email_confirmation:
        # As on the web page: someone naming a library waits on its manager's page until
        # confirmed as its staff (a held place does so once its address is confirmed).
        pending_colleague_record(library=data["library"], name=data["name"], email=data["email"])
    return Status(
        201,
        {
            "status": registration.status,
            "sessions": [
                {"session_id": place.session_id, "status": place.status}
                for place in registration.session_places.order_by("session_id")
            ]
            if payload.sessions
            else [],
            # The place in the queue now, not the arrival number the rules keep: after others
            # ahead left the list, the 40th to arrive may be 3rd in line.
            "waiting_position": waiting_place(registration),
            "url": None
            if registration.awaits_email_confirmation
            else registration.get_absolute_url(),
        },
    )
