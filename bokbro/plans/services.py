"""Every write to the plans module (STYLE.md §2): keyword-only, atomic, validated by the models'
own rules (`full_clean`, which checks the CHECK and UNIQUE constraints with their messages) and
by the rules below that the models cannot hold (a goal under a focus area of the same plan, a
municipality of the agency's region…), and audit-logged ("plans.<thing>.<verb>").

The plan's tree (focus areas, goals, strategies, measures, indicators) is logged against the
plan, so the plan page shows one history. Rules that fail raise
`django.core.exceptions.ValidationError`; views put the messages on the form.

The register's reads (status under KB's rule, counts) are in `kb.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core.audit import audit_log
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality, TeamMember
from bokbro.plans.computed import METRICS
from bokbro.plans.models import (
    Action,
    Dialogue,
    DialogueGoalStatus,
    DialogueTemplate,
    FocusArea,
    Goal,
    GoalProgress,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    MunicipalPlan,
    Plan,
    Strategy,
)


def _apply(obj: Any, data: dict[str, Any]) -> list[str]:
    """Set the values on `obj`; the names of the fields that changed."""
    changed = []
    for name, value in data.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:
            current = None
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _drop_file_later(file: Any) -> None:
    """Delete a replaced or removed file from storage once the change is committed."""
    if file:
        name, storage = file.name, file.storage
        transaction.on_commit(lambda: storage.delete(name))


def _apply_document(obj: Any, document: Any) -> bool:
    """`document`: an upload to store, False to remove the file, None to keep it."""
    if document is None:
        return False
    old = obj.document if obj.document else None
    if document is False:
        if old is None:
            return False
        obj.document = None
    else:
        obj.document = document
    if old is not None:
        _drop_file_later(old)
    return True


def _log(action: str, *, actor: Any, agency: Agency, target: models.Model, **data: Any) -> None:
    audit_log(action=action, actor=actor, agency=agency, target=target, data=data)


def _own(agency: Agency, obj_agency_id: int) -> None:
    if obj_agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))


# --- The agency's plans ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, agency: Agency, data: dict[str, Any], document: Any = None) -> Plan:
    plan = Plan(agency=agency)
    _apply(plan, data)
    _apply_document(plan, document)
    plan.full_clean(exclude=["document"])
    plan.save()
    _log("plans.plan.created", actor=actor, agency=agency, target=plan, title=plan.title)
    return plan


@transaction.atomic
def plan_update(
    *, actor: Any, agency: Agency, plan: Plan, data: dict[str, Any], document: Any = None
) -> Plan:
    _own(agency, plan.agency_id)
    was_published = plan.is_published
    changed = _apply(plan, data)
    if _apply_document(plan, document):
        changed.append("document")
    if not changed:
        return plan
    plan.full_clean(exclude=["document"])
    plan.save()
    _log("plans.plan.updated", actor=actor, agency=agency, target=plan, fields=changed)
    if plan.is_published != was_published:
        action = "plans.plan.published" if plan.is_published else "plans.plan.hidden"
        _log(action, actor=actor, agency=agency, target=plan)
    return plan


@transaction.atomic
def plan_delete(*, actor: Any, agency: Agency, plan: Plan) -> None:
    """Delete the plan with its tree; its file leaves storage after the commit (apps.py)."""
    _own(agency, plan.agency_id)
    _log("plans.plan.deleted", actor=actor, agency=agency, target=plan, title=plan.title)
    plan.delete()


# --- The tree: focus areas, goals, strategies, measures, indicators -------------------------------


def _check_part(plan: Plan, obj: Any) -> None:
    """The rules a part's relations must keep: everything under one plan, one agency."""
    if isinstance(obj, Goal) and obj.focus_area_id and obj.focus_area.plan_id != plan.pk:
        raise ValidationError({"focus_area": _("Choose a focus area of this plan.")})
    if isinstance(obj, Strategy | Indicator) and obj.goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    computed = isinstance(obj, Indicator) and obj.source == IndicatorSource.COMPUTED
    if computed and obj.metric not in METRICS:
        raise ValidationError({"metric": _("Choose the figure Bokbro should compute.")})
    if isinstance(obj, Action):
        if obj.goal_id is None or obj.goal.plan_id != plan.pk:
            raise ValidationError({"goal": _("Choose a goal of this plan.")})
        strategy, responsible = obj.strategy, obj.responsible
        if strategy is not None and strategy.goal_id != obj.goal_id:
            raise ValidationError({"strategy": _("Choose a strategy of the measure's goal.")})
        if responsible is not None and responsible.agency_id != plan.agency_id:
            raise ValidationError({"responsible": _("Choose someone on the agency's team.")})


