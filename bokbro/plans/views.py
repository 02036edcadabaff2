"""The agency's plan (public and staff pages), the municipal library plan register and the
annual dialogues. Staff pages are for the agency's own team (`@staff_required` plus the access
helpers below: 404 when the object does not exist, 403 when it is another agency's). Every
change is a service call (services.py); the register's status is computed in kb.py.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.directory.access import require_agency_staff, staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans import services
from bokbro.plans.forms import (
    ActionFilterForm,
    ActionForm,
    DialogueFilterForm,
    DialogueForm,
    DialogueTemplateForm,
    FocusAreaForm,
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    MunicipalPlanForm,
    PlanForm,
    RegisterFilterForm,
    StrategyForm,
    region_municipalities,
)
from bokbro.plans.kb import counts_of, municipal_plan_overview
from bokbro.plans.models import (
    Action,
    Dialogue,
    DialogueTemplate,
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    MunicipalPlan,
    Plan,
    Strategy,
)

INLINE_PREFIX = re.compile(r"[a-z]{1,3}[0-9]{0,10}")

# --- Access -------------------------------------------------------------------------------------


def _own(request: HttpRequest, agency_id: int) -> None:
    require_agency_staff(request)
    agency = getattr(request, "agency", None)
    if agency is None or agency.pk != agency_id:
        raise PermissionDenied


def plan_for_staff(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("agency"), pk=pk)
    _own(request, plan.agency_id)
    return plan


def published_plan(request: HttpRequest, pk: int) -> Plan:
    """A plan on the public pages of its agency's site, or 404: unpublished plans and other
    agencies' plans do not exist for the public."""
    agency = getattr(request, "agency", None)
    plan = Plan.objects.of(agency).filter(pk=pk, is_published=True).first()
    if plan is None:
        raise Http404
    return plan


def municipal_plan_for_staff(request: HttpRequest, pk: int) -> MunicipalPlan:
    plan = get_object_or_404(MunicipalPlan.objects.select_related("municipality"), pk=pk)
    _own(request, plan.agency_id)
    return plan


def dialogue_for_staff(request: HttpRequest, pk: int) -> Dialogue:
    dialogue = get_object_or_404(
        Dialogue.objects.select_related("municipality", "template", "consultant"), pk=pk
    )
    _own(request, dialogue.agency_id)
    return dialogue


def template_for_staff(request: HttpRequest, pk: int) -> DialogueTemplate:
    template = get_object_or_404(DialogueTemplate, pk=pk)
    _own(request, template.agency_id)
    return template


# --- Helpers ------------------------------------------------------------------------------------


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "plans/form_page.html", context)


def _this_year() -> int:
    return timezone.localdate().year


def _file_response(file: Any, filename_base: str, *, private: bool) -> Any:
    """The file, inline, with its type guessed from the stored name (a FileResponse)."""
    if not file:
        raise Http404
    try:
        handle = default_storage.open(file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    ext = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "pdf"
    filename = f"{filename_base}.{ext}"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=False, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=600"
    return response


def plan_tree(plan: Plan) -> list[FocusArea]:
    """The plan's focus areas with their goals, strategies, measures and indicators (with
    values) prefetched: a constant number of queries."""
    return list(
        plan.focus_areas.prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("order", "code", "pk").prefetch_related(
                    "strategies",
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related("responsible", "strategy").order_by(
                            "year", "pk"
                        ),
                    ),
                    Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
                ),
            )
        )
    )


