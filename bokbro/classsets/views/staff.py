"""The staff pages: the agency's team keeps the catalogue (titles, sets, themes); the team and
the main libraries' staff see the bookings of their own area, the week's dispatch list, and
count the copies out and back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bokbro.classsets import reminders, selectors, services
from bokbro.classsets.access import (
    booking_for_user,
    bookings_for_user,
    set_for_staff,
    title_for_staff,
)
from bokbro.classsets.forms import (
    CheckInForm,
    CheckOutForm,
    ClassSetForm,
    HolidayForm,
    RouteForm,
    SettingsForm,
    TitleForm,
)
from bokbro.classsets.models import (
    HOLDING,
    BookingStatus,
    CourierRoute,
    HolidayPeriod,
    RouteLibrary,
    Settings,
    Theme,
    Title,
    monday,
)
from bokbro.classsets.pdf import packing_slips_pdf, pdf_response
from bokbro.core.forms import add_service_errors
from bokbro.core.pagination import query_without_page
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.models import Library
from bokbro.directory.tenancy import site_agency

PAGE_SIZE = 50


def _form_page(request: AgencyRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "classsets/staff/form_page.html", context)


# --- Catalogue ----------------------------------------------------------------------------------


@staff_required
def titles(request: StaffRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    found = Title.objects.of_agency(request.agency).for_list().search(q).order_by("title", "pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "classsets/staff/titles.html",
        {"page": page, "q": q, "query": query_without_page(request)},
    )


def _save_title(request: StaffRequest, form: TitleForm, title: Title | None) -> Title | None:
    data = services.TitleData.from_values(
        form.cleaned_data
        | {
            "grade_bands": tuple(form.cleaned_data["grade_bands"]),
            "themes": tuple(form.cleaned_data["themes"]),
        }
    )
    try:
        if title is None:
            return services.title_create(actor=request.user, agency=request.agency, data=data)
        return services.title_update(
            actor=request.user, agency=request.agency, title=title, data=data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@staff_required
def title_create(request: StaffRequest) -> HttpResponse:
    form = TitleForm(request.POST or None, request.FILES or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        title = _save_title(request, form, None)
        if title is not None:
            messages.success(request, _("The title is in the catalogue. Add its sets."))
            return redirect("classsets:set_add", pk=title.pk)
    return _form_page(
        request,
        {
            "form": form,
            "page_title": _("New title"),
            "submit": _("Save"),
            "cancel_url": reverse("classsets:staff_titles"),
            "multipart": True,
        },
    )


@staff_required
def title_edit(request: StaffRequest, pk: int) -> HttpResponse:
    title = title_for_staff(request, pk)
    form = TitleForm(
        request.POST or None, request.FILES or None, instance=title, agency=request.agency
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_title(request, form, title) is not None
    ):
        messages.success(request, _("The title is saved."))
        return redirect("classsets:staff_titles")
    return render(
        request,
        "classsets/staff/title_edit.html",
        {
            "form": form,
            "title": title,
            "sets": list(title.sets.select_related("home_library")),
            "page_title": _("Edit title"),
        },
    )


@staff_required
def set_add(request: StaffRequest, pk: int) -> HttpResponse:
    return _set_form(request, title_for_staff(request, pk), None)


@staff_required
def set_edit(request: StaffRequest, pk: int, set_pk: int) -> HttpResponse:
    title = title_for_staff(request, pk)
    return _set_form(request, title, set_for_staff(request, title, set_pk))


def _set_form(request: StaffRequest, title: Title, class_set: Any) -> HttpResponse:
    initial = (
        {
            "copies": class_set.copies,
            "home_library": class_set.home_library_id,
            "condition_note": class_set.condition_note,
        }
        if class_set
        else {}
    )
    form = ClassSetForm(request.POST or None, initial=initial, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_set_save(
                actor=request.user,
                agency=request.agency,
                title=title,
                class_set=class_set,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The set is saved."))
            return redirect("classsets:title_edit", pk=title.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": title,
            "page_title": _("Edit set") if class_set else _("New set"),
            "submit": _("Save"),
            "cancel_url": reverse("classsets:title_edit", args=[title.pk]),
        },
    )


@staff_required
def themes(request: StaffRequest) -> HttpResponse:
    """The agency's list of themes; a new one is added here."""
    error = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:80]
        if not name:
            error = _("Write the theme's name.")
        elif Theme.objects.filter(agency=request.agency, name__iexact=name).exists():
            error = _("This theme is already on the list.")
        else:
            services.theme_create(actor=request.user, agency=request.agency, name=name)
            messages.success(request, _("The theme is added."))
            return redirect("classsets:themes")
    found = Theme.objects.filter(agency=request.agency)
    return render(request, "classsets/staff/themes.html", {"themes": found, "error": error})


