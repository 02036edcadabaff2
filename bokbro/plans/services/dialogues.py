"""Annual dialogues with the municipalities, and the agency's templates for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Municipality, TeamMember
from bokbro.plans.models import (
    Dialogue,
    DialogueGoalStatus,
    DialogueTemplate,
    Goal,
    GoalProgress,
    Plan,
)
from bokbro.plans.services.common import (
    apply_changes,
    check_municipality,
    check_own,
    log_action,
    values_of,
)


@dataclass(frozen=True, kw_only=True)
class DialogueTemplateFields:
    """A template for the annual dialogues (the defaults are the model's)."""

    title: str
    questions: str  # one question a line
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class DialogueFields:
    """An annual dialogue as the staff's form gives it, without its answers and goal statuses
    (the defaults are the model's)."""

    municipality: Municipality
    year: int
    date: dt.date
    template: DialogueTemplate | None = None
    participants: str = ""
    consultant: Actor | None = None
    hours: Decimal | None = None
    summary: str = ""
    internal_notes: str = ""


@transaction.atomic
def dialogue_template_create(
    *, actor: Actor | None, agency: Agency, fields: DialogueTemplateFields
) -> DialogueTemplate:
    template = DialogueTemplate(agency=agency)
    apply_changes(template, values_of(fields))
    template.full_clean()
    template.save()
    log_action(
        "plans.dialogue_template.created",
        actor=actor,
        agency=agency,
        target=template,
        title=template.title,
    )
    return template


@transaction.atomic
def dialogue_template_update(
    *, actor: Actor, agency: Agency, template: DialogueTemplate, fields: DialogueTemplateFields
) -> DialogueTemplate:
    check_own(agency, template.agency_id)
    changed = apply_changes(template, values_of(fields))
    if changed:
        template.full_clean()
        template.save()
        log_action(
            "plans.dialogue_template.updated",
            actor=actor,
            agency=agency,
            target=template,
            title=template.title,
            fields=changed,
        )
    return template


@transaction.atomic
def dialogue_template_delete(*, actor: Actor, agency: Agency, template: DialogueTemplate) -> None:
    """Dialogues logged with it keep their answers (each answer holds its question)."""
    check_own(agency, template.agency_id)
    log_action(
        "plans.dialogue_template.deleted",
        actor=actor,
        agency=agency,
        target=template,
        title=template.title,
    )
    template.delete()


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
    check_municipality(agency, dialogue.municipality if dialogue.municipality_id else None)
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
    actor: Actor | None,
    agency: Agency,
    fields: DialogueFields,
    answers: list[str] | None = None,
    goal_statuses: Iterable[tuple[Goal, str, str]] | None = None,
) -> Dialogue:
    """Log the year's dialogue with a municipality: one per municipality and year.
    `answers` follow the template's questions; `goal_statuses` are (goal, status, comment)."""
    dialogue = Dialogue(agency=agency)
    apply_changes(dialogue, values_of(fields))
    _check_dialogue(agency, dialogue)
    template = dialogue.template if dialogue.template_id else None
    questions = template.question_list if template is not None else []
    dialogue.answers = _answers(questions, answers or [])
    _save_dialogue(dialogue)
    _set_goal_statuses(dialogue, goal_statuses)
    log_action(
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
    actor: Actor,
    agency: Agency,
    dialogue: Dialogue,
    fields: DialogueFields,
    answers: list[str] | None = None,
    goal_statuses: Iterable[tuple[Goal, str, str]] | None = None,
) -> Dialogue:
    check_own(agency, dialogue.agency_id)
    changed = apply_changes(dialogue, values_of(fields))
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
    log_action(
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
def dialogue_delete(*, actor: Actor, agency: Agency, dialogue: Dialogue) -> None:
    check_own(agency, dialogue.agency_id)
    log_action(
        "plans.dialogue.deleted",
        actor=actor,
        agency=agency,
        target=dialogue,
        municipality=dialogue.municipality.name,
        year=dialogue.year,
    )
    dialogue.delete()