# --- Public plan page ---------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    """The agency's published plans, those in force this year first, with their trees."""
    agency = getattr(request, "agency", None)
    year = _this_year()
    plans = list(Plan.objects.of(agency).filter(is_published=True))
    plans.sort(key=lambda p: (not p.covers(year), -p.starts_year, p.title))
    current = [plan for plan in plans if plan.covers(year)]
    others = [plan for plan in plans if not plan.covers(year)]
    return render(
        request,
        "plans/public_index.html",
        {
            "current": [(plan, plan_tree(plan)) for plan in current],
            "others": others,
            "year": year,
        },
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = published_plan(request, pk)
    return render(
        request,
        "plans/public_detail.html",
        {"plan": plan, "tree": plan_tree(plan), "year": _this_year()},
    )


def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's file: for everyone when the plan is published, else for the agency's staff."""
    plan = get_object_or_404(Plan, pk=pk)
    agency = getattr(request, "agency", None)
    if agency is None or plan.agency_id != agency.pk:
        raise Http404
    if not plan.is_published:
        if not request.user.is_authenticated:
            raise Http404
        _own(request, plan.agency_id)
    return _file_response(plan.document, f"plan-{plan.pk}", private=not plan.is_published)


# --- Staff: the plans and their trees ----------------------------------------------------------


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    return render(
        request,
        "plans/staff_list.html",
        {"plans": Plan.objects.of(agency), "year": _this_year()},
    )


def _plan_form(request: HttpRequest, plan: Plan | None) -> HttpResponse:
    agency = site_agency(request)
    instance = Plan.objects.get(pk=plan.pk) if plan else Plan(agency=agency)
    form = PlanForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                saved = services.plan_create(
                    actor=request.user,
                    agency=agency,
                    data=form.plan_data(),
                    document=form.document_change(),
                )
                messages.success(request, _("The plan is created. Add its focus areas and goals."))
            else:
                saved = services.plan_update(
                    actor=request.user,
                    agency=agency,
                    plan=plan,
                    data=form.plan_data(),
                    document=form.document_change(),
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:plan", saved.pk)
    title = _("Edit %(title)s") % {"title": plan.title} if plan else _("New plan")
    return _form_page(
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
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form(request, None)


@staff_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_form(request, plan_for_staff(request, pk))


@staff_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    services.plan_delete(actor=request.user, agency=site_agency(request), plan=plan)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": plan.title})
    return redirect("plans:staff_list")


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole tree on one page, with a form to add a part under each branch."""
    plan = plan_for_staff(request, pk)
    tree = plan_tree(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "year": _this_year(),
            "history": AuditEntry.objects.for_target(plan).for_list()[:30],
        },
    )


# --- Parts of the tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    model: type
    form: type
    queryset: Callable[[Plan], Any]
    add_title: Any
    edit_title: Any
    added: Any
    deleted: Any


PARTS = {
    "focus-areas": Part(
        FocusArea,
        FocusAreaForm,
        lambda plan: FocusArea.objects.filter(plan=plan),
        gettext_lazy("Add a focus area"),
        gettext_lazy("Edit the focus area"),
        gettext_lazy("The focus area is added."),
        gettext_lazy("The focus area is deleted, with its goals."),
    ),
    "goals": Part(
        Goal,
        GoalForm,
        lambda plan: Goal.objects.filter(plan=plan),
        gettext_lazy("Add a goal"),
        gettext_lazy("Edit the goal"),
        gettext_lazy("The goal is added."),
        gettext_lazy("The goal is deleted."),
    ),
    "strategies": Part(
        Strategy,
        StrategyForm,
        lambda plan: Strategy.objects.filter(goal__plan=plan),
        gettext_lazy("Add a strategy"),
        gettext_lazy("Edit the strategy"),
        gettext_lazy("The strategy is added."),
        gettext_lazy("The strategy is deleted."),
    ),
    "measures": Part(
        Action,
        ActionForm,
        lambda plan: Action.objects.filter(plan=plan),
        gettext_lazy("Add a measure to the action plan"),
        gettext_lazy("Edit the measure"),
        gettext_lazy("The measure is added to the action plan."),
        gettext_lazy("The measure is deleted."),
    ),
    "indicators": Part(
        Indicator,
        IndicatorForm,
        lambda plan: Indicator.objects.filter(goal__plan=plan),
        gettext_lazy("Add an indicator"),
        gettext_lazy("Edit the indicator"),
        gettext_lazy("The indicator is added."),
        gettext_lazy("The indicator is deleted."),
    ),
}


def _part(name: str) -> Part:
    if name not in PARTS:
        raise Http404
    return PARTS[name]