@staff_required
def rules(request: StaffRequest) -> HttpResponse:
    """The agency's rules for bookings, and its holiday periods (a new one is added here)."""
    current = Settings.of(request.agency)
    settings_form = SettingsForm(
        request.POST if "save_rules" in request.POST else None, instance=current
    )
    holiday_form = HolidayForm(request.POST if "add_holiday" in request.POST else None)
    if request.method == "POST":
        if "save_rules" in request.POST and settings_form.is_valid():
            services.settings_save(
                actor=request.user, agency=request.agency, **settings_form.cleaned_data
            )
            messages.success(request, _("The rules are saved."))
            return redirect("classsets:rules")
        if "add_holiday" in request.POST and holiday_form.is_valid():
            services.holiday_add(
                actor=request.user, agency=request.agency, **holiday_form.cleaned_data
            )
            messages.success(request, _("The holiday period is added."))
            return redirect("classsets:rules")
    return render(
        request,
        "classsets/staff/rules.html",
        {
            "settings_form": settings_form,
            "holiday_form": holiday_form,
            "holidays": HolidayPeriod.objects.filter(agency=request.agency),
        },
    )


@staff_required
def holiday_delete(request: StaffRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(HolidayPeriod, pk=pk, agency=request.agency)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.holiday_delete(actor=request.user, agency=request.agency, holiday=holiday)
    messages.success(request, _("The holiday period is removed."))
    return redirect("classsets:rules")


@staff_required
def routes(request: StaffRequest) -> HttpResponse:
    """The courier's routes and the main libraries on each; a new one is added here."""
    form = RouteForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.route_save(actor=request.user, agency=request.agency, **_route(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The route is added."))
            return redirect("classsets:routes")
    found = CourierRoute.objects.filter(agency=request.agency).prefetch_related(
        Prefetch("stops", RouteLibrary.objects.select_related("library").order_by("library__name"))
    )
    return render(request, "classsets/staff/routes.html", {"routes": found, "form": form})


def _route(form: RouteForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "weekday": data["weekday"],
        "note": data["note"],
        "libraries": list(data["libraries"]),
    }


@staff_required
def route_edit(request: StaffRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(CourierRoute, pk=pk, agency=request.agency)
    initial = {
        "name": route.name,
        "weekday": route.weekday,
        "note": route.note,
        "libraries": [stop.library_id for stop in route.stops.all()],
    }
    form = RouteForm(request.POST or None, agency=request.agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.route_save(
                actor=request.user, agency=request.agency, route=route, **_route(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The route is saved."))
            return redirect("classsets:routes")
    return _form_page(
        request,
        {
            "form": form,
            "page_title": _("Courier route: %(name)s") % {"name": route.name},
            "submit": _("Save"),
            "cancel_url": reverse("classsets:routes"),
        },
    )


@staff_required
def route_delete(request: StaffRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(CourierRoute, pk=pk, agency=request.agency)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.route_delete(actor=request.user, agency=request.agency, route=route)
    messages.success(request, _("The route is removed."))
    return redirect("classsets:routes")


# --- Bookings, dispatch and return --------------------------------------------------------------


def _week(value: str) -> date:
    """Monday of an ISO week written 2026-W50; this week's Monday otherwise."""
    try:
        year, week = value.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return monday(timezone.localdate())


@login_required
def bookings(request: AgencyRequest) -> HttpResponse:
    found = bookings_for_user(request)
    status = request.GET.get("status", "current")
    if status == "current":
        found = found.filter(status__in=HOLDING)
    elif status == "overdue":
        found = reminders.overdue(found, timezone.localdate())
    elif status in BookingStatus.values:
        found = found.filter(status=status)
    q = request.GET.get("q", "")[:100].strip()
    if q:
        found = found.filter(
            Q(title__title__icontains=q) | Q(school__name__icontains=q) | Q(class_name__icontains=q)
        )
    page = Paginator(found.order_by("starts_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "classsets/staff/bookings.html",
        {
            "page": page,
            "status": status,
            "statuses": BookingStatus.choices,
            "q": q,
            "query": query_without_page(request),
        },
    )


def _dispatch_week(request: AgencyRequest) -> dict[str, Any]:
    """The week's dispatch and return in the user's area, for one library or all."""
    week = _week(request.GET.get("week", ""))
    sunday = week + timedelta(days=6)
    visible = bookings_for_user(request)
    library_id = request.GET.get("library", "")
    if library_id.isdigit():
        visible = visible.filter(delivery_library_id=int(library_id))
    leaving = visible.filter(
        starts_on__range=(week, sunday),
        status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.OUT],
    ).order_by("delivery_library__name", "school__name", "pk")
    returning = visible.filter(ends_on__range=(week, sunday), status=BookingStatus.OUT).order_by(
        "delivery_library__name", "school__name", "pk"
    )
    return {
        "week": week,
        "sunday": sunday,
        "library_id": int(library_id) if library_id.isdigit() else None,
        "leaving": list(leaving),
        "by_route": selectors.by_route(site_agency(request), leaving),
        "returning": list(returning),
    }


@login_required
def dispatch(request: AgencyRequest) -> HttpResponse:
    found = _dispatch_week(request)
    week = found["week"]
    libraries = Library.objects.filter(
        pk__in=bookings_for_user(request).values_list("delivery_library", flat=True)
    ).order_by("name")
    iso = week.isocalendar()
    return render(
        request,
        "classsets/staff/dispatch.html",
        {
            **found,
            "week_number": iso[1],
            "week_value": f"{iso[0]}-W{iso[1]:02d}",
            "previous": _iso(week - timedelta(weeks=1)),
            "next": _iso(week + timedelta(weeks=1)),
            "libraries": libraries,
        },
    )


@login_required
def packing_slips(request: AgencyRequest) -> HttpResponse:
    """The packing slips of everything the dispatch list sends in the week, one page each."""
    found = _dispatch_week(request)
    iso = found["week"].isocalendar()
    heading = _("Packing slips, week %(week)s") % {"week": iso[1]}
    content = packing_slips_pdf(site_agency(request), found["leaving"], heading)
    return pdf_response(content, f"packing-slips-{iso[0]}-W{iso[1]:02d}.pdf")


@login_required
def packing_slip(request: AgencyRequest, pk: int) -> HttpResponse:
    booking = booking_for_user(request, pk)
    content = packing_slips_pdf(site_agency(request), [booking], _("Packing slip"))
    return pdf_response(content, f"packing-slip-{booking.pk}.pdf")


def _iso(day: date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


def _back(request: AgencyRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not target.startswith("/class-sets/staff/"):
        target = reverse("classsets:dispatch")
    return redirect(target)


@login_required
def check_out(request: AgencyRequest, pk: int) -> HttpResponse:
    booking = booking_for_user(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how many copies are sent."))
        return _back(request)
    try:
        services.booking_check_out(
            actor=_actor(request), booking=booking, copies=form.cleaned_data["copies"]
        )
        messages.success(request, _("Marked as sent."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request)


@login_required
def check_in(request: AgencyRequest, pk: int) -> HttpResponse:
    booking = booking_for_user(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how many copies came back."))
        return _back(request)
    try:
        done = services.booking_check_in(
            actor=_actor(request),
            booking=booking,
            copies=form.cleaned_data["copies"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        lost = (done.copies_out or done.copies) - (done.copies_back or 0)
        if lost:
            messages.warning(
                request,
                ngettext(
                    "Returned with %(lost)s copy missing; the set is reduced.",
                    "Returned with %(lost)s copies missing; the set is reduced.",
                    lost,
                )
                % {"lost": lost},
            )
        else:
            messages.success(request, _("Returned, every copy counted."))
    return _back(request)


def _actor(request: AgencyRequest) -> Any:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user
