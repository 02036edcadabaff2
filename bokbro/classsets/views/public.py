"""The public pages: the catalogue with its filters, a title with its weeks, the booking form,
and the booking's own page (the personal link in the mail) to confirm or cancel it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.classsets import selectors, services, waiting
from bokbro.classsets.access import booking_by_token, public_title, queue_entry_by_token
from bokbro.classsets.forms import BookingForm, CatalogueFilterForm, RenewForm
from bokbro.classsets.models import (
    Booking,
    BookingStatus,
    Settings,
    Title,
    TitleQuerySet,
    monday,
)
from bokbro.core.files import picture_response
from bokbro.core.forms import add_service_errors
from bokbro.core.pagination import query_without_page
from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.core.types import AgencyRequest
from bokbro.directory.models import Agency
from bokbro.directory.tenancy import site_agency
from bokbro.events import page_cache

PAGE_SIZE = 30
WEEKS_SHOWN = 20


def filtered_titles(agency: Agency, form: CatalogueFilterForm) -> TitleQuerySet:
    """The catalogue as the filters ask: the page and the API share it."""
    titles = Title.objects.of_agency(agency).for_list()
    if form.is_valid():
        data = form.cleaned_data
        titles = titles.search(data["q"]).with_grade(data["grade"])
        if data["language"]:
            titles = titles.filter(language=data["language"])
        if data["theme"]:
            titles = titles.filter(themes=data["theme"])
        if data["easy"]:
            titles = titles.filter(easy_to_read=True)
    return titles.order_by("title", "pk")


def catalogue(request: AgencyRequest) -> HttpResponse:
    """The catalogue; an anonymous visitor without a session gets the page from the cache
    (events.page_cache) while the catalogue's version (`Settings.catalogue_version`, bumped by
    the services that change titles, sets and themes) holds."""
    agency = site_agency(request)

    def page(csrf_token: str) -> HttpResponse:
        form = CatalogueFilterForm(request.GET or None, agency=agency)
        titles = filtered_titles(agency, form)
        return render(
            request,
            "classsets/catalogue.html",
            {
                "csrf_token": csrf_token,
                "form": form,
                "page": Paginator(titles, PAGE_SIZE).get_page(request.GET.get("page")),
                "query": query_without_page(request),
                "easy_label": _("Easy to read"),
            },
        )

    return page_cache.anonymous_page(
        request, agency, str(Settings.catalogue_version_of(agency)), page
    )


def title_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    title = public_title(request, pk)
    owned = title.copies_owned()
    weeks = selectors.availability_by_week(title, owned, timezone.localdate(), WEEKS_SHOWN)
    return render(
        request,
        "classsets/title.html",
        {"title": title, "owned": owned, "weeks": weeks, "themes": list(title.themes.all())},
    )


def title_cover(request: AgencyRequest, pk: int) -> HttpResponseBase:
    """The title's cover, to whoever may see the title's page."""
    return picture_response(public_title(request, pk).cover)


def booking_initial(request: AgencyRequest, agency: Agency) -> dict[str, object]:
    """The form's first values: from an alternative's link (?from=&copies=), else next Monday
    for the agency's usual number of weeks."""
    rules = Settings.of(agency)
    start = monday(timezone.localdate()) + timedelta(weeks=1)
    initial: dict[str, object] = {
        "starts_on": start,
        "ends_on": start + timedelta(weeks=rules.default_weeks) - timedelta(days=3),
    }
    for key in ("starts_on", "ends_on", "copies"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


def book(request: AgencyRequest, pk: int) -> HttpResponse:
    title = public_title(request, pk)
    agency = site_agency(request)
    short: services.NotEnoughCopies | None = None
    if request.method == "POST":
        form = BookingForm(request.POST, agency=agency)
        wait = address_wait(form.cleaned_data["contact_email"]) if form.is_valid() else None
        if wait is not None:
            form.add_error("contact_email", address_refusal(wait))
        if form.is_valid() and "join_queue" in request.POST:
            try:
                entry = waiting.queue_join(
                    agency=agency,
                    request=services.BookingRequest(title=title, **form.cleaned_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("classsets:queue_entry", token=entry.token)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_create(
                    agency=agency,
                    request=services.BookingRequest(title=title, **data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except services.NotEnoughCopies as error:
                short = error
                form.add_error("copies", str(error.message))
            else:
                messages.success(
                    request,
                    _("The copies are held for you. Confirm the booking from the e-mail we sent."),
                )
                return redirect("classsets:booking", token=booking.token)
    else:
        form = BookingForm(initial=booking_initial(request, agency), agency=agency)
    return render(
        request,
        "classsets/book.html",
        {
            "title": title,
            "form": form,
            "short": short,
            "rules": Settings.of(agency),
            "data": request.POST,
        },
    )


def booking(request: AgencyRequest, token: str) -> HttpResponse:
    found = booking_by_token(request, token)
    return render(
        request,
        "classsets/booking.html",
        {"booking": found, "renew_form": RenewForm(booking=found), "renewable": _renewable(found)},
    )


def _renewable(booking: Booking) -> bool:
    return booking.status in (BookingStatus.CONFIRMED, BookingStatus.OUT) and not booking.basket_id


@require_POST
def booking_renew(request: AgencyRequest, token: str) -> HttpResponse:
    found = booking_by_token(request, token)
    form = RenewForm(request.POST, booking=found)
    if form.is_valid():
        try:
            waiting.booking_renew(booking=found, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("classsets:booking", token=token)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The loan is renewed."))
            return redirect("classsets:booking", token=token)
    return render(
        request,
        "classsets/booking.html",
        {"booking": found, "renew_form": form, "renewable": _renewable(found)},
        status=400,
    )


def queue_entry(request: AgencyRequest, token: str) -> HttpResponse:
    entry = queue_entry_by_token(request, token)
    return render(request, "classsets/queue_entry.html", {"entry": entry})


@require_POST
def queue_leave(request: AgencyRequest, token: str) -> HttpResponse:
    entry = queue_entry_by_token(request, token)
    try:
        waiting.queue_leave(entry=entry)
        messages.success(request, _("You have left the queue."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("classsets:queue_entry", token=token)


@require_POST
def booking_confirm(request: AgencyRequest, token: str) -> HttpResponse:
    found = booking_by_token(request, token)
    try:
        services.booking_confirm(booking=found)
        messages.success(request, _("Your booking is confirmed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("classsets:booking", token=token)


@require_POST
def booking_cancel(request: AgencyRequest, token: str) -> HttpResponse:
    found = booking_by_token(request, token)
    try:
        services.booking_cancel(booking=found)
        messages.success(request, _("Your booking is cancelled; the copies are free for others."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("classsets:booking", token=token)
