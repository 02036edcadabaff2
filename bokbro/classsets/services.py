"""Every write of the class-set module.

Concurrency (docs/classsets.md): a booking, a cancellation, a check-in that reduces a set and the
release of unconfirmed bookings all take the title's row lock (`select_for_update`; on SQLite the
transaction is IMMEDIATE) and decide inside the transaction, so two requests for the last copies
are decided one after the other; a booking does it in one batch of SQL (classsets/hold_sql.py).
E-mails are queued after commit.

Size: the catalogue's and the bookings' writes, read top to bottom; each function is short.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.classsets import facts, hold_sql, notices, queue, reminders, selectors, tasks
from bokbro.classsets.models import (
    Booking,
    BookingStatus,
    ClassSet,
    CourierRoute,
    HolidayPeriod,
    Loss,
    RouteLibrary,
    Settings,
    Theme,
    Title,
)
from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Library, Organisation, OrganisationKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Catalogue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleData(Input):
    isbn: str
    title: str
    author: str = ""
    publisher: str = ""
    year: int | None = None
    language: str = "nb"
    easy_to_read: bool = False
    has_audiobook: bool = False
    has_ebook: bool = False
    grade_bands: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    summary: str = ""
    cover: Any = None


def _apply(title: Title, data: TitleData) -> None:
    for name in (
        "isbn", "title", "author", "publisher", "year", "language",
        "easy_to_read", "has_audiobook", "has_ebook", "summary",
    ):  # fmt: skip
        setattr(title, name, getattr(data, name))
    title.grade_bands = " ".join(data.grade_bands)
    if data.cover:
        title.cover = data.cover


@transaction.atomic
def title_create(*, actor: Actor | None, agency: Agency, data: TitleData) -> Title:
    title = Title(agency=agency)
    _apply(title, data)
    if Title.objects.filter(agency=agency, isbn=title.isbn).exists():
        raise ValidationError({"isbn": _("This ISBN is already in the catalogue.")})
    title.full_clean()
    title.save()
    title.themes.set([t for t in data.themes if t.agency_id == agency.pk])
    audit_log(action="classsets.title.created", actor=actor, agency=agency, target=title)
    Settings.catalogue_changed(agency)
    return title


@transaction.atomic
def title_update(*, actor: Actor | None, agency: Agency, title: Title, data: TitleData) -> Title:
    _apply(title, data)
    if Title.objects.filter(agency=agency, isbn=title.isbn).exclude(pk=title.pk).exists():
        raise ValidationError({"isbn": _("This ISBN is already in the catalogue.")})
    title.full_clean()
    title.save()
    title.themes.set([t for t in data.themes if t.agency_id == agency.pk])
    audit_log(action="classsets.title.updated", actor=actor, agency=agency, target=title)
    Settings.catalogue_changed(agency)
    return title


@transaction.atomic
def theme_create(*, actor: Actor | None, agency: Agency, name: str) -> Theme:
    theme = Theme.objects.create(agency=agency, name=name)
    Settings.catalogue_changed(agency)
    return theme


@transaction.atomic
def class_set_save(
    *,
    actor: Actor | None,
    agency: Agency,
    title: Title,
    copies: int,
    home_library: Library | None = None,
    condition_note: str = "",
    class_set: ClassSet | None = None,
) -> ClassSet:
    """Add a set to a title, or change one. Fewer copies than the bookings hold is refused."""
    Title.objects.select_for_update().get(pk=title.pk)
    if copies < 1:
        raise ValidationError({"copies": _("A set has at least one copy.")})
    created = class_set is None
    class_set = class_set or ClassSet(title=title)
    before = 0 if created else class_set.copies
    class_set.copies = copies
    class_set.home_library = home_library
    class_set.condition_note = condition_note
    class_set.full_clean()
    owned = (title.sets.aggregate(n=Sum("copies"))["n"] or 0) - before + copies
    booked = _most_booked_ahead(title)
    if owned < booked:
        raise ValidationError(
            {
                "copies": ngettext(
                    "Bookings hold %(booked)s copy of this title on one day; the sets must "
                    "have at least one.",
                    "Bookings hold %(booked)s copies of this title on one day; the sets must "
                    "have at least that many.",
                    booked,
                )
                % {"booked": booked}
            }
        )
    class_set.save()
    Settings.catalogue_changed(agency)
    queue.offer_freed(title)
    audit_log(
        action="classsets.set.created" if created else "classsets.set.updated",
        actor=actor,
        agency=agency,
        target=title,
        data={"copies": copies},
    )
    return class_set


def _most_booked_ahead(title: Title) -> int:
    today = timezone.localdate()
    windows = list(
        Booking.objects.filter(title=title, ends_on__gte=today)
        .holding()
        .values_list("starts_on", "ends_on", "copies")
    )
    if not windows:
        return 0
    end = max(w[1] for w in windows)
    return max(selectors.booked_per_day(windows, today, end), default=0)


@transaction.atomic
def settings_save(
    *,
    actor: Actor,
    agency: Agency,
    default_weeks: int,
    max_weeks: int,
    hold_hours: int,
    replacement_price: Decimal,
    offer_days: int = 3,
) -> Settings:
    rules = Settings.objects.filter(agency=agency).first() or Settings(agency=agency)
    rules.default_weeks = default_weeks
    rules.max_weeks = max_weeks
    rules.hold_hours = hold_hours
    rules.replacement_price = replacement_price
    rules.offer_days = offer_days
    rules.full_clean()
    rules.save()
    audit_log(action="classsets.settings.updated", actor=actor, agency=agency, target=rules)
    return rules


@transaction.atomic
def holiday_add(
    *, actor: Actor, agency: Agency, name: str, starts_on: date, ends_on: date
) -> HolidayPeriod:
    holiday = HolidayPeriod(agency=agency, name=name, starts_on=starts_on, ends_on=ends_on)
    holiday.full_clean()
    holiday.save()
    audit_log(action="classsets.holiday.added", actor=actor, agency=agency, target=holiday)
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Actor, agency: Agency, holiday: HolidayPeriod) -> None:
    audit_log(
        action="classsets.holiday.deleted",
        actor=actor,
        agency=agency,
        data={"name": holiday.name, "starts_on": holiday.starts_on.isoformat()},
    )
    holiday.delete()


@transaction.atomic
def route_save(
    *,
    actor: Actor | None,
    agency: Agency,
    name: str,
    libraries: list[Library],
    weekday: int | None = None,
    note: str = "",
    route: CourierRoute | None = None,
) -> CourierRoute:
    """A courier route and the main libraries on it; a library on another of the agency's
    routes is refused (the database holds it too: one route per library and agency)."""
    created = route is None
    route = route or CourierRoute(agency=agency)
    route.name, route.weekday, route.note = name, weekday, note
    route.full_clean(validate_unique=False)
    if CourierRoute.objects.filter(agency=agency, name=name).exclude(pk=route.pk).exists():
        raise ValidationError({"name": _("The agency has a route of this name.")})
    taken = (
        RouteLibrary.objects.filter(agency=agency, library__in=libraries)
        .exclude(route_id=route.pk)
        .select_related("library", "route")
    )
    if taken:
        raise ValidationError(
            {
                "libraries": [
                    _("%(library)s is on the route %(route)s.")
                    % {"library": stop.library.name, "route": stop.route.name}
                    for stop in taken
                ]
            }
        )
    route.save()
    RouteLibrary.objects.filter(route=route).exclude(library__in=libraries).delete()
    kept = set(RouteLibrary.objects.filter(route=route).values_list("library_id", flat=True))
    RouteLibrary.objects.bulk_create(
        RouteLibrary(route=route, library=library, agency=agency)
        for library in libraries
        if library.pk not in kept
    )
    audit_log(
        action="classsets.route.created" if created else "classsets.route.updated",
        actor=actor,
        agency=agency,
        target=route,
        data={"libraries": len(libraries)},
    )
    return route


@transaction.atomic
def route_delete(*, actor: Actor, agency: Agency, route: CourierRoute) -> None:
    audit_log(
        action="classsets.route.deleted", actor=actor, agency=agency, data={"name": route.name}
    )
    route.delete()


# --- Booking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingRequest(Input):
    title: Title
    copies: int
    starts_on: date
    ends_on: date
    school: Organisation
    class_name: str
    contact_name: str
    contact_email: str
    delivery_library: Library


@dataclass(frozen=True)
class Alternative:
    starts_on: date
    ends_on: date


class NotEnoughCopies(Exception):
    """Fewer copies are free on some day of the window than asked for."""

    def __init__(self, *, asked: int, free: int, alternatives: list[Alternative]) -> None:
        self.asked = asked
        self.free = free
        self.alternatives = alternatives
        super().__init__(str(self.message))

    @property
    def message(self) -> StrOrPromise:
        if self.free:
            return ngettext(
                "Only %(free)s of the %(asked)s copies you asked for is free for the whole "
                "period. You can book %(free)s, or choose other weeks.",
                "Only %(free)s of the %(asked)s copies you asked for are free for the whole "
                "period. You can book %(free)s, or choose other weeks.",
                self.free,
            ) % {"free": self.free, "asked": self.asked}
        return _("No copies are free for the whole period. Choose other weeks.")


@dataclass
class _Errors:
    errors: dict[str, list[StrOrPromise]] = field(default_factory=dict)

    def add(self, name: str, message: StrOrPromise) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError({k: [str(m) for m in v] for k, v in self.errors.items()})


BOOKING_HORIZON_DAYS = 730


def weeks_of(starts_on: date, ends_on: date) -> int:
    return math.ceil(((ends_on - starts_on).days + 1) / 7)


def validate_request(agency: Agency, req: BookingRequest, *, owned: int, today: date) -> None:
    """The rules of a booking that do not depend on other bookings: the same for the form and
    the API. Raises ValidationError with one message per field."""
    counties = agency_county_ids(agency)
    school = req.school
    library = req.delivery_library
    county_id = library.municipality.county_id if library.municipality else library.county_id
    errors = rule_errors(
        copies=req.copies,
        starts_on=req.starts_on,
        ends_on=req.ends_on,
        owned=owned,
        today=today,
        max_weeks=Settings.of(agency).max_weeks,
        periods=selectors.holidays(agency, req.starts_on, req.ends_on),
        title_in_catalogue=req.title.agency_id == agency.pk,
        school_in_region=(
            school.kind == OrganisationKind.SCHOOL
            and school.municipality is not None
            and school.municipality.county_id in counties
        ),
        library_in_region=county_id in counties,
    )
    errors.raise_any()


def rule_errors(
    *,
    copies: int,
    starts_on: date,
    ends_on: date,
    owned: int,
    today: date,
    max_weeks: int,
    periods: Iterable[HolidayPeriod],
    title_in_catalogue: bool = True,
    school_in_region: bool = True,
    library_in_region: bool = True,
) -> _Errors:
    """The messages of `validate_request`, from what was read for it: the API's quick refusal
    (classsets/facts.py) checks the same rules with the same code."""
    errors = _Errors()
    if not title_in_catalogue:
        errors.add("title", _("This title is not in the catalogue."))
    if copies < 1:
        errors.add("copies", _("Book at least one copy."))
    elif copies > owned:
        errors.add(
            "copies",
            ngettext(
                "The title has %(owned)s copy in all; you cannot book more.",
                "The title has %(owned)s copies in all; you cannot book more.",
                owned,
            )
            % {"owned": owned},
        )
    if ends_on < starts_on:
        errors.add("ends_on", _("The return date is before the delivery date."))
    elif weeks_of(starts_on, ends_on) > max_weeks:
        errors.add(
            "ends_on",
            ngettext(
                "A loan can last at most %(weeks)s week.",
                "A loan can last at most %(weeks)s weeks.",
                max_weeks,
            )
            % {"weeks": max_weeks},
        )
    if starts_on < today:
        errors.add("starts_on", _("The delivery date has passed."))
    elif starts_on > today + timedelta(days=BOOKING_HORIZON_DAYS):
        errors.add("starts_on", _("You can book at most two years ahead."))
    if not school_in_region:
        errors.add("school", _("We lend class sets only to schools in our region."))
    if not library_in_region:
        errors.add("delivery_library", _("Choose a library in our region."))
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        closed = selectors.in_holiday(day, periods)
        if closed is not None:
            errors.add(
                name,
                _("%(holiday)s: nothing is sent or returned from %(first)s to %(last)s.")
                % {
                    "holiday": closed.name,
                    "first": closed.starts_on.strftime("%d.%m.%Y"),
                    "last": closed.ends_on.strftime("%d.%m.%Y"),
                },
            )
    return errors


def alternatives_span(starts_on: date, ends_on: date, today: date) -> tuple[date, date]:
    """The days `alternatives` looks at for a window: from the Monday on or after four weeks
    before it (not before today) to 20 weeks on, plus the window's length."""
    first = max(starts_on - timedelta(weeks=4), today)
    first = first + timedelta(days=(7 - first.weekday()) % 7)
    return first, first + timedelta(weeks=20) + (ends_on - starts_on)


