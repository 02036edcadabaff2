"""A library's manager in charge of their library: its details (opening hours, address,
contact, web page) and its people (add a colleague, remove one who left, confirm those who
named the library when registering). The agency's staff in the library's region may do the same;
every change lands in the audit log of each agency serving the library."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bokbro.core.types import StaffRequest
from bokbro.directory import colleagues as services
from bokbro.directory.access import (
    colleague_for_user,
    library_to_manage,
    pending_colleague_for_user,
)
from bokbro.directory.forms import ColleagueForm, LibraryDetailsForm
from bokbro.directory.models import Library, LibraryRole


@login_required
def library_details(request: StaffRequest, pk: int) -> HttpResponse:
    library = library_to_manage(request, pk)
    form = LibraryDetailsForm(request.POST or None, instance=Library.objects.get(pk=library.pk))
    if request.method == "POST" and form.is_valid():
        services.library_details_update(
            actor=request.user,
            library=library,
            data=services.LibraryDetailsData.from_values(form.cleaned_data),
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(library)
    return render(
        request, "directory/library_details_form.html", {"form": form, "library": library}
    )


def _people_page(
    request: StaffRequest, library: Library, form: ColleagueForm, status: int = 200
) -> HttpResponse:
    people: dict[int, dict[str, object]] = {}
    for role in (
        LibraryRole.objects.filter(library=library)
        .select_related("person")
        .order_by("person__name", "role")
    ):
        entry = people.setdefault(role.person_id, {"person": role.person, "roles": []})
        entry["roles"].append(role.get_role_display())  # type: ignore[attr-defined]
    return render(
        request,
        "directory/library_people.html",
        {
            "library": library,
            "people": list(people.values()),
            "pending": library.pending.order_by("created_at", "pk"),
            "form": form,
        },
        status=status,
    )


@login_required
def library_people(request: StaffRequest, pk: int) -> HttpResponse:
    library = library_to_manage(request, pk)
    return _people_page(request, library, ColleagueForm())


class MethodNotAllowed(Exception):
    pass


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @functools.wraps(view)
    def wrapper(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except MethodNotAllowed:
            return HttpResponseNotAllowed(["POST"])

    return wrapper


def _library_to_change(request: StaffRequest, pk: int) -> Library:
    """The library, for a POST: who may not manage it is refused before the method is
    checked, as `staff_required` views do."""
    library = library_to_manage(request, pk)
    if request.method != "POST":
        raise MethodNotAllowed
    return library


@post_only
def library_colleague_add(request: StaffRequest, pk: int) -> HttpResponse:
    library = _library_to_change(request, pk)
    form = ColleagueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.colleague_add(
            actor=request.user,
            library=library,
            name=data["name"],
            email=data["email"],
            role=data["role"],
        )
        messages.success(
            request, _("%(name)s is added to the library's people.") % {"name": data["name"]}
        )
        return redirect("directory:library_people", pk=library.pk)
    return _people_page(request, library, form, status=400)


@post_only
def library_colleague_remove(request: StaffRequest, pk: int, person_pk: int) -> HttpResponse:
    library = _library_to_change(request, pk)
    person = colleague_for_user(request, library, person_pk)
    try:
        services.colleague_remove(actor=request.user, library=library, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer listed at the library.") % {"name": person.name},
        )
    return redirect("directory:library_people", pk=library.pk)


@post_only
def library_pending_confirm(request: StaffRequest, pk: int, pending_pk: int) -> HttpResponse:
    library = _library_to_change(request, pk)
    pending = pending_colleague_for_user(request, library, pending_pk)
    services.pending_colleague_confirm(actor=request.user, pending=pending)
    messages.success(
        request, _("%(name)s is now listed as the library's staff.") % {"name": pending.name}
    )
    return redirect("directory:library_people", pk=library.pk)


@post_only
def library_pending_dismiss(request: StaffRequest, pk: int, pending_pk: int) -> HttpResponse:
    library = _library_to_change(request, pk)
    pending = pending_colleague_for_user(request, library, pending_pk)
    services.pending_colleague_dismiss(actor=request.user, pending=pending)
    messages.success(request, _("%(name)s is not listed.") % {"name": pending.name})
    return redirect("directory:library_people", pk=library.pk)