def _new_part(model: type[models.Model], plan: Plan) -> Any:
    if model in (FocusArea, Goal, Action):
        return model(plan=plan)
    return model()


def _next_order(plan: Plan, obj: Any) -> int:
    """A new part without an order goes after its siblings."""
    siblings: Any
    if isinstance(obj, FocusArea):
        siblings = FocusArea.objects.filter(plan=plan)
    elif isinstance(obj, Goal):
        siblings = Goal.objects.filter(focus_area_id=obj.focus_area_id)
    elif isinstance(obj, Strategy):
        siblings = Strategy.objects.filter(goal_id=obj.goal_id)
    elif isinstance(obj, Indicator):
        siblings = Indicator.objects.filter(goal_id=obj.goal_id)
    else:
        return 0
    last = siblings.aggregate(last=models.Max("order"))["last"]
    return 0 if last is None else min(last + 1, 32767)


PART_NAMES = {
    FocusArea: "focus_area",
    Goal: "goal",
    Strategy: "strategy",
    Action: "action",
    Indicator: "indicator",
}


@transaction.atomic
def part_create(
    *, actor: Any, agency: Agency, plan: Plan, model: type[models.Model], data: dict[str, Any]
) -> Any:
    """Add a focus area, goal, strategy, measure or indicator to the plan."""
    _own(agency, plan.agency_id)
    obj = _new_part(model, plan)
    _apply(obj, data)
    if getattr(obj, "order", 0) is None:
        obj.order = _next_order(plan, obj)
    _check_part(plan, obj)
    obj.full_clean()
    obj.save()
    name = PART_NAMES[model]
    _log(f"plans.{name}.created", actor=actor, agency=agency, target=plan, title=str(obj))
    return obj


@transaction.atomic
def part_update(*, actor: Any, agency: Agency, plan: Plan, obj: Any, data: dict[str, Any]) -> Any:
    _own(agency, plan.agency_id)
    changed = _apply(obj, data)
    if getattr(obj, "order", 0) is None:
        obj.order = _next_order(plan, obj)
    if changed:
        _check_part(plan, obj)
        obj.full_clean()
        obj.save()
        name = PART_NAMES[type(obj)]
        extra = {"status": obj.status} if isinstance(obj, Action) else {}
        _log(
            f"plans.{name}.updated",
            actor=actor,
            agency=agency,
            target=plan,
            title=str(obj),
            fields=changed,
            **extra,
        )
    return obj


@transaction.atomic
def part_delete(*, actor: Any, agency: Agency, plan: Plan, obj: Any) -> None:
    """Delete a part and what hangs under it (a focus area's goals, a goal's strategies…)."""
    _own(agency, plan.agency_id)
    name = PART_NAMES[type(obj)]
    _log(f"plans.{name}.deleted", actor=actor, agency=agency, target=plan, title=str(obj))
    obj.delete()


@transaction.atomic
def indicator_value_set(
    *,
    actor: Any,
    agency: Agency,
    indicator: Indicator,
    year: int,
    value: Decimal,
    note: str = "",
) -> IndicatorValue:
    """The indicator's value for a year: entered, or replaced if the year has one."""
    plan = indicator.goal.plan
    _own(agency, plan.agency_id)
    row = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    created = row is None
    row = row or IndicatorValue(indicator=indicator, year=year)
    row.value, row.note = value, note.strip()
    row.full_clean(validate_unique=created)
    row.save()
    _log(
        "plans.indicator_value.set",
        actor=actor,
        agency=agency,
        target=plan,
        title=indicator.name,
        year=year,
        value=str(value),
    )
    return row


@transaction.atomic
def indicator_value_delete(*, actor: Any, agency: Agency, value: IndicatorValue) -> None:
    plan = value.indicator.goal.plan
    _own(agency, plan.agency_id)
    _log(
        "plans.indicator_value.deleted",
        actor=actor,
        agency=agency,
        target=plan,
        title=value.indicator.name,
        year=value.year,
    )
    value.delete()


# --- Municipal library plans ----------------------------------------------------------------------


def _check_municipality(agency: Agency, municipality: Municipality | None) -> None:
    if municipality is None or municipality.county_id not in agency_county_ids(agency):
        raise ValidationError({"municipality": _("Choose a municipality in your agency's region.")})


