"""The class sets' part of the JSON API: the site's agency's catalogue with its filters, the
schools a booking can name, a title's free copies per week, a booking, a basket of several
titles and a place in the queue (the same rules as the web forms: the form validates, the
service decides under the titles' locks).

Errors in the shared shape (core/apierrors.py): 404 for a title not in this site's catalogue;
422 with the form's messages by field for bad input; 409 when the copies are short, with the
free quantity (and, for one title, other weeks) and the queue to join; 429 for an address that
has had its share of mail this hour. A booking is decided quickly where it can be
(classsets/quick.py).

Size: the module's six endpoints with their schemas and their answers, read together as the
API's reference; the booking's quick decision has its own module.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from bokbro.classsets import baskets, selectors, services, waiting
from bokbro.classsets.forms import (
    BasketForm,
    BookingForm,
    CatalogueFilterForm,
    schools_of,
)
from bokbro.classsets.models import Booking, Title
from bokbro.classsets.quick import quick_decision
from bokbro.classsets.views.public import filtered_titles
from bokbro.core.apierrors import (
    ApiError,
    ErrorOut,
    FieldError,
    FormInvalid,
    error_response,
    invalid_detail,
)
from bokbro.core.apierrors import error as api_error
from bokbro.core.pagination import LimitOffset
from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.directory.models import Agency
from bokbro.directory.tenancy import site_agency

router = Router(tags=["class-sets"])

MAX_WEEKS = 60


class TitleOut(Schema):
    id: int
    isbn: str
    title: str
    author: str
    publisher: str
    year: int | None
    language: str
    easy_to_read: bool
    has_audiobook: bool
    has_ebook: bool
    grades: list[str]
    themes: list[str]
    summary: str
    copies: int
    url: str

    @staticmethod
    def resolve_grades(obj: Title) -> list[str]:
        return obj.grade_list

    @staticmethod
    def resolve_themes(obj: Title) -> list[str]:
        return [t.name for t in obj.themes.all()]

    @staticmethod
    def resolve_copies(obj: Title) -> int:
        return int(getattr(obj, "owned", 0))

    @staticmethod
    def resolve_url(obj: Title) -> str:
        return obj.get_absolute_url()


class TitleFilter(Schema):
    q: str = Field("", description="Words of the title or author, or an ISBN.")
    grade: str = Field("", description="1-3, 4-5, 6-7, 8-10 or vg.")
    language: str = Field("", description="nb, nn, sv, en, se or other.")
    theme: int | None = Field(None, description="A theme's id.")
    easy: bool = Field(False, description="Only easy-to-read titles.")


@router.get("/titles", response=list[TitleOut], url_name="classset_titles")
@paginate(LimitOffset)
def titles(request: HttpRequest, filters: Query[TitleFilter]):  # type: ignore[no-untyped-def]
    """The catalogue of this site's agency, filtered as on the catalogue page."""
    agency = site_agency(request)
    data = {k: v for k, v in filters.dict().items() if v not in ("", None, False)}
    form = CatalogueFilterForm(data, agency=agency)
    if data and not form.is_valid():
        return Title.objects.none()
    return filtered_titles(agency, form)


