"""Demo competence work, loaded by `manage.py load_demo` after the directory and events demos.
Idempotent: areas are found by name, surveys by title, the course by its title.

For each agency: the competence framework (seed 002's areas plus three of the agency's own, each
with five levels in words), one completed (closed) anonymous mapping answered by the demo
library people and by 40 more staff of the region's libraries through the open link, a
competence development plan built from its three biggest gaps, and an evaluated course that
ended a month ago (an evaluation template, attendance, and the attendees' answers).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from bokbro.competence import services
from bokbro.competence.forms import AnswerForm
from bokbro.competence.models import (
    CompetenceArea,
    Draft,
    Plan,
    PlanArea,
    Question,
    QuestionAudience,
    Section,
    Survey,
    SurveyKind,
)
from bokbro.competence.selectors import gaps, questions_for
from bokbro.directory.models import Agency, AgencyRole, Library, LibraryKind

# (nb, sv, mean own level, level managers need)
AREAS = [
    ("Samarbeid og partnerskap", "Samarbete och partnerskap", 3.2, 4),
    ("Politiske prosesser", "Politiska processer", 2.1, 4),
    ("Ressursdeling", "Resursdelning", 3.0, 3),
    ("Biblioteket som samfunnsaktør", "Biblioteket som samhällsaktör", 2.8, 4),
    ("Digital kompetanse", "Digital kompetens", 2.5, 5),
    ("Lesefremming", "Läsfrämjande", 3.6, 4),
    ("Formidling til barn og unge", "Förmedling till barn och unga", 3.3, 4),
]
LEVELS = {
    "nb": [
        "Kjenner lite til",
        "Kjenner til",
        "Kan bruke med støtte",
        "Kan selvstendig",
        "Kan lære bort",
    ],
    "sv": ["Känner till lite", "Känner till", "Kan med stöd", "Kan självständigt", "Kan lära ut"],
}
COMMENTS = {
    "nb": [
        "Mer om hvordan vi når politikerne i kommunen.",
        "Kurs i digitale verktøy for veiledning av publikum.",
        "Erfaringsdeling med andre bibliotek i fylket.",
        "Lesesirkler for voksne, gjerne med praktiske eksempler.",
    ],
    "sv": [
        "Mer om hur vi når politikerna i kommunen.",
        "Kurs i digitala verktyg för att vägleda besökare.",
        "Erfarenhetsutbyte med andra bibliotek i länet.",
        "Läsecirklar för vuxna, gärna med praktiska exempel.",
    ],
}
COURSE = {"NO": "Digital veiledning i biblioteket", "SE": "Digital vägledning på biblioteket"}


def load() -> list[str]:
    lines = []
    for agency in Agency.objects.order_by("pk"):
        actor = agency.team.filter(role=AgencyRole.CONSULTANT).first()
        if actor is None or not agency.counties.exists():
            continue
        user = _user(actor.email)
        lang = "sv" if agency.country == "SE" else "nb"
        areas = _framework(agency, lang)
        mapping = _mapping(agency, user, areas, lang)
        _plan(agency, user, mapping, lang)
        _evaluated_course(agency, user, lang)
        lines.append(
            f"competence: {agency.slug}: {len(areas)} areas, a mapping with "
            f"{mapping.responses.count()} answers, a plan, an evaluated course"
        )
    return lines


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=email).first()


def _framework(agency: Agency, lang: str) -> list[CompetenceArea]:
    found = []
    for order, (nb, sv, _mean, _need) in enumerate(AREAS, start=1):
        name = sv if lang == "sv" else nb
        area = next(
            (a for a in CompetenceArea.objects.filter(agency=agency) if a.name.get(lang) == name),
            None,
        )
        if area is None:
            area = services.area_save(
                actor=None,
                agency=agency,
                area=CompetenceArea(
                    name={lang: name},
                    levels={str(n + 1): {lang: text} for n, text in enumerate(LEVELS[lang])},
                    order=order,
                ),
            )
        found.append(area)
    return found


def _texts(lang: str, nb: str, sv: str) -> dict[str, str]:
    return {lang: sv if lang == "sv" else nb}


# Size: the questions of the demo mapping, written out one after another.
def _mapping(agency: Agency, user: Any, areas: list[CompetenceArea], lang: str) -> Survey:
    year = timezone.localdate().year
    title = _texts(lang, f"Kompetansekartlegging {year}", f"Kompetenskartläggning {year}")
    survey = next(
        (
            s
            for s in Survey.objects.filter(agency=agency, kind=SurveyKind.MAPPING)
            if s.title == title
        ),
        None,
    )
    if survey is not None:
        return survey
    survey = services.survey_save(
        actor=user,
        agency=agency,
        survey=Survey(
            kind=SurveyKind.MAPPING,
            title=title,
            intro=_texts(
                lang,
                "Vi kartlegger kompetansebehovene i bibliotekene for å planlegge kurs.",
                "Vi kartlägger kompetensbehoven på biblioteken för att planera kurser.",
            ),
            languages=[lang],
            anonymous=True,
            open_link=True,
        ),
    )
    section = services.section_save(
        actor=user,
        agency=agency,
        section=Section(survey=survey, title=_texts(lang, "Om deg", "Om dig")),
    )
    common = {"actor": user, "agency": agency}
    scale = [
        _texts(lang, nb, sv)
        for nb, sv in [
            ("Svært lite", "Mycket lite"),
            ("Lite", "Lite"),
            ("Noe", "Något"),
            ("Mye", "Mycket"),
            ("Svært mye", "Väldigt mycket"),
        ]
    ]
    services.question_save(
        question=Question(
            survey=survey,
            section=section,
            kind="number",
            text=_texts(
                lang,
                "Hvor mange år har du arbeidet i bibliotek?",
                "Hur många år har du arbetat på bibliotek?",
            ),
            minimum=0,
            maximum=50,
        ),
        **common,
    )
    services.question_save(
        question=Question(
            survey=survey,
            section=section,
            kind="likert",
            text=_texts(
                lang,
                "Hvor mye tid får du til kompetanseutvikling?",
                "Hur mycket tid får du till kompetensutveckling?",
            ),
            options=scale,
            required=True,
        ),
        **common,
    )
    services.question_save(
        question=Question(
            survey=survey,
            section=section,
            kind="matrix",
            text=_texts(lang, "Din egen kompetanse", "Din egen kompetens"),
            required=True,
        ),
        areas=areas,
        **common,
    )
    services.question_save(
        question=Question(
            survey=survey,
            section=section,
            kind="matrix",
            text=_texts(lang, "Nivået de ansatte trenger", "Den nivå personalet behöver"),
            audience=QuestionAudience.MANAGERS,
        ),
        areas=areas,
        **common,
    )
    services.question_save(
        question=Question(
            survey=survey,
            section=section,
            kind="long",
            text=_texts(lang, "Hva ønsker du mer kompetanse i?", "Vad vill du ha mer kompetens i?"),
        ),
        **common,
    )
    services.survey_open(actor=user, agency=agency, survey=survey)
    rng = random.Random(agency.pk)  # noqa: S311 - made-up answers, not secrets
    people = services.directory_people(agency=agency)
    services.invitations_create(actor=user, agency=agency, survey=survey, people=people)
    for invitation in survey.invitations.all():
        draft = services.draft_for_invitation(invitation)
        _answer(survey, draft, areas, lang, rng, invitation.role)
    libraries = list(
        Library.objects.filter(
            municipality__county__in=agency.counties.all(),
            kind__in=[LibraryKind.MAIN, LibraryKind.BRANCH],
        ).order_by("name")[:12]
    )
    for n in range(40):
        role = "manager" if n % 8 == 0 else "staff"
        draft = Draft.objects.create(
            survey=survey, library=libraries[n % len(libraries)] if libraries else None, role=role
        )
        _answer(survey, draft, areas, lang, rng, role)
    return services.survey_close(actor=user, agency=agency, survey=survey)


def _answer(
    survey: Survey,
    draft: Draft,
    areas: list[CompetenceArea],
    lang: str,
    rng: random.Random,
    role: str,
) -> None:
    questions = questions_for(survey, role=role)
    data: MultiValueDict = MultiValueDict()
    for question in questions:
        key = f"q{question.pk}"
        if question.kind == "number":
            data[key] = str(rng.randint(1, 30))
        elif question.kind == "likert":
            data[key] = str(rng.choice([2, 2, 3, 3, 4]))
        elif question.kind == "long" and rng.random() < 0.5:
            data[key] = rng.choice(COMMENTS[lang])
        elif question.kind == "matrix":
            for area, (_nb, _sv, mean, need) in zip(areas, AREAS, strict=True):
                if question.audience == QuestionAudience.MANAGERS:
                    level = need
                else:
                    level = max(1, min(5, round(rng.gauss(mean, 0.9))))
                data[f"{key}_a{area.pk}"] = str(level)
                if question.audience != QuestionAudience.MANAGERS and level <= 2:
                    data[f"{key}_n{area.pk}"] = "on"
    form = AnswerForm(data, questions=questions, language=lang, sending=True)
    if form.is_valid():
        services.response_submit(draft=draft, values=form.values(), role=role)


def _plan(agency: Agency, user: Any, mapping: Survey, lang: str) -> None:
    year = timezone.localdate().year
    title = (
        f"Kompetensutvecklingsplan {year + 1}–{year + 2}"
        if lang == "sv"
        else f"Kompetanseutviklingsplan {year + 1}–{year + 2}"
    )
    if Plan.objects.filter(agency=agency, title=title).exists():
        return
    plan = services.plan_save(
        actor=user,
        agency=agency,
        plan=Plan(title=title, starts_year=year + 1, ends_year=year + 2, mapping=mapping),
    )
    from bokbro.events.models import Event

    events = list(Event.objects.filter(agency=agency).order_by("starts_at")[:3])
    for priority, gap in enumerate(gaps(mapping, lang)[:3], start=1):
        services.plan_area_save(
            actor=user,
            agency=agency,
            plan_area=PlanArea(
                plan=plan,
                area=gap.area,
                priority=priority,
                gap=gap.gap,
                goal=(
                    "Alle bibliotek har minst én ansatt på nivå 4 i {area}."
                    if lang == "nb"
                    else "Varje bibliotek har minst en medarbetare på nivå 4 i {area}."
                ).format(area=gap.label.lower()),
            ),
            events=events[priority - 1 : priority],
        )


# Size: one past course with its sessions, participants, attendance and answers, in order.
def _evaluated_course(agency: Agency, user: Any, lang: str) -> None:
    from bokbro.events.models import Event, EventKind, EventStatus, Registration
    from bokbro.events.services.attendance import attendance_mark
    from bokbro.events.services.events import SessionData, event_create
    from bokbro.events.services.registrations import registration_create

    title = COURSE[agency.country]
    if Event.objects.filter(agency=agency, title=title).exists():
        return
    template = Survey.objects.create(
        agency=agency,
        kind=SurveyKind.EVALUATION,
        title=_texts(lang, "Kursevaluering", "Kursutvärdering"),
        languages=[lang],
        is_template=True,
    )
    points = [
        _texts(lang, nb, sv)
        for nb, sv in [
            ("Svært dårlig", "Mycket dåligt"),
            ("Dårlig", "Dåligt"),
            ("Middels", "Godtagbart"),
            ("Bra", "Bra"),
            ("Svært bra", "Mycket bra"),
        ]
    ]
    for text, kind in [
        (_texts(lang, "Samlet vurdering av kurset", "Helhetsbedömning av kursen"), "likert"),
        (
            _texts(
                lang,
                "Hvor relevant var kurset for jobben din?",
                "Hur relevant var kursen för ditt arbete?",
            ),
            "likert",
        ),
        (_texts(lang, "Hva kommer du til å bruke?", "Vad kommer du att använda?"), "long"),
        (_texts(lang, "Hva savnet du?", "Vad saknade du?"), "long"),
    ]:
        services.question_save(
            actor=user,
            agency=agency,
            question=Question(
                survey=template,
                kind=kind,
                text=text,
                options=points if kind == "likert" else [],
                required=kind == "likert",
            ),
        )
    tz = timezone.get_current_timezone()
    day = timezone.localdate() - timedelta(days=35)
    sessions = [
        SessionData(
            starts_at=timezone.make_aware(
                datetime.combine(day + timedelta(days=7 * n), time(10)), tz
            ),
            ends_at=timezone.make_aware(
                datetime.combine(day + timedelta(days=7 * n), time(14)), tz
            ),
        )
        for n in range(2)
    ]
    event = event_create(
        actor=user,
        agency=agency,
        kind=EventKind.COURSE_SERIES,
        title=title,
        venue=agency.name,
        status=EventStatus.PUBLISHED,
        capacity=30,
        sessions=sessions,
    )
    survey = services.evaluation_attach(actor=user, agency=agency, event=event, template=template)
    libraries = list(
        Library.objects.filter(municipality__county__in=agency.counties.all()).order_by("name")[:8]
    )
    rng = random.Random(agency.pk + 100)  # noqa: S311 - made-up answers, not secrets
    for n in range(14):
        registration = registration_create(
            event=event,
            name=f"Deltaker {n + 1}" if lang == "nb" else f"Deltagare {n + 1}",
            email=f"deltaker{n + 1}.{agency.slug}@bibliotek.example",
            library=libraries[n % len(libraries)] if libraries else None,
            language=lang,
            staff_override=True,
        )
        for session in event.sessions.all():
            attendance_mark(
                actor=user,
                agency=agency,
                registration=registration,
                session=session,
                present=n < 12,  # two did not come
            )
    attended = Registration.objects.filter(event=event, attendances__present=True).distinct()
    services.evaluation_invite_attendees(survey=survey, registrations=attended)
    likerts = list(survey.questions.filter(kind="likert"))
    texts = list(survey.questions.filter(kind="long"))
    for invitation in survey.invitations.all()[:10]:
        data = MultiValueDict({f"q{q.pk}": [str(rng.choice([3, 4, 4, 5, 5]))] for q in likerts})
        if rng.random() < 0.6:
            data[f"q{texts[0].pk}"] = rng.choice(COMMENTS[lang])
        draft = services.draft_for_invitation(invitation)
        form = AnswerForm(data, questions=questions_for(survey), language=lang, sending=True)
        if form.is_valid():
            services.response_submit(draft=draft, values=form.values())
