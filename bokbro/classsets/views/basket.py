"""The basket: a teacher gathers titles from the catalogue (kept in the session), books them all
for one class and window in one request, and confirms or cancels them all from one personal
link. All or nothing (classsets/baskets.py says why)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.classsets import baskets
from bokbro.classsets.access import public_title
from bokbro.classsets.forms import BasketForm
from bokbro.classsets.models import Basket, Booking, Settings, Title
from bokbro.classsets.services import BookingRequest
from bokbro.classsets.views.public import booking_initial
from bokbro.core.forms import add_service_errors
from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.core.types import AgencyRequest
from bokbro.directory.tenancy import site_agency

SESSION_KEY = "classsets_basket"


def _titles(request: AgencyRequest) -> list[Title]:
    ids = [i for i in request.session.get(SESSION_KEY, []) if isinstance(i, int)]
    found = Title.objects.of_agency(site_agency(request)).filter(pk__in=ids)
    return sorted(found, key=lambda t: ids.index(t.pk))


@require_POST
def basket_add(request: AgencyRequest, pk: int) -> HttpResponse:
    title = public_title(request, pk)
    ids = [i for i in request.session.get(SESSION_KEY, []) if isinstance(i, int)]
    if title.pk not in ids:
        if len(ids) >= baskets.MAX_TITLES:
            messages.error(
                request,
                _("A basket holds at most %(n)s titles.") % {"n": baskets.MAX_TITLES},
            )
            return redirect("classsets:basket")
        ids.append(title.pk)
    request.session[SESSION_KEY] = ids
    messages.success(request, _("“%(title)s” is in your basket.") % {"title": title.title})
    return redirect("classsets:basket")


def basket(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    titles = _titles(request)
    shorts: list[baskets.Short] = []
    if request.method == "POST" and "remove" in request.POST:
        request.session[SESSION_KEY] = [t.pk for t in titles if str(t.pk) != request.POST["remove"]]
        return redirect("classsets:basket")
    if request.method == "POST":
        form = BasketForm(request.POST, agency=agency, titles=titles)
        wait = address_wait(form.cleaned_data["contact_email"]) if form.is_valid() else None
        if wait is not None:
            form.add_error("contact_email", address_refusal(wait))
        if form.is_valid() and titles:
            data = dict(form.cleaned_data)
            requests = [
                BookingRequest(
                    title=title,
                    copies=data.pop(f"copies_{title.pk}"),
                    **{k: v for k, v in data.items() if not k.startswith("copies_")},
                )
                for title in titles
            ]
            try:
                made = baskets.basket_create(agency=agency, requests=requests)
            except ValidationError as error:
                add_service_errors(form, error)
            except baskets.BasketShort as error:
                shorts = error.shorts
                for short in shorts:
                    form.add_error(
                        f"copies_{short.title.pk}",
                        ngettext(
                            "Only %(free)s copy is free for the whole period.",
                            "Only %(free)s copies are free for the whole period.",
                            short.free,
                        )
                        % {"free": short.free},
                    )
            else:
                request.session[SESSION_KEY] = []
                messages.success(
                    request,
                    _("The copies are held for you. Confirm the booking from the e-mail we sent."),
                )
                return redirect("classsets:basket_booking", token=made.token)
    else:
        form = BasketForm(initial=booking_initial(request, agency), agency=agency, titles=titles)
    return render(
        request,
        "classsets/basket.html",
        {"titles": titles, "form": form, "shorts": shorts, "rules": Settings.of(agency)},
    )


def _basket(request: AgencyRequest, token: str) -> tuple[Basket, list[Booking]]:
    found = get_object_or_404(Basket, token=token, agency=site_agency(request))
    bookings = baskets.basket_bookings(found)
    if not bookings:  # anonymised: the old link opens nothing
        raise Http404
    return found, bookings


def basket_booking(request: AgencyRequest, token: str) -> HttpResponse:
    found, bookings = _basket(request, token)
    return render(
        request,
        "classsets/basket_booking.html",
        {
            "basket": found,
            "bookings": bookings,
            "first": bookings[0],
            "held": any(b.status == "held" for b in bookings),
            "open": any(b.status in ("held", "confirmed") for b in bookings),
        },
    )


@require_POST
def basket_confirm(request: AgencyRequest, token: str) -> HttpResponse:
    found, _bookings = _basket(request, token)
    try:
        baskets.basket_confirm(basket=found)
        messages.success(request, _("Your booking is confirmed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("classsets:basket_booking", token=token)


@require_POST
def basket_cancel(request: AgencyRequest, token: str) -> HttpResponse:
    found, _bookings = _basket(request, token)
    try:
        baskets.basket_cancel(basket=found)
        messages.success(request, _("Your booking is cancelled; the copies are free for others."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("classsets:basket_booking", token=token)