def alternatives(
    *,
    copies: int,
    starts_on: date,
    ends_on: date,
    owned: int,
    today: date,
    windows: Iterable[tuple[date, date, int]],
    periods: Iterable[HolidayPeriod],
    limit: int = 3,
) -> list[Alternative]:
    """Windows of the same length, starting on the Mondays of the next 20 weeks, where the copies
    asked for are free and neither end is in a holiday; from the holding bookings' windows and
    the holidays of at least `alternatives_span`."""
    length = ends_on - starts_on
    first, last = alternatives_span(starts_on, ends_on, today)
    booked = selectors.booked_per_day(windows, first, last)
    periods = list(periods)
    found: list[Alternative] = []
    for week in range(20):
        start = first + timedelta(weeks=week)
        end = start + length
        if start == starts_on or end > last:
            continue
        if selectors.in_holiday(start, periods) or selectors.in_holiday(end, periods):
            continue
        lo, hi = (start - first).days, (end - first).days
        if owned - max(booked[lo : hi + 1]) >= copies:
            found.append(Alternative(start, end))
            if len(found) == limit:
                break
    return found


def _alternatives(
    agency: Agency, owned: int, booking: Booking, limit: int = 3
) -> list[Alternative]:
    """Other weeks for a booking the batch refused, from the windows and holidays around it
    read in one statement (classsets/facts.py: in a storm, the requests that raced the winners
    for the lock are refused here, some tens of them)."""
    today = timezone.localdate()
    first, last = alternatives_span(booking.starts_on, booking.ends_on, today)
    read = facts.booking_facts(
        agency_id=agency.pk,
        title_id=booking.title_id,
        school_id=booking.school_id,
        library_id=booking.delivery_library_id,
        first=first,
        last=last,
    )
    if read is None:  # the title left the catalogue in between
        return []
    return alternatives(
        copies=booking.copies,
        starts_on=booking.starts_on,
        ends_on=booking.ends_on,
        owned=owned,
        today=today,
        windows=read.windows,
        periods=read.holidays,
        limit=limit,
    )


