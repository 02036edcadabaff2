from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory import profile, services
from bokbro.directory.access import (
    agency_county_ids,
    can_edit_organisation,
    can_manage_library,
    can_see_people_of,
    can_see_profile_of,
    library_for_user,
    library_in_region,
    library_role_for_user,
    organisation_for_user,
    people_visible_to,
    person_for_user,
    request_roles,
    staff_required,
)
from bokbro.directory.forms import (
    DirectorySearchForm,
    LibraryFilterForm,
    LibraryForm,
    LibraryRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
)
from bokbro.directory.models import County, Library, Municipality, Organisation
from bokbro.directory.selectors import (
    county_groups,
    county_municipalities,
    directory_search,
    libraries_found,
)

PAGE_SIZE = 50


def _page(request: AgencyRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def index(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    search = DirectorySearchForm(request.GET)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    return render(
        request,
        "directory/index.html",
        {
            "groups": county_groups(agency),
            "own_county_ids": set(agency_county_ids(agency)),
            "q": q,
            "results": directory_search(q) if q else None,
        },
    )


def county_detail(request: AgencyRequest, country: str, code: str) -> HttpResponse:
    county = get_object_or_404(County, country=country.upper(), code=code)
    found = county_municipalities(county)
    return render(
        request,
        "directory/county_detail.html",
        {
            "county": county,
            "municipalities": found.municipalities,
            "regional_libraries": county.regional_libraries.all(),
            "population": found.population,
        },
    )


def municipality_detail(request: AgencyRequest, country: str, code: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.select_related("county"), country=country.upper(), code=code
    )
    libraries = municipality.libraries.main_first()
    organisations = municipality.organisations.order_by("name")
    show_profile = request_roles(request).is_staff and municipality.county_id in agency_county_ids(
        request.agency
    )
    return render(
        request,
        "directory/municipality_detail.html",
        {
            "municipality": municipality,
            "libraries": libraries,
            "organisations": organisations,
            "show_profile": show_profile,
        },
    )


def library_list(request: AgencyRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        libraries = libraries_found(q=data["q"].strip(), kind=data["kind"], county=data["county"])
    else:
        libraries = libraries_found()
    page = _page(request, libraries)
    template = "directory/_library_rows.html" if request.htmx else "directory/library_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def library_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    library = library_for_user(request, pk)
    roles = request_roles(request)
    show_people = can_see_people_of(request, library)
    people = (
        library.roles.select_related("person").order_by("role", "person__name")
        if show_people
        else None
    )
    can_edit = roles.is_staff and library_in_region(library, request.agency)
    history = AuditEntry.objects.for_target(library).for_list()[:20] if can_edit else None
    can_manage = can_manage_library(request, library)
    return render(
        request,
        "directory/library_detail.html",
        {
            "library": library,
            "people": people,
            "can_edit": can_edit,
            "can_manage": can_manage,
            "pending_count": library.pending.count() if can_manage else 0,
            "history": history,
            "show_profile": can_see_profile_of(request, library),
        },
    )


def _profile_page(
    request: AgencyRequest,
    subject: profile.Subject,
    viewer: profile.Viewer,
    template: str,
    **extra: object,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            **extra,
            "subject": subject,
            "library": subject.library,
            "municipality": subject.municipality,
            "viewer": viewer,
            # Each section's template rendered with the context its module returned.
            "sections": [
                render_to_string(section["section"].template, section, request=request)
                for section in profile.sections_for(viewer, subject)
            ],
        },
    )


def library_profile(request: AgencyRequest, pk: int) -> HttpResponse:
    """Everything the agency has done with one library, from every module that adds a section
    (`directory/profile.py`): for the agency's staff in its region, and the library's own
    manager and staff (who see no internal notes)."""
    library = library_for_user(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    viewer = profile.viewer_for(request)
    if not can_see_profile_of(request, library):
        raise PermissionDenied
    subject = profile.Subject.for_library(library)
    can_manage = can_manage_library(request, library)
    return _profile_page(
        request,
        subject,
        viewer,
        "directory/library_profile.html",
        can_manage=can_manage,
        pending_count=library.pending.count() if can_manage else 0,
    )


def municipality_profile(request: AgencyRequest, country: str, code: str) -> HttpResponse:
    """The municipality and all its libraries: for the agency's staff in its region."""
    municipality = get_object_or_404(
        Municipality.objects.select_related("county"), country=country.upper(), code=code
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    viewer = profile.viewer_for(request)
    if not viewer.is_agency_staff or municipality.county_id not in agency_county_ids(viewer.agency):
        raise PermissionDenied
    subject = profile.Subject.for_municipality(municipality)
    return _profile_page(request, subject, viewer, "directory/municipality_profile.html")


@staff_required
def library_create(request: StaffRequest) -> HttpResponse:
    form = LibraryForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        library = services.library_create(
            actor=request.user,
            agency=request.agency,
            data=services.LibraryData.from_values(form.cleaned_data),
        )
        messages.success(request, _("The library is added."))
        return redirect(library)
    return render(request, "directory/library_form.html", {"form": form, "library": None})


@staff_required
def library_edit(request: StaffRequest, pk: int) -> HttpResponse:
    library = library_for_user(request, pk, write=True)
    form = LibraryForm(
        request.POST or None, instance=Library.objects.get(pk=library.pk), agency=request.agency
    )
    if request.method == "POST" and form.is_valid():
        services.library_update(
            actor=request.user,
            agency=request.agency,
            library=library,
            data=services.LibraryData.from_values(form.cleaned_data),
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(library)
    return render(request, "directory/library_form.html", {"form": form, "library": library})


def organisation_list(request: AgencyRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("municipality")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            organisations = organisations.filter(
                Q(name__icontains=q) | Q(municipality__name__icontains=q)
            )
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
    page = _page(request, organisations.order_by("name"))
    return render(
        request,
        "directory/organisation_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def organisation_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    organisation = organisation_for_user(request, pk)
    roles = request_roles(request)
    people = (
        people_visible_to(request).filter(organisation=organisation).order_by("name")
        if roles.is_staff
        else None
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "can_edit": can_edit_organisation(request, organisation),
        },
    )


@staff_required
def organisation_create(request: StaffRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(
            actor=request.user,
            agency=request.agency,
            data=services.OrganisationData.from_values(form.cleaned_data),
        )
        messages.success(request, _("The organisation is added."))
        return redirect(organisation)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": None})


@staff_required
def organisation_edit(request: StaffRequest, pk: int) -> HttpResponse:
    organisation = organisation_for_user(request, pk, write=True)
    form = OrganisationForm(
        request.POST or None,
        instance=Organisation.objects.get(pk=organisation.pk),
        agency=request.agency,
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            actor=request.user,
            agency=request.agency,
            organisation=organisation,
            data=services.OrganisationData.from_values(form.cleaned_data),
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@staff_required
def person_list(request: StaffRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = (
        people_visible_to(request)
        .select_related("organisation")
        .prefetch_related("library_roles__library")
    )
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            people = people.filter(
                Q(name__icontains=q)
                | Q(email__icontains=q)
                | Q(library_roles__library__name__icontains=q)
            ).distinct()
        if form.cleaned_data["role"]:
            people = people.filter(library_roles__role=form.cleaned_data["role"]).distinct()
    page = _page(request, people.order_by("name"))
    return render(
        request,
        "directory/person_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def person_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    person = person_for_user(request, pk)
    roles = request_roles(request)
    role_form = LibraryRoleForm(agency=request.agency) if roles.is_staff else None
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "library_roles": person.library_roles.select_related("library").order_by(
                "library__name"
            ),
            "can_edit": roles.is_staff,
            "role_form": role_form,
        },
    )


@staff_required
def person_create(request: StaffRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            actor=request.user,
            agency=request.agency,
            data=services.PersonData.from_values(form.cleaned_data),
        )
        messages.success(request, _("The person is added. Now give them a role at a library."))
        return redirect(person)
    return render(request, "directory/person_form.html", {"form": form, "person": None})


@staff_required
def person_edit(request: StaffRequest, pk: int) -> HttpResponse:
    person = person_for_user(request, pk, write=True)
    form = PersonForm(
        request.POST or None, instance=type(person).objects.get(pk=person.pk), agency=request.agency
    )
    if request.method == "POST" and form.is_valid():
        services.person_update(
            actor=request.user,
            agency=request.agency,
            person=person,
            data=services.PersonData.from_values(form.cleaned_data),
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(person)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@staff_required
@require_POST
def person_delete(request: StaffRequest, pk: int) -> HttpResponse:
    person = person_for_user(request, pk, delete=True)
    services.person_delete(actor=request.user, agency=request.agency, person=person)
    messages.success(request, _("The person is deleted from the directory."))
    return redirect("directory:person_list")


@staff_required
@require_POST
def person_role_add(request: StaffRequest, pk: int) -> HttpResponse:
    person = person_for_user(request, pk, write=True)
    form = LibraryRoleForm(request.POST, agency=request.agency)
    if form.is_valid():
        services.library_role_add(
            actor=request.user,
            agency=request.agency,
            person=person,
            library=form.cleaned_data["library"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("The role is added."))
        return redirect(person)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "library_roles": person.library_roles.select_related("library"),
            "can_edit": True,
            "role_form": form,
        },
        status=400,
    )


@staff_required
@require_POST
def person_role_remove(request: StaffRequest, pk: int, role_pk: int) -> HttpResponse:
    person = person_for_user(request, pk, write=True)
    library_role = library_role_for_user(request, person, role_pk)
    services.library_role_remove(
        actor=request.user,
        agency=request.agency,
        library_role=library_role,
    )
    messages.success(request, _("The role is removed."))
    return redirect(person)
