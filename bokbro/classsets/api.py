"""The class sets' part of the JSON API: the site's agency's catalogue with its filters, the
schools a booking can name, a title's free copies per week, and a booking (the same rules as the
web form: the form validates, the service decides under the title's lock).

Errors in the shared shape (core/apierrors.py): 404 for a title not in this site's catalogue;
422 with the form's messages by field for bad input; 409 with the free quantity and other weeks
when the copies are short.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from bokbro.classsets import selectors, services
from bokbro.classsets.forms import BookingForm, CatalogueFilterForm, schools_of
from bokbro.classsets.models import Title
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


class ShortOut(Schema):
    """409: fewer copies free than asked for: how many are, and other windows that have them."""

    code: str
    detail: str
    errors: list[FieldError] = []
    free: int
    alternatives: list[dict[str, date]]


@router.post(
    "/bookings",
    response={201: BookingOut, 404: ErrorOut, 409: ShortOut, 422: ErrorOut, 429: ErrorOut},
    url_name="classset_book",
)
def book(request: HttpRequest, payload: BookingIn):  # type: ignore[no-untyped-def]
    """Book copies of a title for a window, with the rules of the web form. The copies are held
    at once; the booking is confirmed from the link in the e-mail to `contact_email`. An
    address that has had its share of mail from the public forms this hour gets 429, with
    Retry-After."""
    agency = site_agency(request)
    title = Title.objects.filter(pk=payload.title, agency=agency).first()
    if title is None:
        raise ApiError(404, "unknown_title", "No such title in the catalogue.")
    form = BookingForm(
        {
            "copies": payload.copies,
            "starts_on": payload.from_,
            "ends_on": payload.to,
            "school": payload.school,
            "class_name": payload.class_name,
            "contact_name": payload.contact_name,
            "contact_email": payload.contact_email,
            "delivery_library": payload.delivery_library,
        },
        agency=agency,
    )
    if not form.is_valid():
        raise FormInvalid(form, fields=NAMES)
    wait = address_wait(form.cleaned_data["contact_email"])
    if wait is not None:
        refused = error_response(429, api_error("too_many_mails", address_refusal(wait)))
        refused["Retry-After"] = str(wait)
        return refused
    try:
        booking = services.booking_create(
            agency=agency, request=services.BookingRequest(title=title, **form.cleaned_data)
        )
    except ValidationError as error:
        errors = [
            _field(NAMES.get(name, name) if name != "__all__" else "", message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise ApiError(422, "invalid", invalid_detail(errors), errors) from error
    except services.NotEnoughCopies as error:
        return Status(
            409,
            {
                "code": "short",
                "detail": str(error.message),
                "errors": [],
                "free": error.free,
                "alternatives": [
                    {"from": a.starts_on, "to": a.ends_on} for a in error.alternatives
                ],
            },
        )
    return Status(
        201,
        {
            "id": booking.pk,
            "status": booking.status,
            "title": title.pk,
            "copies": booking.copies,
            "starts_on": booking.starts_on,
            "ends_on": booking.ends_on,
            "url": booking.get_absolute_url(),
        },
    )


NAMES = {"starts_on": "from", "ends_on": "to"}


def _field(name: str, message: str) -> dict[str, str]:
    return {"field": name, "code": "invalid", "message": str(message)}
