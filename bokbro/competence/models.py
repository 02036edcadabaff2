"""Surveys of library staff (needs surveys, competence mappings, course evaluations), the
agency's competence framework and its competence development plans.

Anonymity is held by the tables themselves: a `Response` of an anonymous survey has no column
that leads to an `Invitation` or a person (its `invitation` stays NULL, a CHECK constraint holds
it), it carries only the answer date, and the invitation keeps nothing but an `answered` flag.
The draft of a half-filled answer lives on its `Draft` row (deleted when the answer is sent), so
a resumed answer needs no link from the answer back to the invitation.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.directory.models import Agency, Library, Municipality, Person

LANGUAGES = ("nb", "nn", "sv", "en")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def pick(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the reader's language, else the first language that has one."""
    texts = texts or {}
    language = (language or get_language() or "nb")[:2]
    if texts.get(language):
        return texts[language]
    fallbacks = {"nn": ("nb",), "nb": ("nn",), "sv": ("nb", "en"), "en": ("nb", "sv")}
    for other in (*fallbacks.get(language, ()), *LANGUAGES):
        if texts.get(other):
            return texts[other]
    return ""


class CompetenceArea(models.Model):
    """One area of the agency's competence framework, with its five levels described in words."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="competence_areas")
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    # {"1": {"nb": "...", "en": "..."}, ..., "5": {...}}
    levels = models.JSONField(_("levels"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return pick(self.name)

    def level_text(self, level: int) -> str:
        return pick((self.levels or {}).get(str(level)))


class SurveyKind(models.TextChoices):
    NEEDS = "needs", _("Needs survey")
    MAPPING = "mapping", _("Competence mapping")
    EVALUATION = "evaluation", _("Course evaluation")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def of(self, agency: Agency) -> SurveyQuerySet:
        return self.filter(agency=agency)


class Survey(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(
        _("kind"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.NEEDS
    )
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("No answer can be tied to a person; small groups are not shown."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    open_link = models.BooleanField(
        _("open link"), default=False, help_text=_("Anyone with the link can answer.")
    )
    open_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    is_template = models.BooleanField(
        _("evaluation template"),
        default=False,
        help_text=_("Used as the built-in evaluation of events."),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waves",
        verbose_name=_("previous wave"),
    )
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="built_in_evaluation",
    )
    # The key of the results, pages and exports kept in the cache: bumped by every write that
    # changes what they show (services.survey_version_bump).
    version = models.PositiveIntegerField(default=0, editable=False)
    # When the links went out (an evaluation: after the event's last session); the one
    # reminder follows COMPETENCE_REMINDER_DAYS later.
    sent_on = models.DateField(null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return pick(self.title)

    @property
    def is_open(self) -> bool:
        if self.status != SurveyStatus.OPEN:
            return False
        return self.closes_on is None or self.closes_on >= timezone.localdate()


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.JSONField(_("title"), default=dict)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return pick(self.title)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT = "likert", _("Scale with a label per point")
    NUMBER = "number", _("Number")
    SHORT = "short", _("Short text")
    LONG = "long", _("Long text")
    MATRIX = "matrix", _("Competence matrix (areas x level 1–5)")


class QuestionAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MANAGERS = "managers", _("Library managers: the level needed")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Choices and Likert points: [{"nb": "...", "en": "..."}, ...]; the value is the position (1…).
    options = models.JSONField(_("options"), default=list, blank=True)
    minimum = models.IntegerField(_("lowest number"), null=True, blank=True)
    maximum = models.IntegerField(_("highest number"), null=True, blank=True)
    areas = models.ManyToManyField(
        CompetenceArea, blank=True, related_name="questions", verbose_name=_("areas")
    )
    audience = models.CharField(
        _("who answers"),
        max_length=10,
        choices=QuestionAudience.choices,
        default=QuestionAudience.EVERYONE,
    )
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("show only if the answer to"),
    )
    show_if_value = models.PositiveIntegerField(_("is the option number"), null=True, blank=True)
    # The question of the previous wave this one repeats (waves compared question by question).
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return pick(self.text)

    @property
    def scale(self) -> range:
        if self.kind == QuestionKind.MATRIX:
            return range(1, 6)
        return range(1, len(self.options) + 1)

    def option_labels(self) -> list[str]:
        return [pick(option) for option in self.options]


class Invitation(models.Model):
    """A personal link. In an anonymous survey it keeps only whether it was answered (no time),
    never which answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    library = models.ForeignKey(
        Library, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    language = models.CharField(max_length=5, default="nb")
    answered = models.BooleanField(default=False)
    reminded = models.BooleanField(default=False)
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_invitation",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"], name="competence_invitation_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class Draft(models.Model):
    """A half-filled answer, kept as the respondent goes; deleted when the answer is sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="draft"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    data = models.JSONField(default=dict)
    language = models.CharField(max_length=5, default="nb")
    role = models.CharField(max_length=20, blank=True)
    library = models.ForeignKey(
        Library, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft answer")
        verbose_name_plural = _("draft answers")

    def __str__(self) -> str:
        return f"draft {self.pk}"


class RespondentRole(models.TextChoices):
    STAFF = "staff", _("Library staff")
    MANAGER = "manager", _("Library manager")
    OTHER = "other", _("Other")


class Response(models.Model):
    """One sent answer. `invitation` only in a named survey; `submitted_on` is a date only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    anonymous = models.BooleanField(default=True)
    library = models.ForeignKey(
        Library, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=RespondentRole.choices, blank=True)
    language = models.CharField(max_length=5, default="nb")
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(invitation__isnull=True),
                name="competence_anonymous_response_has_no_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    """One value of a response: a chosen option or scale point (`number`), a number, a text, or
    one area of a matrix (`area`, `number` the level, `flag` the need for training)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey(
        CompetenceArea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.IntegerField(null=True, blank=True)
    # The answer form's limit for a long text (forms.py); a short text's is 200.
    text = models.TextField(
        blank=True,
        max_length=limits.NOTES_LENGTH,
        validators=[MaxLengthValidator(limits.NOTES_LENGTH)],
    )
    flag = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return f"answer {self.pk}"


# --- The competence development plan -----------------------------------------------------------


class Plan(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="competence_plans")
    title = models.CharField(_("title"), max_length=200)
    starts_year = models.PositiveIntegerField(_("from year"))
    ends_year = models.PositiveIntegerField(_("to year"))
    mapping = models.ForeignKey(
        Survey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("mapping"),
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal", blank=True, related_name="competence_plans", verbose_name=_("plan goals")
    )

    class Meta:
        verbose_name = _("competence development plan")
        verbose_name_plural = _("competence development plans")
        ordering = ["-starts_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__gte=models.F("starts_year")),
                name="competence_plan_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveIntegerField(_("priority"), default=1)
    goal = models.TextField(
        _("goal"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
    )
    gap = models.DecimalField(_("gap"), max_digits=4, decimal_places=2, null=True, blank=True)
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="competence_areas", verbose_name=_("events")
    )

    class Meta:
        verbose_name = _("prioritised area")
        verbose_name_plural = _("prioritised areas")
        ordering = ["priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "area"], name="competence_plan_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.area_id}"


def answer_texts_languages(survey: Survey) -> list[str]:
    return [lang for lang in LANGUAGES if lang in (survey.languages or [])] or ["nb"]
