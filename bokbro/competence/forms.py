"""Forms: the builder's (a text per language of the survey), the respondent's answer form built
from the questions, the invitation choice, the framework and the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bokbro.competence.models import (
    LANGUAGES,
    CompetenceArea,
    Plan,
    Question,
    QuestionAudience,
    QuestionKind,
    RespondentRole,
    Section,
    Survey,
    pick,
)
from bokbro.directory.models import Agency, Library, LibraryRoleKind, Municipality
from bokbro.networks.models import Network

LANGUAGE_NAMES = {
    "nb": _("Norwegian (bokmål)"),
    "nn": _("Norwegian (nynorsk)"),
    "sv": _("Swedish"),
    "en": _("English"),
}


def _texts(form: forms.BaseForm, prefix: str, languages: list[str]) -> dict[str, str]:
    return {
        lang: form.cleaned_data.get(f"{prefix}_{lang}", "").strip()
        for lang in languages
        if form.cleaned_data.get(f"{prefix}_{lang}", "").strip()
    }


def _add_text_fields(
    form: forms.BaseForm,
    prefix: str,
    label: Any,
    languages: list[str],
    initial: dict[str, str],
    *,
    required: bool = True,
    textarea: bool = False,
    max_length: int = 500,
) -> None:
    for index, lang in enumerate(languages):
        form.fields[f"{prefix}_{lang}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[lang]})",
            required=required and index == 0,
            max_length=max_length,
            initial=initial.get(lang, ""),
            widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
        )


class SurveyForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The respondent chooses among these. Write every text in each of them."),
    )

    class Meta:
        model = Survey
        fields = ["kind", "anonymous", "open_link", "closes_on", "is_template"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        languages = list(
            self.data.getlist("languages")
            if self.is_bound and hasattr(self.data, "getlist")
            else (instance.languages or ["nb"])
        )
        languages = [lang for lang in LANGUAGES if lang in languages] or ["nb"]
        self.fields["languages"].initial = instance.languages or ["nb"]
        _add_text_fields(self, "title", _("Title"), languages, instance.title or {}, max_length=200)
        _add_text_fields(
            self,
            "intro",
            _("Introduction"),
            languages,
            instance.intro or {},
            required=False,
            textarea=True,
            max_length=3000,
        )
        self.order_fields(
            ["languages", *[f"title_{lang}" for lang in languages]]
            + [f"intro_{lang}" for lang in languages]
        )

    def save(self, commit: bool = False) -> Survey:
        survey: Survey = super().save(commit=False)
        languages = [lang for lang in LANGUAGES if lang in self.cleaned_data["languages"]]
        survey.languages = languages
        survey.title = _texts(self, "title", languages)
        survey.intro = _texts(self, "intro", languages)
        return survey


class SectionForm(forms.Form):
    def __init__(self, *args: Any, survey: Survey, section: Section | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.survey = survey
        self.languages = survey.languages or ["nb"]
        _add_text_fields(
            self, "title", _("Section title"), self.languages, section.title if section else {}
        )

    def texts(self) -> dict[str, str]:
        return _texts(self, "title", self.languages)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    minimum = forms.IntegerField(label=_("Lowest number (numbers)"), required=False)
    maximum = forms.IntegerField(label=_("Highest number (numbers)"), required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Competence areas (matrix)"),
        queryset=CompetenceArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label=_("Who answers"),
        choices=QuestionAudience.choices,
        help_text=_("Managers' matrix: the level their staff need (the gap is measured to it)."),
    )
    show_if_question = forms.ModelChoiceField(
        label=_("Show only if the answer to"),
        queryset=Question.objects.none(),
        required=False,
    )
    show_if_value = forms.IntegerField(
        label=_("is the option number"), required=False, min_value=1, max_value=11
    )

    def __init__(
        self, *args: Any, survey: Survey, question: Question | None = None, **kw: Any
    ) -> None:
        if question is not None and "initial" not in kw:
            kw["initial"] = {
                "kind": question.kind,
                "section": question.section_id,
                "required": question.required,
                "minimum": question.minimum,
                "maximum": question.maximum,
                "areas": list(question.areas.all()),
                "audience": question.audience,
                "show_if_question": question.show_if_question_id,
                "show_if_value": question.show_if_value,
            }
        super().__init__(*args, **kw)
        self.survey = survey
        self.question = question
        self.languages = survey.languages or ["nb"]
        self.fields["section"].queryset = survey.sections.all()  # type: ignore[attr-defined]
        self.fields["areas"].queryset = CompetenceArea.objects.filter(  # type: ignore[attr-defined]
            agency_id=survey.agency_id
        )
        earlier = survey.questions.filter(kind__in=["single", "multiple", "likert"])
        if question is not None:
            earlier = earlier.exclude(pk=question.pk)
        self.fields["show_if_question"].queryset = earlier  # type: ignore[attr-defined]
        _add_text_fields(
            self, "text", _("Question"), self.languages, question.text if question else {}
        )
        for index, lang in enumerate(self.languages):
            self.fields[f"options_{lang}"] = forms.CharField(
                label=_("Options or scale labels, one a line (%(language)s)")
                % {"language": LANGUAGE_NAMES[lang]},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial="\n".join(
                    pick(option, lang) if index else option.get(lang, "")
                    for option in (question.options if question else [])
                ),
            )
        self.order_fields(
            ["kind", "section", *[f"text_{lang}" for lang in self.languages]]
            + [f"options_{lang}" for lang in self.languages]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = {
            lang: [line.strip() for line in (data.get(f"options_{lang}") or "").splitlines()]
            for lang in self.languages
        }
        lines = {lang: [line for line in values if line] for lang, values in lines.items()}
        counts = {len(values) for values in lines.values() if values}
        if len(counts) > 1:
            raise ValidationError(_("Give the same number of options in every language."))
        count = counts.pop() if counts else 0
        self.options = [
            {lang: lines[lang][i] for lang in self.languages if lines[lang]} for i in range(count)
        ]
        return data

    def build(self) -> Question:
        question = self.question or Question(survey=self.survey)
        data = self.cleaned_data
        question.kind = data["kind"]
        question.section = data["section"]
        question.text = _texts(self, "text", self.languages)
        question.required = data["required"]
        question.options = self.options if question.kind in ("single", "multiple", "likert") else []
        question.minimum = data["minimum"]
        question.maximum = data["maximum"]
        question.audience = data["audience"]
        question.show_if_question = data["show_if_question"]
        question.show_if_value = data["show_if_value"]
        return question


class InviteForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=LibraryRoleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every role."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("None chosen: the whole region."),
    )
    libraries = forms.ModelMultipleChoiceField(
        label=_("Libraries"),
        queryset=Library.objects.none(),
        required=False,
        help_text=_("None chosen: every library of the municipalities chosen."),
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the members of these networks. None chosen: in a network or not."),
    )

    def __init__(self, *args: Any, agency: Agency, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["networks"].queryset = Network.objects.filter(agency=agency).order_by(  # type: ignore[attr-defined]
            "name"
        )
        counties = agency.counties.all()
        self.fields["municipalities"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            county__in=counties
        ).order_by("name")
        self.fields["libraries"].queryset = Library.objects.filter(  # type: ignore[attr-defined]
            municipality__county__in=counties, is_active=True
        ).order_by("name")


class AreaForm(forms.Form):
    def __init__(self, *args: Any, agency: Agency, area: CompetenceArea | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.languages = [agency.language if agency.language in LANGUAGES else "nb", "en"]
        _add_text_fields(self, "name", _("Name"), self.languages, area.name if area else {})
        for level in range(1, 6):
            _add_text_fields(
                self,
                f"level{level}",
                _("Level %(level)s in words") % {"level": level},
                self.languages,
                (area.levels or {}).get(str(level), {}) if area else {},
                required=False,
                max_length=500,
            )

    def apply(self, area: CompetenceArea) -> CompetenceArea:
        area.name = _texts(self, "name", self.languages)
        area.levels = {
            str(level): _texts(self, f"level{level}", self.languages) for level in range(1, 6)
        }
        return area


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "starts_year", "ends_year", "mapping"]

    def __init__(self, *args: Any, agency: Agency, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["mapping"].queryset = Survey.objects.filter(  # type: ignore[attr-defined]
            agency=agency, event__isnull=True, is_template=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_year"), data.get("ends_year")
        if start and end and end < start:
            self.add_error("ends_year", _("The plan cannot end before it starts."))
        return data


class EvaluationForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Evaluation template"), queryset=Survey.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["template"].queryset = Survey.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_template=True
        )


# --- Answering --------------------------------------------------------------------------------


def field_name(question: Question, area_id: int | None = None, need: bool = False) -> str:
    if area_id is None:
        return f"q{question.pk}"
    return f"q{question.pk}_{'n' if need else 'a'}{area_id}"


class AnswerForm(forms.Form):
    """The respondent's form for the questions shown to them. `data` is the draft merged with
    what was posted. On sending, required questions are checked; on saving a draft, only the
    values' shape (a number outside a scale is refused either way)."""

    def __init__(
        self,
        data: dict[str, Any] | None,
        *,
        questions: list[Question],
        language: str,
        ask_role: bool = False,
        sending: bool = False,
    ) -> None:
        super().__init__(data)
        self.questions = questions
        self.language = language
        self.sending = sending
        if ask_role:
            self.fields["role"] = forms.ChoiceField(
                label=_("Your role"), choices=RespondentRole.choices, required=sending
            )
        for question in questions:
            self._add(question)

    def _label(self, question: Question) -> str:
        return pick(question.text, self.language)

    def _add(self, question: Question) -> None:
        label = self._label(question)
        required = question.required and self.sending and self.shown(question)
        help_text = pick(question.help, self.language)
        name = field_name(question)
        labels = [pick(option, self.language) for option in question.options]
        if question.kind in (QuestionKind.SINGLE, QuestionKind.LIKERT):
            choices = [
                (str(i), f"{i} – {text}" if question.kind == QuestionKind.LIKERT else text)
                for i, text in enumerate(labels, start=1)
            ]
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                widget=forms.RadioSelect,
                help_text=help_text,
            )
        elif question.kind == QuestionKind.MULTIPLE:
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=[(str(i), text) for i, text in enumerate(labels, start=1)],
                required=required,
                widget=forms.CheckboxSelectMultiple,
                help_text=help_text,
            )
        elif question.kind == QuestionKind.NUMBER:
            self.fields[name] = forms.IntegerField(
                label=label,
                required=required,
                min_value=question.minimum,
                max_value=question.maximum,
                help_text=help_text,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        elif question.kind in (QuestionKind.SHORT, QuestionKind.LONG):
            self.fields[name] = forms.CharField(
                label=label,
                required=required,
                max_length=200 if question.kind == QuestionKind.SHORT else 5000,
                help_text=help_text,
                widget=(
                    forms.Textarea(attrs={"rows": 4})
                    if question.kind == QuestionKind.LONG
                    else forms.TextInput
                ),
            )
        elif question.kind == QuestionKind.MATRIX:
            for area in question.areas.all():
                area_name = pick(area.name, self.language)
                self.fields[field_name(question, area.pk)] = forms.ChoiceField(
                    label=area_name,
                    choices=[
                        (str(level), f"{level} – {area.level_text(level)}".rstrip(" –"))
                        for level in range(1, 6)
                    ],
                    required=required,
                    widget=forms.RadioSelect,
                )
                self.fields[field_name(question, area.pk, need=True)] = forms.BooleanField(
                    label=_("I need training in %(area)s") % {"area": area_name}, required=False
                )

    def shown(self, question: Question) -> bool:
        """Whether the earlier answer the question depends on has the chosen option."""
        condition = question.show_if_question_id
        if condition is None:
            return True
        raw = (self.data or {}).get(f"q{condition}")
        values = raw if isinstance(raw, list) else [raw]
        if hasattr(self.data, "getlist"):
            values = self.data.getlist(f"q{condition}")
        return str(question.show_if_value) in [str(v) for v in values if v not in (None, "")]

    def values(self) -> list[tuple[Question, Any]]:
        """The cleaned answers of the questions shown, for the service."""
        result: list[tuple[Question, Any]] = []
        for question in self.questions:
            if not self.shown(question):
                continue
            if question.kind == QuestionKind.MATRIX:
                levels = {}
                for area in question.areas.all():
                    level = self.cleaned_data.get(field_name(question, area.pk))
                    need = bool(self.cleaned_data.get(field_name(question, area.pk, True)))
                    levels[area.pk] = (int(level) if level else None, need)
                result.append((question, levels))
            else:
                result.append((question, self.cleaned_data.get(field_name(question))))
        return result

    def raw(self) -> dict[str, Any]:
        """What was posted for these fields, kept in the draft (valid or not)."""
        kept: dict[str, Any] = {}
        source = self.data
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField) and hasattr(source, "getlist"):
                kept[name] = source.getlist(name)
            elif isinstance(field, forms.BooleanField):
                kept[name] = bool(source.get(name))
            else:
                kept[name] = source.get(name, "")
        return kept
