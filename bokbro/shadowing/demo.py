"""Demo job shadowing, loaded by `manage.py load_demo`: one round between the two demo agencies.
Idempotent: an offer is found by its title, the report survey by its title.

- An Østfold library offers two places open to the other agencies' libraries, as part of
  Østfold's project *Leselyst over grensen*; a Jönköping librarian came last month (the manager
  consented, the host accepted, Jönköping granted travel support, which the project's funding
  reports). The reports are Østfold's competence survey "Hospitering: rapport etter
  oppholdet": the guest and the host library's manager were invited and have answered.
- A Jönköping library offers a place next season; an Østfold librarian has applied and the
  manager has consented: it waits for the host's answer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from bokbro.competence import services as surveys
from bokbro.competence.forms import AnswerForm
from bokbro.competence.models import (
    Invitation,
    Question,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyStatus,
)
from bokbro.competence.selectors import questions_for
from bokbro.directory.models import Agency, Library, LibraryRoleKind, Person
from bokbro.projects.models import Project
from bokbro.shadowing import services
from bokbro.shadowing.models import Application, Offer, Status

PROJECT = "Leselyst over grensen"
SURVEY = {"nb": "Hospitering: rapport etter oppholdet", "sv": "Auskultation: rapport efter besöket"}
# kind, question (nb, sv), Likert points or None, required
QUESTIONS = [
    (
        QuestionKind.LIKERT,
        ("Hvor nyttig var oppholdet for deg og biblioteket ditt?", "Hur givande var besöket?"),
        [
            ("Lite nyttig", "Inte givande"),
            ("Noe nyttig", "Något givande"),
            ("Nyttig", "Givande"),
            ("Svært nyttig", "Mycket givande"),
        ],
        True,
    ),
    (
        QuestionKind.LONG,
        ("Hva så og lærte du?", "Vad såg och lärde du dig?"),
        None,
        True,
    ),
    (
        QuestionKind.LONG,
        ("Hva vil dere prøve hjemme, eller gjøre annerledes?", "Vad vill ni pröva hemma?"),
        None,
        False,
    ),
]
# Who answers: the guest (Swedish) and the host's manager (Norwegian).
ANSWERS = {
    "staff": (
        "sv",
        [
            "4",
            "Hur Halden bibliotek driver meröppet med frivilliga i språkkaféet, och hur de "
            "planerar höstens arrangemang tillsammans med skolorna.",
            "En fast volontärsamordnare och ett gemensamt arrangemangsår med skolbiblioteken.",
        ],
    ),
    "manager": (
        "nb",
        [
            "3",
            "Gjesten delte mye om svensk skolesamarbeid og bokcirkler for unge voksne; "
            "personalet fikk nye ideer til lesesirklene våre.",
            "Vi tar imot en hospitant til neste år og vil gjerne hospitere i Värnamo selv.",
        ],
    ),
}


def _library_with(agency: Agency, role: str, exclude: Library | None = None) -> Library | None:
    """The first library with someone in `role`, preferring one where that person can sign in
    (the demo's users, who then find the round on their pages)."""
    counties = list(agency.counties.values_list("pk", flat=True))
    area = Q(municipality__county__in=counties) | Q(county__in=counties)
    for signs_in in (Q(roles__person__user__isnull=False), Q()):
        libraries = Library.objects.filter(area, signs_in, roles__role=role).distinct()
        if exclude is not None:
            libraries = libraries.exclude(pk=exclude.pk)
        library = libraries.order_by("pk").first()
        if library is not None:
            return library
    return None


def _person(library: Library, role: str) -> Person | None:
    return (
        Person.objects.filter(library_roles__library=library, library_roles__role=role)
        .order_by(F("user_id").asc(nulls_last=True), "pk")
        .first()
    )


def _report_survey(agency: Agency) -> Survey | None:
    """The agency's survey for the reports after a stay (not anonymous: the agency reads each
    guest's and host's answer), open, in Norwegian and Swedish."""
    title = {"nb": SURVEY["nb"], "sv": SURVEY["sv"]}
    found = [s for s in Survey.objects.filter(agency=agency) if s.title == title]
    if found:
        return found[0]
    actor = agency.team_users().first()
    if actor is None:
        return None
    survey = surveys.survey_save(
        actor=actor,
        agency=agency,
        survey=Survey(
            kind=SurveyKind.NEEDS,
            title=title,
            intro={
                "nb": "Fortell kort hvordan oppholdet var. Svarene leses av oss og av "
                "vertsbiblioteket.",
                "sv": "Berätta kort hur besöket var. Svaren läses av oss och av värdbiblioteket.",
            },
            languages=["nb", "sv"],
            anonymous=False,
        ),
    )
    for kind, (nb, sv), points, required in QUESTIONS:
        surveys.question_save(
            actor=actor,
            agency=agency,
            question=Question(
                survey=survey,
                kind=kind,
                text={"nb": nb, "sv": sv},
                options=[{"nb": a, "sv": b} for a, b in points or []],
                required=required,
            ),
        )
    return surveys.survey_open(actor=actor, agency=agency, survey=survey)


def _answer_reports(application: Application) -> int:
    """The guest and the host's manager are invited to the report survey (as the periodic job
    does once a stay is over) and answer it. Returns how many answered now."""
    survey = application.offer.report_survey
    if survey is None or survey.status != SurveyStatus.OPEN:
        return 0
    services.reports_by_survey(application=application)
    answered = 0
    for invitation in Invitation.objects.filter(survey=survey, answered=False):
        language, values = ANSWERS[invitation.role]
        questions = questions_for(survey, role=invitation.role)
        data = {f"q{q.pk}": value for q, value in zip(questions, values, strict=True)}
        form = AnswerForm(data, questions=questions, language=language, sending=True)
        if form.is_valid():
            draft = surveys.draft_for_invitation(invitation)
            surveys.response_submit(draft=draft, values=form.values(), role=invitation.role)
            answered += 1
    return answered


def _offer(agency: Agency, host: Library, **texts: Any) -> Offer:
    offer = Offer.objects.filter(agency=agency, title=texts["title"]).first()
    if offer is not None:
        return offer
    manager = _person(host, LibraryRoleKind.MANAGER)
    today = timezone.localdate()
    starts = today + timedelta(days=int(texts.pop("days")))
    return services.offer_save(
        actor=None,
        agency=agency,
        host_library=host,
        starts_on=starts,
        ends_on=starts + timedelta(days=4),
        apply_by=max(starts - timedelta(days=14), today)
        if starts > today
        else starts - timedelta(days=21),
        places=2,
        contact_name=manager.name if manager else agency.name,
        contact_email=(manager.email if manager and manager.email else agency.email)
        or "post@example.org",
        open_to_other_agencies=True,
        **texts,
    )


def _guest(agency: Agency, exclude: Library) -> tuple[Person, Library] | None:
    library = _library_with(agency, LibraryRoleKind.STAFF, exclude=exclude)
    person = _person(library, LibraryRoleKind.STAFF) if library else None
    return (person, library) if person and library else None


def _round(host_agency: Agency, guest_agency: Agency) -> str:
    host = _library_with(host_agency, LibraryRoleKind.MANAGER)
    guest = _guest(guest_agency, exclude=host) if host else None
    if host is None or guest is None:
        return f"Job shadowing for {host_agency.slug}: no library people to take part"
    norwegian = host_agency.country == "NO"
    offer = _offer(
        host_agency,
        host,
        days="-30" if norwegian else "60",
        title="Hospitering: meråpent bibliotek og arrangementer"
        if norwegian
        else "Auskultation: läsfrämjande för unga",
        topics="meråpent bibliotek, arrangementer, frivillige"
        if norwegian
        else "bokcirklar, skolsamarbete, unga vuxna",
        description=(
            "Du følger oss i fem dager: driften av det meråpne biblioteket, planleggingen av "
            "høstens arrangementer sammen med skolene, og et møte med de frivillige i "
            "språkkafeen. Du får en fast kontaktperson og er med på personalmøtet."
            if norwegian
            else "Du följer vårt team i fem dagar: bokcirklar för unga, besök på skolor och "
            "planering av sommarlovsläsningen."
        ),
        language="scandinavian",
        project=Project.objects.filter(agency=host_agency, title=PROJECT).first()
        if norwegian
        else None,
        report_survey=_report_survey(host_agency) if norwegian else None,
    )
    person, library = guest
    if offer.applications.filter(person=person).exists():
        return f"Job shadowing for {host_agency.slug}: already loaded"
    motivation = (
        "Vi vil lære hvordan dere jobber med frivillige og unge lesere."
        if guest_agency.country == "NO"
        else "Jag vill se hur ni arbetar med meröppet och frivilliga."
    )
    if offer.is_past_deadline:
        # A round that is over: the demo writes its history as it happened then.
        application = Application.objects.create(
            offer=offer,
            person=person,
            library=library,
            applicant_agency=guest_agency,
            motivation=motivation,
            travel_support_asked=Decimal("4500"),
        )
    else:
        application = services.application_create(
            actor=None,
            agency=guest_agency,
            offer=offer,
            person=person,
            library=library,
            motivation=motivation,
            travel_support_asked=Decimal("3000"),
        )
    application.status = Status.HOST
    application.manager_consent_at = timezone.now()
    application.save(update_fields=["status", "manager_consent_at"])
    if not norwegian:
        return f"Job shadowing for {host_agency.slug}: an offer and an application to answer"
    application = services.application_decide(actor=None, application=application, accept=True)
    services.travel_support_set(
        actor=None,
        agency=guest_agency,
        application=application,
        amount=Decimal("4000"),
    )
    answered = _answer_reports(application)
    project = f", travel support in {offer.project}" if offer.project else ""
    return (
        f"Job shadowing for {host_agency.slug}: a past exchange{project}, "
        f"{answered} report survey answers"
    )


def load() -> list[str]:
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=["ostfold", "jonkoping"])}
    if len(agencies) < 2:
        return ["Job shadowing: the two demo agencies are not there"]
    return [
        _round(agencies["ostfold"], agencies["jonkoping"]),
        _round(agencies["jonkoping"], agencies["ostfold"]),
    ]