def booking_create(
    *, agency: Agency, request: BookingRequest, now: datetime | None = None
) -> Booking:
    """Hold the copies at once (the teacher confirms from the mail), or raise NotEnoughCopies
    with the free quantity and other weeks. Bad input raises ValidationError; nothing is saved."""
    now = now or timezone.now()
    # The rules that do not depend on other bookings are read before the lock is taken, so
    # requests for the same title queue only for the count and the insert.
    validate_request(
        agency, request, owned=request.title.copies_owned(), today=timezone.localdate(now)
    )
    booking = Booking(
        agency=agency,
        title=request.title,
        copies=request.copies,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        school=request.school,
        class_name=request.class_name,
        contact_name=request.contact_name,
        contact_email=request.contact_email,
        delivery_library=request.delivery_library,
    )
    return booking_hold(
        agency=agency, booking=booking, hold_hours=Settings.of(agency).hold_hours, now=now
    )


def booking_hold(
    *, agency: Agency, booking: Booking, hold_hours: int, now: datetime | None = None
) -> Booking:
    """Hold the copies of an unsaved booking whose request passed the rules of
    `validate_request`: decided and inserted under the title's lock by one batch of SQL
    (classsets/hold_sql.py), with its audit entry and its mail in the outbox (sent by the
    title's task, queued after commit by the first booking since it last ran:
    classsets/notices.py). Short copies raise NotEnoughCopies with the free quantity (counted
    under the lock) and other weeks (looked for after the lock is let go: a suggestion, not a
    promise)."""
    now = now or timezone.now()
    booking.status = BookingStatus.HELD
    booking.created_at = now
    booking.held_until = now + timedelta(hours=hold_hours)
    booking.notice = "booking_held"
    held = hold_sql.hold(booking)
    if held.pk is None:
        raise NotEnoughCopies(
            asked=booking.copies,
            free=held.free,
            alternatives=_alternatives(agency, held.owned, booking),
        )
    if held.queue_notices:
        tasks.queue(booking.title_id)
    return booking