class SchoolOut(Schema):
    id: int
    name: str
    municipality: str

    @staticmethod
    def resolve_municipality(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.municipality.name


@router.get("/schools", response=list[SchoolOut], url_name="classset_schools")
@paginate(LimitOffset)
def schools(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The schools a booking can name: schools in the agency's region."""
    return schools_of(site_agency(request))


class WeekOut(Schema):
    week: str
    monday: date
    sunday: date
    free: int
    copies: int
    holiday: str


class AvailabilityOut(Schema):
    title: int
    copies: int
    weeks: list[WeekOut]


class AvailabilityQuery(Schema):
    from_: date | None = Field(None, alias="from", description="First day; today if left out.")
    to: date | None = Field(None, description="Last day; 20 weeks on if left out.")


@router.get(
    "/titles/{title_id}/availability",
    response={200: AvailabilityOut, 422: ErrorOut},
    url_name="classset_availability",
)
def availability(  # type: ignore[no-untyped-def]
    request: HttpRequest, title_id: int, query: Query[AvailabilityQuery]
):
    """Copies free in each week (Monday to Sunday) from `from` to `to`: the fewest free on any
    day of the week. A week in a holiday period names it (nothing is sent then)."""
    title = Title.objects.filter(pk=title_id, agency=site_agency(request)).first()
    if title is None:
        raise Http404
    first = query.from_ or date.today()
    if not date(2000, 1, 1) <= first <= date(2100, 12, 31) or (
        query.to is not None and query.to.year > 2100
    ):
        raise ApiError(422, "invalid", "Ask for dates from 2000 to 2100.")
    last = query.to or first + timedelta(weeks=20)
    if last < first:
        raise ApiError(
            422, "invalid", "`to` is before `from`.", [_field("to", "`to` is before `from`.")]
        )
    weeks = (last - first).days // 7 + 1
    if weeks > MAX_WEEKS:
        raise ApiError(422, "invalid", f"Ask for at most {MAX_WEEKS} weeks at a time.")
    owned = title.copies_owned()
    rows = selectors.availability_by_week(title, owned, first, weeks)
    return {
        "title": title.pk,
        "copies": owned,
        "weeks": [
            {
                "week": f"{w.monday.isocalendar()[0]}-W{w.number:02d}",
                "monday": w.monday,
                "sunday": w.sunday,
                "free": w.free,
                "copies": w.owned,
                "holiday": w.holiday,
            }
            for w in rows
        ],
    }


class BookingIn(Schema):
    title: int
    copies: int
    from_: date = Field(alias="from")
    to: date
    school: int
    class_name: str = Field(description="The class or grade, e.g. 6B.")
    contact_name: str
    contact_email: str
    delivery_library: int = Field(description="The main library the books go to.")


class BookingOut(Schema):
    id: int
    status: str
    title: int
    copies: int
    starts_on: date
    ends_on: date
    url: str


QUEUE_PATH = "/api/class-sets/queue"


class ShortOut(Schema):
    """409: fewer copies free than asked for: how many are, other windows that have them, and
    the queue to join for these dates (`queue`: the path to POST the same request to)."""

    code: str
    detail: str
    errors: list[FieldError] = []
    free: int
    alternatives: list[dict[str, date]]
    queue: str


def _queue_hint() -> str:
    return _(
        "Or join the queue for these dates: when copies come back they are offered to the "
        "queue in turn."
    )


@router.post(
    "/bookings",
    response={201: BookingOut, 404: ErrorOut, 409: ShortOut, 422: ErrorOut, 429: ErrorOut},
    url_name="classset_book",
)
def book(request: HttpRequest, payload: BookingIn):  # type: ignore[no-untyped-def]
    """Book copies of a title for a window, with the rules of the web form. The copies are held
    at once; the booking is confirmed from the link in the e-mail to `contact_email`. An
    address that has had its share of mail from the public forms this hour gets 429, with
    Retry-After (a 409 sends no mail, so it does not count)."""
    agency = site_agency(request)
    quick = quick_decision(agency, _form_data(payload, copies=payload.copies), payload.title)
    if isinstance(quick, services.NotEnoughCopies):
        return _short(quick)
    if quick is not None:
        return _hold(agency, *quick)
    wanted = _booking_request(agency, payload)
    if isinstance(wanted, HttpResponse):
        return wanted
    try:
        booking = services.booking_create(agency=agency, request=wanted)
    except ValidationError as error:
        raise _invalid(error) from error
    except services.NotEnoughCopies as error:
        return _short(error)
    return Status(201, _booking_out(booking))


def _hold(agency: Agency, booking: Booking, hold_hours: int) -> Any:
    refused = _rate_limited(booking.contact_email)
    if refused is not None:
        return refused
    try:
        services.booking_hold(agency=agency, booking=booking, hold_hours=hold_hours)
    except services.NotEnoughCopies as error:
        return _short(error)
    return Status(201, _booking_out(booking))


def _short(error: services.NotEnoughCopies) -> HttpResponse:
    return JsonResponse(
        {
            "code": "short",
            "detail": f"{error.message} {_queue_hint()}",
            "errors": [],
            "free": error.free,
            "alternatives": [{"from": a.starts_on, "to": a.ends_on} for a in error.alternatives],
            "queue": QUEUE_PATH,
        },
        status=409,
    )


def _title(agency: Agency, pk: int) -> Title:
    title = Title.objects.filter(pk=pk, agency=agency).first()
    if title is None:
        raise ApiError(404, "unknown_title", "No such title in the catalogue.")
    return title


def _booking_request(agency: Agency, payload: BookingIn) -> services.BookingRequest | HttpResponse:
    """A booking's or a queue place's request, checked in the web form's order: 404 for a title
    not in the catalogue, 422 with the form's messages by field (both raised), then the 429 to
    answer for an address that has had its share of mail this hour (returned)."""
    title = _title(agency, payload.title)
    data = _validated(BookingForm(_form_data(payload, copies=payload.copies), agency=agency))
    refused = _rate_limited(data["contact_email"])
    if refused is not None:
        return refused
    return services.BookingRequest(title=title, **data)


def _form_data(payload: Any, **copies: int) -> dict[str, Any]:
    return {
        **copies,
        "starts_on": payload.from_,
        "ends_on": payload.to,
        "school": payload.school,
        "class_name": payload.class_name,
        "contact_name": payload.contact_name,
        "contact_email": payload.contact_email,
        "delivery_library": payload.delivery_library,
    }


def _validated(form: BookingForm, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The web form's rules: 422 with its messages by field, else its cleaned data."""
    if not form.is_valid():
        raise FormInvalid(form, fields=NAMES | (names or {}))
    return dict(form.cleaned_data)


def _rate_limited(email: str) -> HttpResponse | None:
    """429 with Retry-After for an address that has had its share of mail this hour."""
    wait = address_wait(email)
    if wait is None:
        return None
    refused = error_response(429, api_error("too_many_mails", address_refusal(wait)))
    refused["Retry-After"] = str(wait)
    return refused


def _invalid(error: ValidationError, names: dict[str, str] | None = None) -> ApiError:
    rename = NAMES | (names or {})
    errors = [
        _field(rename.get(name, name) if name != "__all__" else "", message)
        for name, messages in (
            error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        ).items()
        for message in messages
    ]
    return ApiError(422, "invalid", invalid_detail(errors), errors)


def _booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "status": booking.status,
        "title": booking.title_id,
        "copies": booking.copies,
        "starts_on": booking.starts_on,
        "ends_on": booking.ends_on,
        "url": booking.get_absolute_url(),
    }


class BasketLineIn(Schema):
    title: int
    copies: int


class BasketIn(Schema):
    lines: list[BasketLineIn] = Field(
        description="The titles and the copies of each: 1 to 10 titles, each once.",
        min_length=1,
        max_length=baskets.MAX_TITLES,
    )
    from_: date = Field(alias="from")
    to: date
    school: int
    class_name: str = Field(description="The class or grade, e.g. 6B.")
    contact_name: str
    contact_email: str
    delivery_library: int = Field(description="The main library the books go to.")


class BasketOut(Schema):
    status: str
    url: str = Field(description="The personal link that confirms or cancels every title.")
    bookings: list[BookingOut]


class ShortLineOut(Schema):
    title: int
    asked: int
    free: int


class BasketShortOut(Schema):
    """409: some titles have fewer copies free than asked for; nothing is held. Each short
    title with how many are free, and the queue to join for them (`queue`)."""

    code: str
    detail: str
    errors: list[FieldError] = []
    shorts: list[ShortLineOut]
    queue: str


@router.post(
    "/baskets",
    response={
        201: BasketOut,
        404: ErrorOut,
        409: BasketShortOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    url_name="classset_basket",
)
def basket(request: HttpRequest, payload: BasketIn):  # type: ignore[no-untyped-def]
    """Book several titles for one class in one request, all or nothing, with the rules of the
    web basket: either every title's copies are held (one e-mail, one personal link that
    confirms or cancels them all), or none is and the 409 names each short title with the
    copies free. A line's errors are named `lines.<n>.copies` (from 0)."""
    agency = site_agency(request)
    titles = [_title(agency, line.title) for line in payload.lines]
    form_data = _form_data(
        payload, **{f"copies_{line.title}": line.copies for line in payload.lines}
    )
    names = {f"copies_{line.title}": f"lines.{n}.copies" for n, line in enumerate(payload.lines)}
    unique = list({t.pk: t for t in titles}.values())
    data = _validated(BasketForm(form_data, agency=agency, titles=unique), names)
    refused = _rate_limited(data["contact_email"])
    if refused is not None:
        return refused
    shared = {k: v for k, v in data.items() if not k.startswith("copies_")}
    requests = [
        services.BookingRequest(title=title, copies=line.copies, **shared)
        for title, line in zip(titles, payload.lines, strict=True)
    ]
    try:
        made = baskets.basket_create(agency=agency, requests=requests)
    except ValidationError as error:
        raise _invalid(error, names) from error
    except baskets.BasketShort as error:
        detail = _("Too few copies are free of: %(titles)s. Nothing is held.") % {
            "titles": ", ".join(
                _("%(title)s (%(free)s of %(asked)s)")
                % {"title": s.title.title, "free": s.free, "asked": s.asked}
                for s in error.shorts
            )
        }
        return Status(
            409,
            {
                "code": "short",
                "detail": f"{detail} {_queue_hint()}",
                "errors": [],
                "shorts": [
                    {"title": s.title.pk, "asked": s.asked, "free": s.free} for s in error.shorts
                ],
                "queue": QUEUE_PATH,
            },
        )
    return Status(
        201,
        {
            "status": "held",
            "url": made.get_absolute_url(),
            "bookings": [_booking_out(b) for b in baskets.basket_bookings(made)],
        },
    )


class QueueOut(Schema):
    id: int
    status: str = Field(description="waiting, or offered when the copies were free at once.")
    title: int
    copies: int
    starts_on: date
    ends_on: date
    url: str = Field(description="The place's personal link: its status, and leaving.")
    booking: BookingOut | None = Field(description="The offer, held as a booking, if any.")


@router.post(
    "/queue",
    response={201: QueueOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    url_name="classset_queue",
)
def queue_join(request: HttpRequest, payload: BookingIn):  # type: ignore[no-untyped-def]
    """Join the queue for copies that are short (the request is checked as a booking is).
    When copies come back, the first in the queue they suffice for gets them held as a booking
    and an e-mail, to accept within the agency's days. If the copies are free already, the
    offer comes at once (`status` offered, with its `booking`)."""
    agency = site_agency(request)
    wanted = _booking_request(agency, payload)
    if isinstance(wanted, HttpResponse):
        return wanted
    try:
        entry = waiting.queue_join(agency=agency, request=wanted)
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(
        201,
        {
            "id": entry.pk,
            "status": entry.status,
            "title": wanted.title.pk,
            "copies": entry.copies,
            "starts_on": entry.starts_on,
            "ends_on": entry.ends_on,
            "url": entry.get_absolute_url(),
            "booking": _booking_out(entry.booking) if entry.booking else None,
        },
    )


NAMES = {"starts_on": "from", "ends_on": "to"}


def _field(name: str, message: str) -> dict[str, str]:
    return {"field": name, "code": "invalid", "message": str(message)}