@transaction.atomic
def municipal_plan_create(
    *, actor: Any, agency: Agency, data: dict[str, Any], document: Any = None
) -> MunicipalPlan:
    plan = MunicipalPlan(agency=agency)
    _apply(plan, data)
    _check_municipality(agency, plan.municipality if plan.municipality_id else None)
    _apply_document(plan, document)
    plan.full_clean(exclude=["document"])
    plan.save()
    _log(
        "plans.municipal_plan.created",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        period=[plan.starts_year, plan.ends_year],
    )
    return plan


@transaction.atomic
def municipal_plan_update(
    *,
    actor: Any,
    agency: Agency,
    plan: MunicipalPlan,
    data: dict[str, Any],
    document: Any = None,
) -> MunicipalPlan:
    _own(agency, plan.agency_id)
    old_end = plan.ends_year
    changed = _apply(plan, data)
    if _apply_document(plan, document):
        changed.append("document")
    if not changed:
        return plan
    _check_municipality(agency, plan.municipality)
    if plan.ends_year != old_end:
        plan.reminded_for_year = None  # a new period gets its own reminders
    plan.full_clean(exclude=["document"])
    plan.save()
    _log(
        "plans.municipal_plan.updated",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        fields=changed,
    )
    return plan


@transaction.atomic
def municipal_plan_delete(*, actor: Any, agency: Agency, plan: MunicipalPlan) -> None:
    _own(agency, plan.agency_id)
    _log(
        "plans.municipal_plan.deleted",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        title=plan.title,
    )
    plan.delete()


def municipal_plan_reminder_claim(*, plan_id: int, year: int) -> bool:
    """Claim the year's reminder of a plan with a conditional UPDATE: of two runs (or two
    workers) at once, one gets it."""
    return bool(
        MunicipalPlan.objects.filter(pk=plan_id)
        .exclude(reminded_for_year=year)
        .update(reminded_for_year=year)
    )


# --- Annual dialogues --------------------------------------------------------------------------


@transaction.atomic
def dialogue_template_create(
    *, actor: Any, agency: Agency, data: dict[str, Any]
) -> DialogueTemplate:
    template = DialogueTemplate(agency=agency)
    _apply(template, data)
    template.full_clean()
    template.save()
    _log(
        "plans.dialogue_template.created",
        actor=actor,
        agency=agency,
        target=template,
        title=template.title,
    )
    return template


@transaction.atomic
def dialogue_template_update(
    *, actor: Any, agency: Agency, template: DialogueTemplate, data: dict[str, Any]
) -> DialogueTemplate:
    _own(agency, template.agency_id)
    changed = _apply(template, data)
    if changed:
        template.full_clean()
        template.save()
        _log(
            "plans.dialogue_template.updated",
            actor=actor,
            agency=agency,
            target=template,
            title=template.title,
            fields=changed,
        )
    return template


@transaction.atomic
def dialogue_template_delete(*, actor: Any, agency: Agency, template: DialogueTemplate) -> None:
    """Dialogues logged with it keep their answers (each answer holds its question)."""
    _own(agency, template.agency_id)
    _log(
        "plans.dialogue_template.deleted",
        actor=actor,
        agency=agency,
        target=template,
        title=template.title,
    )
    template.delete()


DIALOGUE_FIELDS = (
    "municipality",
    "year",
    "date",
    "template",
    "participants",
    "summary",
    "internal_notes",
    "hours",
    "consultant",
)
DUPLICATE_DIALOGUE = gettext_lazy("This municipality already has an annual dialogue for this year.")


def dialogue_goals(agency: Agency, year: int) -> list[Goal]:
    """The goals a dialogue in `year` is about: those of the agency's plans in force then."""
    plans = Plan.objects.of(agency).in_force(year)
    return list(
        Goal.objects.filter(plan__in=plans)
        .select_related("plan", "focus_area")
        .order_by("plan__starts_year", "plan_id", "focus_area__order", "order", "code", "pk")
    )


def _check_dialogue(agency: Agency, dialogue: Dialogue) -> None:
    _check_municipality(agency, dialogue.municipality if dialogue.municipality_id else None)
    template = dialogue.template if dialogue.template_id else None
    if template is not None and template.agency_id != agency.pk:
        raise ValidationError({"template": _("Choose one of your agency's templates.")})
    if (
        dialogue.consultant_id is not None
        and not TeamMember.objects.filter(agency=agency, user_id=dialogue.consultant_id).exists()
    ):
        raise ValidationError({"consultant": _("Choose someone on the agency's team.")})
    if dialogue.date and dialogue.year and abs(dialogue.date.year - dialogue.year) > 1:
        raise ValidationError(
            {"date": _("The date should be in (or next to) the dialogue's year.")}
        )


