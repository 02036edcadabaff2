"""The staff's terms page: each term with its visits and whether it is public, a form for a
term and its publication day, and the copy of a term as the next term's draft
(mobile/terms.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.mobile import selectors, services
from bokbro.mobile import terms as copying
from bokbro.mobile.access import staff_object
from bokbro.mobile.forms import TermCopyForm, TermForm
from bokbro.mobile.models import Term


def _terms(request: StaffRequest, term: Term | None) -> HttpResponse:
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_save(actor=request.user, agency=request.agency, term=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The term is saved."))
            return redirect("mobile:terms")
    today = selectors.today()
    terms = Term.objects.filter(agency=request.agency).annotate(visit_count=models.Count("visits"))
    return render(
        request,
        "mobile/staff/terms.html",
        {
            "form": form,
            "term": term,
            "terms": [(t, t.is_public(today)) for t in terms],
        },
    )


@staff_required
def terms(request: StaffRequest) -> HttpResponse:
    return _terms(request, None)


@staff_required
def term_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _terms(request, staff_object(request, Term.objects.all(), pk))


@staff_required
def term_copy(request: StaffRequest, pk: int) -> HttpResponse:
    """The next term's timetable from this one, as a draft: the visits that cannot be copied
    are listed as warnings on the terms page."""
    source = staff_object(request, Term.objects.all(), pk)
    length = source.ends_on - source.starts_on
    first = source.ends_on + timedelta(days=1)
    form = TermCopyForm(
        request.POST or None,
        instance=Term(agency=request.agency),
        initial={"starts_on": first, "ends_on": first + length},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = copying.term_copy(
                actor=request.user, agency=request.agency, source=source, term=form.instance
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(term)s is a draft with %(visits)s visit copied from %(source)s.",
                    "%(term)s is a draft with %(visits)s visits copied from %(source)s.",
                    result.copied,
                )
                % {"term": result.term.name, "visits": result.copied, "source": source.name},
            )
            for problem in result.problems:
                messages.warning(request, _("Not copied: %(problem)s") % {"problem": problem})
            return redirect("mobile:terms")
    return render(
        request,
        "mobile/staff/term_copy.html",
        {
            "form": form,
            "source": source,
            "page_title": _("Copy %(name)s as a new term") % {"name": source.name},
        },
    )