def _mail(booking: Booking, template: str) -> None:
    """The mail is rendered and queued after commit, so the title's lock is not held for it."""
    transaction.on_commit(lambda: _send(booking, template))


def _send(booking: Booking, template: str) -> None:
    # A confirmed booking goes into the teacher's calendar.
    reminders.booking_mail(booking, template)


def _locked(booking: Booking) -> Booking:
    """The booking again, under its title's lock and its own row's (the outbox's sending run
    takes the row's: classsets/notices.py)."""
    Title.objects.select_for_update().get(pk=booking.title_id)
    return (
        Booking.objects.for_list()
        .select_related("agency")
        .select_for_update(of=("self",))
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_confirm(*, booking: Booking) -> Booking:
    booking = _locked(booking)
    if booking.status != BookingStatus.HELD:
        raise ValidationError(_("This booking can no longer be confirmed."))
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.held_until = None
    booking.save(update_fields=["status", "confirmed_at", "held_until"])
    queue.booking_accepted(booking)
    audit_log(action="classsets.booking.confirmed", agency=booking.agency, target=booking)
    # Confirmed from the API's answer before the mail with the link went: that mail first.
    notices.flush(booking)
    _mail(booking, "booking_confirmed")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor | None = None) -> Booking:
    booking = _locked(booking)
    if booking.status not in (BookingStatus.HELD, BookingStatus.CONFIRMED):
        raise ValidationError(_("This booking can no longer be cancelled."))
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    queue.booking_gave_back(booking)
    audit_log(
        action="classsets.booking.cancelled", actor=actor, agency=booking.agency, target=booking
    )
    return booking


