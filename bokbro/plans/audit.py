"""What staff read in histories and the audit log for each action code the plans services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "plans.plan.created": _("Plan created"),
    "plans.plan.updated": _("Plan changed"),
    "plans.plan.published": _("Plan shown on the public plan page"),
    "plans.plan.hidden": _("Plan taken off the public plan page"),
    "plans.plan.deleted": _("Plan deleted"),
    "plans.focus_area.created": _("Focus area added"),
    "plans.focus_area.updated": _("Focus area changed"),
    "plans.focus_area.deleted": _("Focus area deleted"),
    "plans.goal.created": _("Goal added"),
    "plans.goal.updated": _("Goal changed"),
    "plans.goal.deleted": _("Goal deleted"),
    "plans.strategy.created": _("Strategy added"),
    "plans.strategy.updated": _("Strategy changed"),
    "plans.strategy.deleted": _("Strategy deleted"),
    "plans.action.created": _("Measure added to the action plan"),
    "plans.action.updated": _("Measure in the action plan changed"),
    "plans.action.deleted": _("Measure deleted from the action plan"),
    "plans.indicator.created": _("Indicator added"),
    "plans.indicator.updated": _("Indicator changed"),
    "plans.indicator.deleted": _("Indicator deleted"),
    "plans.indicator_value.set": _("Indicator value entered"),
    "plans.indicator_value.deleted": _("Indicator value deleted"),
    "plans.municipal_plan.created": _("Municipal library plan registered"),
    "plans.municipal_plan.updated": _("Municipal library plan changed"),
    "plans.municipal_plan.deleted": _("Municipal library plan deleted"),
    "plans.municipal_plan.reminded": _("Reminder sent: a municipal library plan expires soon"),
    "plans.dialogue_template.created": _("Dialogue template added"),
    "plans.dialogue_template.updated": _("Dialogue template changed"),
    "plans.dialogue_template.deleted": _("Dialogue template deleted"),
    "plans.dialogue.created": _("Annual dialogue logged"),
    "plans.dialogue.updated": _("Annual dialogue changed"),
    "plans.dialogue.deleted": _("Annual dialogue deleted"),
}