def dialogue_taken(dialogue: Dialogue) -> bool:
    """Whether the municipality has another dialogue with the agency in the dialogue's year."""
    return (
        Dialogue.objects.filter(
            agency=dialogue.agency_id, municipality=dialogue.municipality_id, year=dialogue.year
        )
        .exclude(pk=dialogue.pk)
        .exists()
    )


def _save_dialogue(dialogue: Dialogue) -> None:
    if dialogue_taken(dialogue):
        raise ValidationError({"year": DUPLICATE_DIALOGUE})
    dialogue.full_clean(validate_constraints=False)
    try:
        # A concurrent request may have logged the same dialogue since the check: the unique
        # constraint decides, and the user gets the same message.
        with transaction.atomic():
            dialogue.save()
    except IntegrityError as error:
        raise ValidationError({"year": DUPLICATE_DIALOGUE}) from error


def _set_goal_statuses(
    dialogue: Dialogue, goal_statuses: Iterable[tuple[Goal, str, str]] | None
) -> None:
    if goal_statuses is None:
        return
    allowed = {goal.pk for goal in dialogue_goals(dialogue.agency, dialogue.year)}
    valid = set(GoalProgress.values)
    dialogue.goal_statuses.all().delete()
    rows = []
    for goal, status, comment in goal_statuses:
        if not status:
            continue
        if goal.pk not in allowed or status not in valid:
            raise ValidationError(_("Choose a status for a goal of the plans in force that year."))
        rows.append(
            DialogueGoalStatus(
                dialogue=dialogue, goal=goal, status=status, comment=comment.strip()[:500]
            )
        )
    DialogueGoalStatus.objects.bulk_create(rows)


def _answers(questions: list[str], answers: list[str]) -> list[dict[str, str]]:
    return [
        {"question": question, "answer": (answer or "").strip()}
        for question, answer in zip(questions, answers, strict=False)
    ]


@transaction.atomic
def dialogue_create(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    answers: list[str] | None = None,
    goal_statuses: Iterable[tuple[Goal, str, str]] | None = None,
) -> Dialogue:
    """Log the year's dialogue with a municipality: one per municipality and year.
    `answers` follow the template's questions; `goal_statuses` are (goal, status, comment)."""
    dialogue = Dialogue(agency=agency)
    _apply(dialogue, data)
    _check_dialogue(agency, dialogue)
    template = dialogue.template if dialogue.template_id else None
    questions = template.question_list if template is not None else []
    dialogue.answers = _answers(questions, answers or [])
    _save_dialogue(dialogue)
    _set_goal_statuses(dialogue, goal_statuses)
    _log(
        "plans.dialogue.created",
        actor=actor,
        agency=agency,
        target=dialogue,
        municipality=dialogue.municipality.name,
        year=dialogue.year,
    )
    return dialogue


@transaction.atomic
def dialogue_update(
    *,
    actor: Any,
    agency: Agency,
    dialogue: Dialogue,
    data: dict[str, Any],
    answers: list[str] | None = None,
    goal_statuses: Iterable[tuple[Goal, str, str]] | None = None,
) -> Dialogue:
    _own(agency, dialogue.agency_id)
    changed = _apply(dialogue, data)
    _check_dialogue(agency, dialogue)
    if answers is not None:
        template = dialogue.template if dialogue.template_id else None
        if template is not None:
            questions = template.question_list
        else:
            questions = [item.get("question", "") for item in dialogue.answers]
        new_answers = _answers(questions, answers)
        if new_answers != dialogue.answers:
            dialogue.answers = new_answers
            changed.append("answers")
    _save_dialogue(dialogue)
    _set_goal_statuses(dialogue, goal_statuses)
    _log(
        "plans.dialogue.updated",
        actor=actor,
        agency=agency,
        target=dialogue,
        municipality=dialogue.municipality.name,
        year=dialogue.year,
        fields=changed,
    )
    return dialogue


@transaction.atomic
def dialogue_delete(*, actor: Any, agency: Agency, dialogue: Dialogue) -> None:
    _own(agency, dialogue.agency_id)
    _log(
        "plans.dialogue.deleted",
        actor=actor,
        agency=agency,
        target=dialogue,
        municipality=dialogue.municipality.name,
        year=dialogue.year,
    )
    dialogue.delete()