def _anchor(obj: Any) -> str:
    if isinstance(obj, FocusArea):
        return f"focus-{obj.pk}"
    if isinstance(obj, Goal):
        return f"goal-{obj.pk}"
    if isinstance(obj, Strategy | Indicator | Action):
        return f"goal-{obj.goal_id}"
    return "tree"


def _back(plan: Plan, obj: Any = None) -> str:
    return f"{reverse('plans:plan', args=[plan.pk])}#{_anchor(obj)}"


@staff_required
def part_create(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a part; the inline forms of the plan page post here (their prefix is "new")."""
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    initial = {}
    for name in ("focus_area", "goal"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    # The inline forms of the plan page name their fields with a prefix of their own.
    posted = request.POST.get("prefix", "")
    prefix = posted if INLINE_PREFIX.fullmatch(posted) else None
    form = kind.form(request.POST or None, plan=plan, initial=initial, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.part_create(
                actor=request.user,
                agency=site_agency(request),
                plan=plan,
                model=kind.model,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(kind.added))
            return redirect(_back(plan, obj))
    return _form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "page_title": kind.add_title,
            "cancel_url": _back(plan),
            "submit": _("Add"),
        },
    )


@staff_required
def part_edit(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    obj = get_object_or_404(kind.queryset(plan), pk=item_pk)
    form = kind.form(
        request.POST or None, instance=get_object_or_404(kind.queryset(plan), pk=item_pk), plan=plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.part_update(
                actor=request.user,
                agency=site_agency(request),
                plan=plan,
                obj=obj,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_back(plan, obj))
    return _form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "page_title": kind.edit_title,
            "cancel_url": _back(plan, obj),
            "submit": _("Save"),
        },
    )


@staff_required
@require_POST
def part_delete(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    obj = get_object_or_404(kind.queryset(plan), pk=item_pk)
    services.part_delete(actor=request.user, agency=site_agency(request), plan=plan, obj=obj)
    messages.success(request, str(kind.deleted))
    return redirect(_back(plan))


# --- A goal: its indicators and their values ---------------------------------------------------


@staff_required
def goal_detail(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    goal = get_object_or_404(
        Goal.objects.select_related("focus_area").prefetch_related(
            "strategies",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
            Prefetch("actions", queryset=Action.objects.select_related("responsible", "strategy")),
        ),
        pk=goal_pk,
        plan=plan,
    )
    return render(
        request,
        "plans/goal_detail.html",
        {
            "plan": plan,
            "goal": goal,
            "value_form": IndicatorValueForm(),
            "year": _this_year(),
        },
    )


@staff_required
@require_POST
def indicator_value(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Enter (or replace) an indicator's value for a year, from the small form on the goal page."""
    plan = plan_for_staff(request, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal__plan"), pk=indicator_pk, goal__plan=plan
    )
    form = IndicatorValueForm(request.POST, prefix=f"value-{indicator.pk}")
    back = reverse("plans:goal", args=[plan.pk, indicator.goal_id]) + f"#indicator-{indicator.pk}"
    if form.is_valid():
        services.indicator_value_set(
            actor=request.user,
            agency=site_agency(request),
            indicator=indicator,
            year=form.cleaned_data["year"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The value is saved."))
        return redirect(back)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(back)


@staff_required
@require_POST
def indicator_value_delete(request: HttpRequest, pk: int, value_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__goal__plan"),
        pk=value_pk,
        indicator__goal__plan=plan,
    )
    services.indicator_value_delete(actor=request.user, agency=site_agency(request), value=value)
    messages.success(request, _("The value is deleted."))
    return redirect(
        reverse("plans:goal", args=[plan.pk, value.indicator.goal_id])
        + f"#indicator-{value.indicator_id}"
    )


# --- The action plan: list and exports ---------------------------------------------------------


def _actions(request: HttpRequest, plan: Plan) -> tuple[ActionFilterForm, Any]:
    form = ActionFilterForm(request.GET or None)
    actions = Action.objects.filter(plan=plan).select_related(
        "goal", "goal__focus_area", "strategy", "responsible"
    )
    if form.is_valid():
        if form.cleaned_data["year"]:
            actions = actions.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["status"]:
            actions = actions.filter(status=form.cleaned_data["status"])
    return form, actions.order_by(
        "year", "goal__focus_area__order", "goal__order", "goal__code", "pk"
    )


@staff_required
def action_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    form, actions = _actions(request, plan)
    return render(
        request,
        "plans/action_list.html",
        {"plan": plan, "form": form, "actions": actions, "query": request.GET.urlencode()},
    )


def _action_rows(request: HttpRequest, plan: Plan) -> tuple[list[str], list[list[Any]]]:
    _form, actions = _actions(request, plan)
    header = [
        _("Year"),
        _("Focus area"),
        _("Goal"),
        _("Strategy"),
        _("Measure"),
        _("Responsible"),
        _("Status"),
        _("Status note"),
    ]
    rows = [
        [
            a.year,
            str(a.goal.focus_area),
            str(a.goal),
            a.strategy.title if a.strategy else "",
            a.title,
            a.responsible.name if a.responsible else a.responsible_text,
            a.get_status_display(),
            a.status_note,
        ]
        for a in actions
    ]
    return header, rows


@staff_required
def action_csv(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    header, rows = _action_rows(request, plan)
    return exports.csv_response(header, rows, f"action-plan-{plan.pk}.csv")


@staff_required
def action_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    header, rows = _action_rows(request, plan)
    sheet = exports.Sheet(_("Action plan"), header, rows)
    return exports.xlsx_response([sheet], f"action-plan-{plan.pk}.xlsx")


# --- The municipal library plan register -------------------------------------------------------


def _register(request: HttpRequest) -> tuple[RegisterFilterForm, list[Any], list[Any], int]:
    """The filter form, all rows of the chosen year (for the figures) and the filtered rows."""
    agency = site_agency(request)
    form = RegisterFilterForm(request.GET or None, agency=agency)
    year, status, county = _this_year(), "", None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        status = form.cleaned_data["status"]
        county = form.cleaned_data["county"]
    rows = municipal_plan_overview(agency, year, county_ids=[county.pk] if county else None)
    shown = rows
    if status == "expires_soon":
        shown = [row for row in rows if row.expires_soon]
    elif status == "period_over":
        shown = [row for row in rows if row.period_over]
    elif status:
        shown = [row for row in rows if row.status == status]
    return form, rows, shown, year


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    form, rows, shown, year = _register(request)
    return render(
        request,
        "plans/register.html",
        {
            "form": form,
            "rows": shown,
            "counts": counts_of(rows, year),
            "year": year,
            "query": request.GET.urlencode(),
        },
    )


def _register_rows(request: HttpRequest) -> tuple[list[str], list[list[Any]], int]:
    _form, _all, shown, year = _register(request)
    header = [
        _("Municipality"),
        _("Code"),
        _("County"),
        _("Status"),
        _("Expires soon"),
        _("Period over, still current"),
        _("Plan"),
        _("First year"),
        _("Last year"),
        _("Adopted on"),
        _("Adopted by"),
        _("Covers the school libraries"),
        _("Link"),
        _("Next plan"),
    ]
    yes, no = _("Yes"), _("No")
    rows = []
    for row in shown:
        plan = row.plan
        rows.append(
            [
                row.municipality.name,
                row.municipality.code,
                row.municipality.county.name,
                row.status_label,
                yes if row.expires_soon else no,
                yes if row.period_over else no,
                plan.title if plan else "",
                plan.starts_year if plan else None,
                plan.ends_year if plan else None,
                plan.adopted_on if plan else None,
                plan.adopted_by if plan else "",
                (yes if plan.covers_school_libraries else no) if plan else "",
                plan.url if plan else "",
                f"{row.upcoming.title} ({row.upcoming.starts_year}–{row.upcoming.ends_year or ''})"
                if row.upcoming
                else "",
            ]
        )
    return header, rows, year


@staff_required
def register_csv(request: HttpRequest) -> HttpResponse:
    header, rows, year = _register_rows(request)
    return exports.csv_response(
        header, rows, f"library-plans-{site_agency(request).slug}-{year}.csv"
    )


@staff_required
def register_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows, year = _register_rows(request)
    sheet = exports.Sheet(_("Library plans %(year)s") % {"year": year}, header, rows)
    return exports.xlsx_response([sheet], f"library-plans-{site_agency(request).slug}-{year}.xlsx")


def _municipal_form(request: HttpRequest, plan: MunicipalPlan | None) -> HttpResponse:
    agency = site_agency(request)
    instance = MunicipalPlan.objects.get(pk=plan.pk) if plan else MunicipalPlan(agency=agency)
    initial = {}
    if plan is None and request.GET.get("municipality", "").isdigit():
        municipality = region_municipalities(agency).filter(pk=request.GET["municipality"]).first()
        if municipality is not None:
            initial["municipality"] = municipality.pk
    form = MunicipalPlanForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        agency=agency,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                services.municipal_plan_create(
                    actor=request.user,
                    agency=agency,
                    data=form.plan_data(),
                    document=form.document_change(),
                )
                messages.success(request, _("The library plan is registered."))
            else:
                services.municipal_plan_update(
                    actor=request.user,
                    agency=agency,
                    plan=plan,
                    data=form.plan_data(),
                    document=form.document_change(),
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:register")
    return render(
        request,
        "plans/municipal_plan_form.html",
        {
            "form": form,
            "municipal_plan": plan,
            "page_title": _("Edit the library plan") if plan else _("Register a library plan"),
        },
    )


@staff_required
def municipal_plan_create(request: HttpRequest) -> HttpResponse:
    return _municipal_form(request, None)


@staff_required
def municipal_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _municipal_form(request, municipal_plan_for_staff(request, pk))


@staff_required
@require_POST
def municipal_plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = municipal_plan_for_staff(request, pk)
    services.municipal_plan_delete(actor=request.user, agency=site_agency(request), plan=plan)
    messages.success(
        request,
        _("The library plan of %(municipality)s is deleted.")
        % {"municipality": plan.municipality.name},
    )
    return redirect("plans:register")


@staff_required
def municipal_plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = municipal_plan_for_staff(request, pk)
    return _file_response(plan.document, f"library-plan-{plan.municipality.code}", private=True)


# --- Annual dialogues --------------------------------------------------------------------------


def _dialogue_year(request: HttpRequest) -> int:
    form = DialogueFilterForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return _this_year()


@staff_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    """The year's dialogues, and which municipalities of the region have not had one."""
    agency = site_agency(request)
    year = _dialogue_year(request)
    municipalities = list(region_municipalities(agency))
    dialogues = {
        d.municipality_id: d
        for d in Dialogue.objects.filter(agency=agency, year=year).select_related("consultant")
    }
    rows = [(m, dialogues.get(m.pk)) for m in municipalities]
    held = sum(1 for _m, d in rows if d is not None)
    return render(
        request,
        "plans/dialogue_list.html",
        {
            "form": DialogueFilterForm(initial={"year": year}),
            "rows": rows,
            "year": year,
            "held": held,
            "total": len(rows),
            "templates": DialogueTemplate.objects.filter(agency=agency),
        },
    )


def _dialogue_form(request: HttpRequest, dialogue: Dialogue | None) -> HttpResponse:
    agency = site_agency(request)
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    templates = DialogueTemplate.objects.filter(agency=agency)
    template = None
    template_id = source.get("template", "")
    if template_id.isdigit():
        template = templates.filter(pk=template_id).first()
    elif "template" not in source:
        template = (
            dialogue.template
            if dialogue is not None
            else templates.filter(is_active=True).order_by("title", "pk").first()
        )
    year_text = source.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else None
    year = year or (dialogue.year if dialogue else _this_year())
    goals = services.dialogue_goals(agency, year)
    statuses = {s.goal_id: s for s in dialogue.goal_statuses.all()} if dialogue else {}
    initial: dict[str, Any] = {}
    if dialogue is None:
        initial = {"year": year, "date": timezone.localdate(), "consultant": request.user.pk}
        if template is not None:
            initial["template"] = template.pk
        if source.get("municipality", "").isdigit():
            initial["municipality"] = int(source["municipality"])
    instance = Dialogue.objects.get(pk=dialogue.pk) if dialogue else Dialogue(agency=agency)
    form = DialogueForm(
        data,
        instance=instance,
        agency=agency,
        template=template,
        goals=goals,
        statuses=statuses,
        initial=initial,
    )
    # "Show the questions" (or a template changed before saving) shows the chosen template's
    # questions without saving, so the answers always belong to the questions shown.
    shown = request.POST.get("questions_of", "")
    refresh = "show_questions" in request.POST or (
        data is not None and shown != (str(template.pk) if template else "")
    )
    if data is not None and refresh:
        if "show_questions" not in request.POST:
            messages.info(
                request,
                _("These are the questions of the template you chose. Answer them and save."),
            )
        form = DialogueForm(
            None,
            instance=instance,
            agency=agency,
            template=template,
            goals=goals,
            statuses=statuses,
            initial={key: value for key, value in data.items() if not key.startswith("answer_")},
        )
    elif data is not None and form.is_valid():
        try:
            if dialogue is None:
                saved = services.dialogue_create(
                    actor=request.user,
                    agency=agency,
                    data=form.dialogue_data(),
                    answers=form.answers(),
                    goal_statuses=form.goal_statuses(),
                )
                messages.success(request, _("The annual dialogue is logged."))
            else:
                saved = services.dialogue_update(
                    actor=request.user,
                    agency=agency,
                    dialogue=dialogue,
                    data=form.dialogue_data(),
                    answers=form.answers(),
                    goal_statuses=form.goal_statuses(),
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:dialogue", saved.pk)
    return render(
        request,
        "plans/dialogue_form.html",
        {
            "form": form,
            "dialogue": dialogue,
            "template": template,
            "year": year,
            "page_title": _("Edit the annual dialogue")
            if dialogue
            else _("Log an annual dialogue"),
        },
    )


@staff_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    return _dialogue_form(request, None)


@staff_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _dialogue_form(request, dialogue_for_staff(request, pk))


@staff_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_for_staff(request, pk)
    return render(
        request,
        "plans/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "statuses": list(dialogue.goal_statuses.select_related("goal", "goal__plan")),
            "history": AuditEntry.objects.for_target(dialogue).for_list()[:30],
        },
    )


@staff_required
@require_POST
def dialogue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_for_staff(request, pk)
    services.dialogue_delete(actor=request.user, agency=site_agency(request), dialogue=dialogue)
    messages.success(request, _("The annual dialogue is deleted."))
    return redirect(f"{reverse('plans:dialogues')}?year={dialogue.year}")


@staff_required
def dialogue_templates(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    form = DialogueTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_template_create(
                actor=request.user, agency=agency, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The template is added."))
            return redirect("plans:dialogue_templates")
    return render(
        request,
        "plans/dialogue_templates.html",
        {"form": form, "templates": DialogueTemplate.objects.filter(agency=agency)},
    )


@staff_required
def dialogue_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_for_staff(request, pk)
    form = DialogueTemplateForm(
        request.POST or None, instance=DialogueTemplate.objects.get(pk=template.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_template_update(
                actor=request.user,
                agency=site_agency(request),
                template=template,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("plans:dialogue_templates")
    return _form_page(
        request,
        {
            "form": form,
            "page_title": _("Edit %(title)s") % {"title": template.title},
            "cancel_url": reverse("plans:dialogue_templates"),
            "submit": _("Save"),
            "section": "dialogues",
        },
    )


@staff_required
@require_POST
def dialogue_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_for_staff(request, pk)
    services.dialogue_template_delete(
        actor=request.user, agency=site_agency(request), template=template
    )
    messages.success(request, _("The template is deleted."))
    return redirect("plans:dialogue_templates")