def release_expired(*, now: datetime | None = None) -> int:
    """Give back the copies of bookings not confirmed in time. Idempotent."""
    now = now or timezone.now()
    released = 0
    due = Booking.objects.filter(status=BookingStatus.HELD, held_until__lt=now)
    for booking in due.select_related("agency"):
        with transaction.atomic():
            Title.objects.select_for_update().get(pk=booking.title_id)
            changed = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.HELD, held_until__lt=now
            ).update(status=BookingStatus.RELEASED)
            if changed:
                released += 1
                queue.booking_gave_back(booking)
                audit_log(
                    action="classsets.booking.released", agency=booking.agency, target=booking
                )
    return released


# --- Dispatch and return ------------------------------------------------------------------------


@transaction.atomic
def booking_check_out(*, actor: Actor, booking: Booking, copies: int) -> Booking:
    booking = _locked(booking)
    if booking.status not in (BookingStatus.HELD, BookingStatus.CONFIRMED):
        raise ValidationError(_("This booking cannot be sent."))
    if not 1 <= copies <= booking.copies:
        raise ValidationError(
            {
                "copies": ngettext(
                    "Send %(copies)s copy.",
                    "Send between 1 and %(copies)s copies.",
                    booking.copies,
                )
                % {"copies": booking.copies}
            }
        )
    booking.status = BookingStatus.OUT
    booking.copies_out = copies
    booking.checked_out_at = timezone.now()
    booking.save(update_fields=["status", "copies_out", "checked_out_at"])
    audit_log(
        action="classsets.booking.checked_out",
        actor=actor,
        agency=booking.agency,
        target=booking,
        data={"copies": copies},
    )
    return booking


@transaction.atomic
def booking_check_in(*, actor: Actor, booking: Booking, copies: int, note: str = "") -> Booking:
    """Count the copies back; fewer than were sent makes a loss line that reduces the sets
    (the largest first) at the agency's replacement price."""
    booking = _locked(booking)
    if booking.status != BookingStatus.OUT:
        raise ValidationError(_("This booking has not been sent."))
    sent = booking.copies_out or booking.copies
    if not 0 <= copies <= sent:
        raise ValidationError(
            {
                "copies": ngettext(
                    "0 or %(sent)s copy can come back.",
                    "Between 0 and %(sent)s copies can come back.",
                    sent,
                )
                % {"sent": sent}
            }
        )
    missing = sent - copies
    price = Settings.of(booking.agency).replacement_price
    for class_set in booking.title.sets.order_by("-copies", "pk"):
        if missing == 0:
            break
        taken = min(missing, class_set.copies)
        Loss.objects.create(
            booking=booking, class_set=class_set, copies=taken, price=Decimal(price), note=note
        )
        class_set.copies -= taken
        class_set.save(update_fields=["copies"])
        Settings.catalogue_changed(booking.agency)
        missing -= taken
    booking.status = BookingStatus.RETURNED
    booking.copies_back = copies
    booking.checked_in_at = timezone.now()
    booking.save(update_fields=["status", "copies_back", "checked_in_at"])
    queue.offer_freed(booking.title)
    audit_log(
        action="classsets.booking.checked_in",
        actor=actor,
        agency=booking.agency,
        target=booking,
        data={"copies": copies, "lost": sent - copies},
    )
    return booking
