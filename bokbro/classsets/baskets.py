"""A basket: several titles booked in one request, for one class, window and library, with one
mail and one personal link (`/class-sets/basket/<token>/`) that confirms or cancels them all.

All or nothing: either every title of the basket is held, or none is and the teacher is told,
title by title, how many copies are free. A class's reading plan is one decision (the teacher
chose these books together); a basket half held would send a mail and a link for something the
teacher did not ask for, and the copies it held would be kept from others while the teacher
decides. So a short title is reported and nothing is saved; the teacher lowers that line or
takes it out, and books again.

Concurrency: the rule of every title (copies booked never exceed copies owned on any day) is
held as for one booking, under the title's row lock — here all the basket's titles are locked
at once, in the order of their ids, so two baskets naming the same titles in a different order
wait for each other instead of deadlocking (tests/test_concurrency.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.classsets import queue, selectors
from bokbro.classsets.models import Basket, Booking, BookingStatus, Settings, Title
from bokbro.classsets.services import BookingRequest, validate_request
from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.directory.models import Agency

MAX_TITLES = 10
LINE_FIELDS = ("title", "copies")


@dataclass(frozen=True)
class Short:
    title: Title
    asked: int
    free: int


class BasketShort(Exception):
    """Some titles of the basket have fewer copies free than asked for: nothing is held."""

    def __init__(self, shorts: list[Short]) -> None:
        self.shorts = shorts
        super().__init__(", ".join(f"{s.title}: {s.free}/{s.asked}" for s in shorts))


def _validate(agency: Agency, requests: list[BookingRequest]) -> None:
    """Each line by the rules of one booking; a line's own errors (copies, title) are named
    `copies_<title id>`, the common fields' once."""
    if not requests:
        raise ValidationError(_("The basket is empty."))
    if len(requests) > MAX_TITLES:
        raise ValidationError(
            _("A basket holds at most %(n)s titles.") % {"n": MAX_TITLES}, code="too_many"
        )
    if len({r.title.pk for r in requests}) != len(requests):
        raise ValidationError(_("A title is in the basket twice."))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    for request in requests:
        try:
            validate_request(agency, request, owned=request.title.copies_owned(), today=today)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = f"copies_{request.title.pk}" if name in LINE_FIELDS else name
                found = errors.setdefault(key, [])
                found += [m for m in messages if m not in found]
    if errors:
        raise ValidationError(errors)


def basket_create(
    *, agency: Agency, requests: list[BookingRequest], now: datetime | None = None
) -> Basket:
    """Hold every line's copies, or none (BasketShort naming the short titles). The lines share
    the school, class, window, library and contact; bad input raises ValidationError."""
    now = now or timezone.now()
    _validate(agency, requests)
    shorts = []
    with transaction.atomic():
        ids = sorted(r.title.pk for r in requests)
        locked = {
            t.pk: t for t in Title.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        for request in requests:
            title = locked[request.title.pk]
            owned = title.copies_owned()
            free = selectors.copies_free(title, owned, request.starts_on, request.ends_on)
            if free < request.copies:
                shorts.append(Short(title=title, asked=request.copies, free=free))
        if not shorts:
            return _insert(agency, requests, locked, now)
    raise BasketShort(shorts)


def _insert(
    agency: Agency, requests: list[BookingRequest], titles: dict[int, Title], now: datetime
) -> Basket:
    basket = Basket.objects.create(agency=agency)
    held_until = now + timedelta(hours=Settings.of(agency).hold_hours)
    for request in requests:
        booking = Booking.objects.create(
            agency=agency,
            basket=basket,
            title=titles[request.title.pk],
            copies=request.copies,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            school=request.school,
            class_name=request.class_name,
            contact_name=request.contact_name,
            contact_email=request.contact_email,
            delivery_library=request.delivery_library,
            held_until=held_until,
        )
        audit_log(
            action="classsets.booking.created",
            agency=agency,
            target=booking,
            data={"copies": booking.copies, "basket": basket.pk},
        )
    _mail(basket, "basket_held")
    return basket


def basket_bookings(basket: Basket) -> list[Booking]:
    return list(
        basket.bookings.filter(anonymised=False)
        .for_list()
        .select_related("agency")
        .order_by("title__title", "pk")
    )


def _mail(basket: Basket, template: str) -> None:
    transaction.on_commit(lambda: _send(basket, template))


def _send(basket: Basket, template: str) -> None:
    bookings = basket_bookings(basket)
    if not bookings:
        return
    first = bookings[0]
    send_email(
        to=first.contact_email,
        template=f"classsets/{template}",
        context={"basket": basket, "bookings": bookings, "first": first},
        agency=basket.agency,
    )


def _lock(basket: Basket) -> list[Booking]:
    """The basket's bookings again, under the locks of their titles (taken in id order)."""
    ids = sorted(set(basket.bookings.values_list("title_id", flat=True)))
    list(Title.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return basket_bookings(basket)


@transaction.atomic
def basket_confirm(*, basket: Basket) -> list[Booking]:
    """Confirm every booking of the basket still held; one mail."""
    bookings = [b for b in _lock(basket) if b.status == BookingStatus.HELD]
    if not bookings:
        raise ValidationError(_("This booking can no longer be confirmed."))
    now = timezone.now()
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        status=BookingStatus.CONFIRMED, confirmed_at=now, held_until=None
    )
    for booking in bookings:
        audit_log(action="classsets.booking.confirmed", agency=booking.agency, target=booking)
    _mail(basket, "basket_confirmed")
    return bookings


@transaction.atomic
def basket_cancel(*, basket: Basket) -> list[Booking]:
    """Cancel every booking of the basket not yet sent: the copies are free again."""
    open_ = (BookingStatus.HELD, BookingStatus.CONFIRMED)
    bookings = [b for b in _lock(basket) if b.status in open_]
    if not bookings:
        raise ValidationError(_("This booking can no longer be cancelled."))
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=BookingStatus.CANCELLED)
    for booking in bookings:
        audit_log(action="classsets.booking.cancelled", agency=booking.agency, target=booking)
        queue.booking_gave_back(booking)
    return bookings
