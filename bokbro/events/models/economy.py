"""The event's economy: cost and income lines, with who pays."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.events.models.events import Event


class BudgetKind(models.TextChoices):
    COST = "cost", _("Cost")
    INCOME = "income", _("Income")


class BudgetCategory(models.TextChoices):
    SPEAKER_FEE = "speaker_fee", _("Speaker fee")
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MATERIALS = "materials", _("Materials")
    PARTICIPANT_FEES = "participant_fees", _("Participant fees")
    GRANT = "grant", _("Grant")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    AGENCY = "agency", _("The agency")
    MUNICIPALITY = "municipality", _("The participant's municipality")
    PARTICIPANT = "participant", _("The participant")
    OTHER = "other", _("Someone else")


class BudgetLine(models.Model):
    """One cost or income of an event, with who pays it. `is_estimate` marks a budgeted figure
    not yet confirmed by an invoice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("cost or income"), max_length=10, choices=BudgetKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=10,
        decimal_places=2,
        validators=limits.between(*limits.AMOUNTS),
    )
    payer = models.CharField(_("who pays"), max_length=20, choices=Payer.choices)
    is_estimate = models.BooleanField(
        _("estimate"), default=False, help_text=_("Tick while the amount is not yet final.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["kind", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_not_negative"
            ),
            limits.within("budget_line_amount_in_range", amount=limits.AMOUNTS),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"
