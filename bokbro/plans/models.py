"""The agency's plan and its goals, the municipalities' library plans, and annual dialogues.

A plan (regional library plan, culture strategy) is a tree: focus areas (satsingsområde /
fokusområde) → goals (delmål) → strategies, with a rolling action plan of measures
(handlingsplan) and indicators per goal. Other modules tag their activities with goals
(`plan_goals = ManyToManyField("plans.Goal")`) and tell the annual report about them through
their `report_sources` (bokbro.core.sources); this module never imports them.

Size: one schema read together (the plan tree, municipal plans, dialogues); each model is
short, and most of the length is the database's range checks.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokbro.core import limits
from bokbro.core.limits import text_field
from bokbro.directory.models import Agency, Municipality, TeamMember

PLAN_YEAR = limits.year(limits.PLAN_YEARS[0])
PLAN_DAY = limits.in_years(limits.PLAN_YEARS[0])
PERIOD_RANGES = {
    "starts_year": limits.PLAN_YEARS,
    "ends_year": limits.PLAN_YEARS,
    "adopted_on": limits.PLAN_DAYS,
}
ORDER = limits.between(*limits.ORDER)
FIGURE = limits.between(*limits.FIGURES)


class PlanKind(models.TextChoices):
    REGIONAL_LIBRARY_PLAN = "library", _("Regional library plan")
    CULTURE_STRATEGY = "culture", _("Culture strategy")
    OTHER = "other", _("Other plan or strategy")


class PlanQuerySet(models.QuerySet["Plan"]):
    def of(self, agency: Agency | None) -> PlanQuerySet:
        if agency is None:
            return self.none()
        return self.filter(agency=agency)

    def in_force(self, year: int) -> PlanQuerySet:
        return self.filter(
            Q(ends_year__isnull=True) | Q(ends_year__gte=year), starts_year__lte=year
        )


class Plan(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="plans", verbose_name=_("agency")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=10, choices=PlanKind.choices, default=PlanKind.REGIONAL_LIBRARY_PLAN
    )
    starts_year = models.PositiveSmallIntegerField(_("first year"), validators=PLAN_YEAR)
    ends_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=PLAN_YEAR,
        help_text=_("Leave empty if the plan has no end."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, validators=PLAN_DAY)
    adopted_by = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("E.g. the county council.")
    )
    url = models.URLField(_("link to the plan"), blank=True)
    document = models.FileField(_("the plan as a file"), upload_to="plans/%Y/", blank=True)
    summary = text_field(
        _("summary"), limits.DESCRIPTION_LENGTH, blank=True, help_text=_("Markdown.")
    )
    is_published = models.BooleanField(_("show on the public plan page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-starts_year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__isnull=True) | Q(ends_year__gte=models.F("starts_year")),
                name="plan_period_in_order",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
            limits.within("plan_in_range", **PERIOD_RANGES),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.starts_year}–{self.ends_year or ''}"

    @property
    def title_with_period(self) -> str:
        """The title, with the period after it unless the title already says it."""
        return self.title if self.period in self.title else f"{self.title} ({self.period})"

    def covers(self, year: int) -> bool:
        return self.starts_year <= year and (self.ends_year is None or year <= self.ends_year)


class FocusArea(models.Model):
    """A focus area / strategic direction (satsingsområde, fokusområde)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.CharField(_("number"), max_length=10, blank=True, help_text=_("E.g. 1 or A."))
    title = models.CharField(_("title"), max_length=200)
    description = text_field(_("description"), limits.DESCRIPTION_LENGTH, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["order", "code", "pk"]
        constraints = [limits.within("plan_focus_area_in_range", order=limits.ORDER)]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class GoalQuerySet(models.QuerySet["Goal"]):
    def of(self, agency: Agency | None) -> GoalQuerySet:
        if agency is None:
            return self.none()
        return self.filter(plan__agency=agency)

    def for_choices(self, agency: Agency | None) -> GoalQuerySet:
        """The goals an activity of the agency can be tagged with: those of its plans."""
        return (
            self.of(agency)
            .select_related("plan", "focus_area")
            .order_by("-plan__starts_year", "plan_id", "focus_area__order", "order", "code", "pk")
        )


class Goal(models.Model):
    """A goal / sub-goal (delmål) under a focus area; activities are tagged with goals."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("number"), max_length=10, blank=True, help_text=_("E.g. 1.2."))
    title = models.CharField(_("title"), max_length=300)
    description = text_field(_("description"), limits.DESCRIPTION_LENGTH, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["focus_area__order", "order", "code", "pk"]
        constraints = [limits.within("plan_goal_in_range", order=limits.ORDER)]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def label_with_plan(self) -> str:
        return f"{self.plan.title}: {self}"


class Strategy(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("title"), max_length=300)
    description = text_field(_("description"), limits.DESCRIPTION_LENGTH, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["order", "pk"]
        constraints = [limits.within("plan_strategy_in_range", order=limits.ORDER)]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    STOPPED = "stopped", pgettext_lazy("measure", "Stopped")


class Action(models.Model):
    """A measure of the rolling action plan (handlingsplan): who, which year, how far."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("strategy"),
    )
    title = models.CharField(_("measure"), max_length=300)
    description = text_field(_("description"), limits.DESCRIPTION_LENGTH, blank=True)
    responsible = models.ForeignKey(
        TeamMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("responsible"),
    )
    responsible_text = models.CharField(
        _("responsible (other)"),
        max_length=200,
        blank=True,
        help_text=_("A partner or person outside the agency."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=PLAN_YEAR)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_note = text_field(_("status note"), limits.NOTES_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measure in the action plan")
        verbose_name_plural = _("action plan")
        ordering = ["year", "goal__focus_area__order", "goal__order", "pk"]
        constraints = [limits.within("plan_action_in_range", year=limits.PLAN_YEARS)]

    def __str__(self) -> str:
        return self.title


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand each year")
    COMPUTED = "computed", _("Computed from Bokbro's data")


class Indicator(models.Model):
    """A number followed per year for a goal, with a target (e.g. share of municipalities with
    a current library plan, 100 %)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("E.g. %, courses."))
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True, validators=FIGURE
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    source = models.CharField(
        _("source"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    metric = models.CharField(
        _("computed figure"),
        max_length=60,
        blank=True,
        help_text=_("For computed indicators: which of Bokbro's figures."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "pk"]
        constraints = [
            limits.within("plan_indicator_in_range", order=limits.ORDER, target=limits.FIGURES)
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_value(self) -> IndicatorValue | None:
        """The value of the latest year entered (uses prefetched values)."""
        values = sorted(self.values.all(), key=lambda value: value.year)
        return values[-1] if values else None


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"), validators=PLAN_YEAR)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=FIGURE)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_per_year"),
            limits.within("indicator_value_in_range", year=limits.PLAN_YEARS, value=limits.FIGURES),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


# --- Municipal library plans (bibliotekplan / biblioteksplan) ----------------------------------


class MunicipalPlanStatus(models.TextChoices):
    """KB's rule: a plan is current if it covers the year, or expired at most two years ago."""

    CURRENT = "current", _("Current")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


def kb_status(starts_year: int | None, ends_year: int | None, year: int) -> str:
    """The status of one municipal plan in `year` under KB's rule (open-ended plans stay
    current once in force; a plan that has not yet started does not count)."""
    if starts_year is None or starts_year > year:
        return MunicipalPlanStatus.MISSING
    if ends_year is None or ends_year >= year - 2:
        return MunicipalPlanStatus.CURRENT
    return MunicipalPlanStatus.EXPIRED


class MunicipalPlanQuerySet(models.QuerySet["MunicipalPlan"]):
    def of(self, agency: Agency | None) -> MunicipalPlanQuerySet:
        if agency is None:
            return self.none()
        return self.filter(agency=agency)


class MunicipalPlan(models.Model):
    """A municipality's library plan, as the agency registers it."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="municipal_plans", verbose_name=_("agency")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="library_plans",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_year = models.PositiveSmallIntegerField(_("first year"), validators=PLAN_YEAR)
    ends_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=PLAN_YEAR,
        help_text=_("Leave empty if the plan has no end."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, validators=PLAN_DAY)
    adopted_by = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("E.g. the municipal council.")
    )
    url = models.URLField(_("link to the plan"), blank=True)
    document = models.FileField(
        _("the plan as a file"), upload_to="municipal-plans/%Y/", blank=True
    )
    covers_school_libraries = models.BooleanField(_("covers the school libraries"), default=False)
    notes = text_field(_("notes"), limits.NOTES_LENGTH, blank=True)
    reminded_for_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MunicipalPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal library plan")
        verbose_name_plural = _("municipal library plans")
        ordering = ["municipality__name", "-starts_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__isnull=True) | Q(ends_year__gte=models.F("starts_year")),
                name="municipal_plan_period_in_order",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
            limits.within("municipal_plan_in_range", **PERIOD_RANGES),
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, year: int | None = None) -> str:
        return kb_status(self.starts_year, self.ends_year, year or date.today().year)


# --- Annual dialogue with each municipality -----------------------------------------------------


class DialogueTemplate(models.Model):
    """The questions the agency goes through in every annual dialogue."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="dialogue_templates")
    title = models.CharField(_("title"), max_length=200)
    questions = text_field(
        _("questions"), limits.NOTES_LENGTH, help_text=_("One question per line.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("dialogue template")
        verbose_name_plural = _("dialogue templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Dialogue(models.Model):
    """The annual dialogue (årlig dialogmøte / årlig dialog) with one municipality."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dialogues")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="plan_dialogues",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=PLAN_YEAR)
    date = models.DateField(_("date"), validators=PLAN_DAY)
    template = models.ForeignKey(
        DialogueTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("template"),
    )
    participants = text_field(_("who took part"), limits.SUMMARY_LENGTH, blank=True)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    summary = text_field(
        _("summary"),
        limits.SUMMARY_LENGTH,
        blank=True,
        help_text=_("The municipality's library managers see this."),
    )
    internal_notes = text_field(
        _("internal notes"),
        limits.NOTES_LENGTH,
        blank=True,
        help_text=_("Only the agency's staff see these notes, never the municipality."),
    )
    hours = models.DecimalField(
        _("time spent (hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.between(*limits.HOURS_SPENT),
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_dialogues",
        verbose_name=_("consultant"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("annual dialogue")
        verbose_name_plural = _("annual dialogues")
        ordering = ["-year", "municipality__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "municipality", "year"], name="one_dialogue_per_year"
            ),
            limits.within(
                "dialogue_in_range",
                year=limits.PLAN_YEARS,
                date=limits.PLAN_DAYS,
                hours=limits.HOURS_SPENT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class GoalProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    REACHED = "reached", _("Reached")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class DialogueGoalStatus(models.Model):
    """Where the municipality stands on one regional goal, as agreed in the dialogue."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="goal_statuses")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="dialogue_statuses")
    status = models.CharField(_("status"), max_length=12, choices=GoalProgress.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("status per goal")
        verbose_name_plural = _("status per goal")
        ordering = ["goal__focus_area__order", "goal__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "goal"], name="one_status_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_status_display()}"
