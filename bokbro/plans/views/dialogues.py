"""The annual dialogues: the year's list, logging and editing a dialogue, and the templates."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans.access import (
    dialogue_for_staff,
    template_for_staff,
)
from bokbro.plans.forms.common import region_municipalities
from bokbro.plans.forms.dialogues import DialogueFilterForm, DialogueForm, DialogueTemplateForm
from bokbro.plans.models import (
    Dialogue,
    DialogueTemplate,
)
from bokbro.plans.services import dialogues
from bokbro.plans.views.common import form_page, this_year


def _dialogue_year(request: StaffRequest) -> int:
    form = DialogueFilterForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return this_year()


@staff_required
def dialogue_list(request: StaffRequest) -> HttpResponse:
    """The year's dialogues, and which municipalities of the region have not had one."""
    agency = site_agency(request)
    year = _dialogue_year(request)
    municipalities = list(region_municipalities(agency))
    by_municipality = {
        d.municipality_id: d
        for d in Dialogue.objects.filter(agency=agency, year=year).select_related("consultant")
    }
    rows = [(m, by_municipality.get(m.pk)) for m in municipalities]
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


def _chosen_template(
    source: Any, templates: Any, dialogue: Dialogue | None
) -> DialogueTemplate | None:
    """The template whose questions the form shows: the one chosen, else (nothing chosen yet)
    the dialogue's own, or for a new dialogue the first template in use."""
    template_id = source.get("template", "")
    if template_id.isdigit():
        return templates.filter(pk=template_id).first()
    if "template" in source:
        return None
    if dialogue is not None:
        return dialogue.template
    return templates.filter(is_active=True).order_by("title", "pk").first()


def _chosen_year(source: Any, dialogue: Dialogue | None) -> int:
    """The year whose goals the form asks about: the one typed, else the dialogue's, else this
    year."""
    year_text = source.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else None
    return year or (dialogue.year if dialogue else this_year())


def _new_dialogue_initial(
    request: StaffRequest, source: Any, year: int, template: DialogueTemplate | None
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "year": year,
        "date": timezone.localdate(),
        "consultant": request.user.pk,
    }
    if template is not None:
        initial["template"] = template.pk
    if source.get("municipality", "").isdigit():
        initial["municipality"] = int(source["municipality"])
    return initial


def _questions_changed(request: StaffRequest, template: DialogueTemplate | None) -> bool:
    """Whether the POST asks for another template's questions: "Show the questions" pressed, or
    the template changed since the form was shown."""
    shown = request.POST.get("questions_of", "")
    return "show_questions" in request.POST or shown != (str(template.pk) if template else "")


def _dialogue_save(
    request: StaffRequest, agency: Any, dialogue: Dialogue | None, form: DialogueForm
) -> Dialogue:
    """Log or change the dialogue (services raise ValidationError on a broken rule)."""
    fields = {
        "actor": request.user,
        "agency": agency,
        "fields": form.dialogue_fields(),
        "answers": form.answers(),
        "goal_statuses": form.goal_statuses(),
    }
    if dialogue is None:
        saved = dialogues.dialogue_create(**fields)
        messages.success(request, _("The annual dialogue is logged."))
    else:
        saved = dialogues.dialogue_update(dialogue=dialogue, **fields)
        messages.success(request, _("Your changes are saved."))
    return saved


def _dialogue_form(request: StaffRequest, dialogue: Dialogue | None) -> HttpResponse:
    agency = site_agency(request)
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    template = _chosen_template(source, DialogueTemplate.objects.filter(agency=agency), dialogue)
    year = _chosen_year(source, dialogue)
    initial = {} if dialogue is not None else _new_dialogue_initial(request, source, year, template)
    instance = Dialogue.objects.get(pk=dialogue.pk) if dialogue else Dialogue(agency=agency)
    dialogue_form = partial(
        DialogueForm,
        instance=instance,
        agency=agency,
        template=template,
        goals=dialogues.dialogue_goals(agency, year),
        statuses={s.goal_id: s for s in dialogue.goal_statuses.all()} if dialogue else {},
    )
    form = dialogue_form(data, initial=initial)
    if data is not None and _questions_changed(request, template):
        # The chosen template's questions are shown without saving, so the answers always
        # belong to the questions shown.
        if "show_questions" not in request.POST:
            messages.info(
                request,
                _("These are the questions of the template you chose. Answer them and save."),
            )
        kept = {key: value for key, value in data.items() if not key.startswith("answer_")}
        form = dialogue_form(None, initial=kept)
    elif data is not None and form.is_valid():
        try:
            saved = _dialogue_save(request, agency, dialogue, form)
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
def dialogue_create(request: StaffRequest) -> HttpResponse:
    return _dialogue_form(request, None)


@staff_required
def dialogue_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _dialogue_form(request, dialogue_for_staff(request, pk))


@staff_required
def dialogue_detail(request: StaffRequest, pk: int) -> HttpResponse:
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
def dialogue_delete(request: StaffRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_for_staff(request, pk)
    dialogues.dialogue_delete(actor=request.user, agency=site_agency(request), dialogue=dialogue)
    messages.success(request, _("The annual dialogue is deleted."))
    return redirect(f"{reverse('plans:dialogues')}?year={dialogue.year}")


@staff_required
def dialogue_templates(request: StaffRequest) -> HttpResponse:
    agency = site_agency(request)
    form = DialogueTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dialogues.dialogue_template_create(
                actor=request.user, agency=agency, fields=form.template_fields()
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
def dialogue_template_edit(request: StaffRequest, pk: int) -> HttpResponse:
    template = template_for_staff(request, pk)
    form = DialogueTemplateForm(
        request.POST or None, instance=DialogueTemplate.objects.get(pk=template.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            dialogues.dialogue_template_update(
                actor=request.user,
                agency=site_agency(request),
                template=template,
                fields=form.template_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("plans:dialogue_templates")
    return form_page(
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
def dialogue_template_delete(request: StaffRequest, pk: int) -> HttpResponse:
    template = template_for_staff(request, pk)
    dialogues.dialogue_template_delete(
        actor=request.user, agency=site_agency(request), template=template
    )
    messages.success(request, _("The template is deleted."))
    return redirect("plans:dialogue_templates")
