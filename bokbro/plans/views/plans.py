"""The agency's staff: its plans, each plan's page with its whole tree."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans.access import (
    plan_for_staff,
)
from bokbro.plans.forms.plans import PlanForm
from bokbro.plans.models import (
    Plan,
)
from bokbro.plans.selectors import plan_tree
from bokbro.plans.services import plans
from bokbro.plans.views.common import form_page, this_year


@staff_required
def staff_list(request: StaffRequest) -> HttpResponse:
    agency = site_agency(request)
    return render(
        request,
        "plans/staff_list.html",
        {"plans": Plan.objects.of(agency), "year": this_year()},
    )


def _plan_form(request: StaffRequest, plan: Plan | None) -> HttpResponse:
    agency = site_agency(request)
    instance = Plan.objects.get(pk=plan.pk) if plan else Plan(agency=agency)
    form = PlanForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                saved = plans.plan_create(
                    actor=request.user,
                    agency=agency,
                    fields=form.plan_fields(),
                    document=form.document_change(),
                )
                messages.success(request, _("The plan is created. Add its focus areas and goals."))
            else:
                saved = plans.plan_update(
                    actor=request.user,
                    agency=agency,
                    plan=plan,
                    fields=form.plan_fields(),
                    document=form.document_change(),
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:plan", saved.pk)
    title = _("Edit %(title)s") % {"title": plan.title} if plan else _("New plan")
    return form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "page_title": title,
            "cancel_url": reverse("plans:plan", args=[plan.pk])
            if plan
            else reverse("plans:staff_list"),
            "submit": _("Save"),
            "multipart": True,
        },
    )


@staff_required
def plan_create(request: StaffRequest) -> HttpResponse:
    return _plan_form(request, None)


@staff_required
def plan_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _plan_form(request, plan_for_staff(request, pk))


@staff_required
@require_POST
def plan_delete(request: StaffRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    plans.plan_delete(actor=request.user, agency=site_agency(request), plan=plan)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": plan.title})
    return redirect("plans:staff_list")


@staff_required
def plan_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """The whole tree on one page, with a form to add a part under each branch."""
    plan = plan_for_staff(request, pk)
    tree = plan_tree(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "year": this_year(),
            "history": AuditEntry.objects.for_target(plan).for_list()[:30],
        },
    )
