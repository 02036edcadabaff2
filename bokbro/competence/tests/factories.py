"""Surveys for the tests: a small mapping with every kind of question, and answers made
through the services (as a respondent would send them)."""

from __future__ import annotations

from typing import Any

from bokbro.competence import services
from bokbro.competence.models import (
    CompetenceArea,
    Question,
    QuestionAudience,
    QuestionKind,
    Section,
    Survey,
    SurveyKind,
)

LIKERT = [
    {"nb": t, "en": e}
    for t, e in [
        ("Svært dårlig", "Very poor"),
        ("Dårlig", "Poor"),
        ("Middels", "Fair"),
        ("Bra", "Good"),
        ("Svært bra", "Very good"),
    ]
]


def make_area(world: Any, name: str = "Digital kompetanse", order: int = 1) -> CompetenceArea:
    return CompetenceArea.objects.create(
        agency=world.agency,
        name={"nb": name, "en": name},
        levels={str(n): {"nb": f"Nivå {n}"} for n in range(1, 6)},
        order=order,
    )


def make_survey(world: Any, *, anonymous: bool = True, open_: bool = True, **kw: Any) -> Any:
    """A mapping: a section; single choice (role), multiple, Likert, number, short text shown
    only to those who chose option 2 of the first, long text, a matrix over two areas, and a
    managers' matrix (the level needed)."""
    survey: Any = Survey.objects.create(
        agency=world.agency,
        kind=SurveyKind.MAPPING,
        title={"nb": "Kompetansekartlegging 2026", "en": "Competence mapping 2026"},
        languages=["nb", "nn", "sv", "en"],
        anonymous=anonymous,
        **kw,
    )
    section = Section.objects.create(survey=survey, title={"nb": "Om deg", "en": "About you"})
    areas = [make_area(world, "Digital kompetanse", 1), make_area(world, "Lesefremming", 2)]
    common = {"actor": world.consultant, "agency": world.agency}

    def add(kind: str, text: str, **fields: Any) -> Question:
        area_list = fields.pop("areas", None)
        return services.question_save(
            question=Question(
                survey=survey, section=section, kind=kind, text={"nb": text, "en": text}, **fields
            ),
            areas=area_list,
            **common,
        )

    survey.q_single = add(
        QuestionKind.SINGLE,
        "Arbeider du med barn?",
        options=[{"nb": "Nei", "en": "No"}, {"nb": "Ja", "en": "Yes"}],
        required=True,
    )
    survey.q_multiple = add(
        QuestionKind.MULTIPLE,
        "Hvilke kurs har du tatt?",
        options=[{"nb": "Digitalt"}, {"nb": "Formidling"}, {"nb": "Lesing"}],
    )
    survey.q_likert = add(QuestionKind.LIKERT, "Hvor fornøyd er du?", options=LIKERT, required=True)
    survey.q_number = add(
        QuestionKind.NUMBER, "Hvor mange år har du jobbet i bibliotek?", minimum=0, maximum=60
    )
    survey.q_children = add(
        QuestionKind.SHORT,
        "Hvilke aldersgrupper?",
        show_if_question=survey.q_single,
        show_if_value=2,
        required=True,
    )
    survey.q_long = add(QuestionKind.LONG, "Hva savner du?")
    survey.q_matrix = add(QuestionKind.MATRIX, "Din kompetanse", areas=areas)
    survey.q_needed = add(
        QuestionKind.MATRIX,
        "Nivået de ansatte trenger",
        areas=areas,
        audience=QuestionAudience.MANAGERS,
    )
    survey.areas = areas
    if open_:
        services.survey_open(actor=world.consultant, agency=world.agency, survey=survey)
    return survey


def answer_post(survey: Any, **overrides: Any) -> dict[str, Any]:
    """A complete answer as the answer page posts it."""
    a, b = survey.areas
    data = {
        f"q{survey.q_single.pk}": "2",
        f"q{survey.q_multiple.pk}": ["1", "3"],
        f"q{survey.q_likert.pk}": "4",
        f"q{survey.q_number.pk}": "12",
        f"q{survey.q_children.pk}": "0–5 år",
        f"q{survey.q_long.pk}": "Mer om språk",
        f"q{survey.q_matrix.pk}_a{a.pk}": "2",
        f"q{survey.q_matrix.pk}_n{a.pk}": "on",
        f"q{survey.q_matrix.pk}_a{b.pk}": "4",
        "action": "send",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(survey: Any, *, library: Any = None, role: str = "staff", **overrides: Any) -> Any:
    """Send one answer as a respondent of the open link would (the form, then the service)."""
    from django.utils.datastructures import MultiValueDict

    from bokbro.competence.forms import AnswerForm
    from bokbro.competence.models import Draft
    from bokbro.competence.selectors import questions_for

    data = answer_post(survey, **overrides)
    data.pop("action", None)
    questions = questions_for(survey, role=role)
    form = AnswerForm(
        MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
        questions=questions,
        language="nb",
        sending=True,
    )
    assert form.is_valid(), form.errors
    draft = Draft.objects.create(survey=survey, library=library, role=role)
    return services.response_submit(draft=draft, values=form.values(), role=role)
