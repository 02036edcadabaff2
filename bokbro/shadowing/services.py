"""Every write to job shadowing: offers, applications, the manager's consent, the host's answer,
withdrawal, travel support and the reports after the stay.

The number of guests holds under parallel requests: accepting locks the application's row (a
double click accepts once) and takes a place with one conditional UPDATE of the offer
(`places_taken < places`), under a CHECK that `places_taken` never exceeds `places`; a host
accepting the last place twice at once gets one guest and one "the offer is full"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.competence.models import Survey, SurveyStatus
from bokbro.competence.services.surveys import invitations_create
from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Library, LibraryRole, LibraryRoleKind, Person
from bokbro.projects.models import Funder, Project
from bokbro.projects.services.funding import (
    FunderFields,
    FundingLineFields,
    funder_create,
    funding_line_create,
    funding_line_delete,
    funding_line_update,
)
from bokbro.shadowing.models import (
    Application,
    DeclinedBy,
    Offer,
    ProjectTravelFunding,
    Status,
)


class OfferFields(TypedDict, total=False):
    host_library: Library | None
    title: str
    topics: str
    description: str
    starts_on: date
    ends_on: date
    apply_by: date
    places: int
    language: str
    contact_name: str
    contact_email: str
    open_to_other_agencies: bool
    project: Project | None
    report_survey: Survey | None


def managers_of(library: Library) -> list[Person]:
    return list(
        Person.objects.filter(
            library_roles__library=library, library_roles__role=LibraryRoleKind.MANAGER
        )
        .distinct()
        .order_by("name", "pk")
    )


# --- Offers -------------------------------------------------------------------------------------


@transaction.atomic
def offer_save(
    *,
    actor: Actor | None,
    agency: Agency,
    offer: Offer | None = None,
    **fields: Unpack[OfferFields],
) -> Offer:
    created = offer is None
    if offer is None:
        offer = Offer(agency=agency)
    else:
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.agency_id != agency.pk:
        raise ValidationError(_("This offer belongs to another agency."))
    for name, value in fields.items():
        setattr(offer, name, value)
    if offer.ends_on < offer.starts_on:
        raise ValidationError({"ends_on": _("The period must end on or after its first day.")})
    if offer.apply_by > offer.ends_on:
        raise ValidationError(
            {"apply_by": _("The last day to apply must be before the stay ends.")}
        )
    if offer.places < offer.places_taken:
        raise ValidationError(
            {
                "places": ngettext(
                    "%(taken)s guest is accepted already: the offer needs at least one place.",
                    "%(taken)s guests are accepted already: the offer needs at least as many "
                    "places.",
                    offer.places_taken,
                )
                % {"taken": offer.places_taken}
            }
        )
    if offer.project is not None and offer.project.agency_id != agency.pk:
        raise ValidationError({"project": _("Choose one of your agency's projects.")})
    survey = offer.report_survey
    if survey is not None and (survey.agency_id != agency.pk or survey.event_id is not None):
        raise ValidationError({"report_survey": _("Choose one of your agency's surveys.")})
    project_before = None
    if not created:
        project_before = Offer.objects.values_list("project", flat=True).get(pk=offer.pk)
    offer.full_clean(exclude=["agency"])
    offer.save()
    if not created and project_before != offer.project_id:
        # The stays' travel support moves from one project's funding to the other's.
        for application in offer.applications.exclude(travel_support_granted=None):
            project_travel_update(actor=actor, application=application, project_id=project_before)
            project_travel_update(actor=actor, application=application)
    verb = "created" if created else "updated"
    audit_log(action=f"shadowing.offer.{verb}", actor=actor, agency=agency, target=offer)
    return offer


# --- Travel support in a project's funding ------------------------------------------------------


@transaction.atomic
def project_travel_update(
    *, actor: Actor | None, application: Application, project_id: int | None = -1
) -> None:
    """Write again the funding line of the project (the offer's, unless `project_id` names the
    one it left) that reports the travel support the application's agency granted for the
    project's stays in the stay's year: one line per project, granting agency and year, applied
    and granted as the sum, its source the granting agency (own funding: the agencies pay it
    themselves). No such support left: the line goes."""
    if project_id == -1:
        project_id = application.offer.project_id
    starts = application.starts_on or application.offer.starts_on
    if project_id is None:
        return
    project = Project.objects.select_for_update().get(pk=project_id)
    agency = application.applicant_agency
    stays = [
        amount
        for amount in Application.objects.filter(
            offer__project=project,
            applicant_agency=agency,
            status=Status.ACCEPTED,
            starts_on__year=starts.year,
        ).values_list("travel_support_granted", flat=True)
        if amount is not None
    ]
    total = sum(stays, Decimal(0))
    link = (
        ProjectTravelFunding.objects.select_related("line__funder", "line__project")
        .filter(project=project, granting_agency=agency, year=starts.year)
        .first()
    )
    if not stays:
        if link is not None:
            funding_line_delete(actor=actor, agency=project.agency, line=link.line)
        return
    funder = Funder.objects.filter(agency=project.agency, name__iexact=agency.name).first()
    if funder is None:
        funder = funder_create(
            actor=actor,
            agency=project.agency,
            fields=FunderFields(name=agency.name, is_own=True),
        )
    with translation.override(project.agency.language):
        note = ngettext(
            "Job shadowing: travel support for %(count)s stay",
            "Job shadowing: travel support for %(count)s stays",
            len(stays),
        ) % {"count": len(stays)}
    fields = FundingLineFields(
        funder=funder, year=starts.year, applied=total, granted=total, note=str(note)
    )
    if link is None:
        line = funding_line_create(
            actor=actor, agency=project.agency, project=project, fields=fields
        )
        ProjectTravelFunding.objects.create(
            project=project, granting_agency=agency, year=starts.year, line=line
        )
    else:
        funding_line_update(actor=actor, agency=project.agency, line=link.line, fields=fields)


# --- Applications -------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor: Actor | None,
    agency: Agency,
    offer: Offer,
    person: Person,
    library: Library,
    motivation: str,
    travel_support_asked: Decimal | None = None,
) -> Application:
    """Apply to an offer seen on `agency`'s site. A library manager applying consents for
    themselves; anyone else's application goes to their library's manager first."""
    offer = Offer.objects.select_for_update().select_related("agency").get(pk=offer.pk)
    if offer.agency_id != agency.pk and not offer.open_to_other_agencies:
        raise ValidationError(_("This offer is only for the libraries of its own agency."))
    if offer.is_past_deadline:
        raise ValidationError(_("The last day to apply for this offer has passed."))
    if offer.is_full:
        raise ValidationError(_("All the places of this offer are taken."))
    if not person.library_roles.filter(library=library).exists():
        raise ValidationError({"library": _("You can only apply from a library you work at.")})
    if offer.host_library_id == library.pk:
        raise ValidationError({"library": _("This offer is at your own library.")})
    if Application.objects.filter(offer=offer, person=person).exists():
        raise ValidationError(_("You have applied for this offer already."))
    managers = managers_of(library)
    own_manager = person in managers
    application = Application(
        offer=offer,
        person=person,
        library=library,
        applicant_agency=agency,
        motivation=motivation,
        travel_support_asked=travel_support_asked,
        status=Status.HOST if own_manager else Status.MANAGER,
        manager_consent_at=timezone.now() if own_manager else None,
    )
    application.full_clean(exclude=["offer", "person", "library", "applicant_agency"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second click at the same moment
        raise ValidationError(_("You have applied for this offer already.")) from error
    audit_log(action="shadowing.application.created", actor=actor, agency=agency, target=offer)
    if own_manager:
        _tell_host(application)
    else:
        ask_consent(application, managers)
    return application


def ask_consent(application: Application, managers: list[Person] | None = None) -> None:
    """Ask the managers of the applicant's library; with no manager in the directory, the
    applicant's agency (whose team consents instead)."""
    agency = application.applicant_agency
    if managers is None:
        managers = managers_of(application.library)
    addresses = [m.email for m in managers if m.email] or [agency.email] * bool(agency.email)
    for address in addresses:
        send_email(
            to=address,
            template="shadowing/consent_asked",
            context={"application": application, "offer": application.offer},
            agency=agency,
        )


def _tell_host(application: Application) -> None:
    offer = application.offer
    send_email(
        to=offer.contact_email,
        template="shadowing/application_received",
        context={"application": application, "offer": offer},
        agency=offer.agency,
    )


def _tell_applicant(application: Application) -> None:
    if application.person is None or not application.person.email:
        return
    send_email(
        to=application.person.email,
        template="shadowing/decided",
        context={"application": application, "offer": application.offer},
        agency=application.applicant_agency,
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("offer__agency", "person", "library", "applicant_agency")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_consent(
    *, actor: Actor | None, application: Application, approve: bool, answer: str = ""
) -> Application:
    """The applicant's manager consents (the host is asked) or declines (the applicant is told)."""
    application = _lock(application)
    if application.status != Status.MANAGER:
        raise ValidationError(_("This application is no longer waiting for the manager."))
    application.manager_consent_at = timezone.now()
    if approve:
        application.status = Status.HOST
    else:
        application.status, application.declined_by = Status.DECLINED, DeclinedBy.MANAGER
        application.answer = answer
    application.save(update_fields=["status", "declined_by", "answer", "manager_consent_at"])
    verb = "consented" if approve else "refused"
    audit_log(
        action=f"shadowing.application.{verb}",
        actor=actor,
        agency=application.applicant_agency,
        target=application.offer,
    )
    if approve:
        _tell_host(application)
    else:
        _tell_applicant(application)
    return application


@transaction.atomic
def application_decide(
    *,
    actor: Actor | None,
    application: Application,
    accept: bool,
    starts_on: date | None = None,
    ends_on: date | None = None,
    answer: str = "",
) -> Application:
    """The host accepts (a place is taken, the dates are agreed) or declines."""
    application = _lock(application)
    offer = application.offer
    if application.status != Status.HOST:
        raise ValidationError(_("This application is not waiting for your answer."))
    application.answer, application.decided_at = answer, timezone.now()
    if accept:
        starts_on, ends_on = starts_on or offer.starts_on, ends_on or offer.ends_on
        if ends_on < starts_on:
            raise ValidationError({"ends_on": _("The stay must end on or after its first day.")})
        taken = Offer.objects.filter(pk=offer.pk, places_taken__lt=F("places")).update(
            places_taken=F("places_taken") + 1
        )
        if not taken:
            raise ValidationError(_("All the places of this offer are taken."))
        application.status = Status.ACCEPTED
        application.starts_on, application.ends_on = starts_on, ends_on
    else:
        application.status, application.declined_by = Status.DECLINED, DeclinedBy.HOST
    application.save(
        update_fields=["status", "declined_by", "answer", "decided_at", "starts_on", "ends_on"]
    )
    verb = "accepted" if accept else "declined"
    audit_log(
        action=f"shadowing.application.{verb}", actor=actor, agency=offer.agency, target=offer
    )
    _tell_applicant(application)
    return application


def _free_place(application: Application) -> None:
    if application.status == Status.ACCEPTED:
        Offer.objects.filter(pk=application.offer_id, places_taken__gt=0).update(
            places_taken=F("places_taken") - 1
        )


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application) -> Application:
    """The applicant withdraws; an accepted guest's place is free again."""
    application = _lock(application)
    if application.status in {Status.DECLINED, Status.WITHDRAWN}:
        return application
    host_knows = application.status in {Status.HOST, Status.ACCEPTED}
    _free_place(application)
    was_accepted = application.status == Status.ACCEPTED
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    if was_accepted and application.travel_support_granted is not None:
        project_travel_update(actor=actor, application=application)
    audit_log(
        action="shadowing.application.withdrawn",
        actor=actor,
        agency=application.applicant_agency,
        target=application.offer,
    )
    if host_knows:
        _tell_host(application)
    return application


@transaction.atomic
def travel_support_set(
    *, actor: Actor | None, agency: Agency, application: Application, amount: Decimal | None
) -> Application:
    """The applicant's agency grants travel support (or takes it back, with no amount)."""
    application = _lock(application)
    if application.applicant_agency_id != agency.pk:
        raise ValidationError(_("Travel support is granted by the applicant's own agency."))
    application.travel_support_granted = amount
    application.full_clean(exclude=["offer", "person", "library", "applicant_agency"])
    application.save(update_fields=["travel_support_granted"])
    if application.status == Status.ACCEPTED:
        project_travel_update(actor=actor, application=application)
    audit_log(
        action="shadowing.travel.granted",
        actor=actor,
        agency=agency,
        target=application.offer,
        data={"amount": str(amount) if amount is not None else None},
    )
    return application


@transaction.atomic
def report_save(*, actor: Actor, application: Application, as_host: bool, text: str) -> Application:
    """The short report after the stay: the guest's or the host's."""
    application = _lock(application)
    if application.status != Status.ACCEPTED or not application.stay_has_begun:
        raise ValidationError(_("The report is written once the stay has begun."))
    field = "host_report" if as_host else "guest_report"
    setattr(application, field, text)
    application.full_clean(exclude=["offer", "person", "library", "applicant_agency"])
    application.save(update_fields=[field])
    audit_log(
        action="shadowing.report.saved",
        actor=actor,
        agency=application.offer.agency if as_host else application.applicant_agency,
        target=application.offer,
    )
    return application


# --- The reports as a survey --------------------------------------------------------------------


@transaction.atomic
def reports_by_survey(*, application: Application) -> tuple[bool, bool]:
    """When the offer's reports are a competence survey, invite the guest (their role at the
    library they came from) and the host library's managers to it, through the competence
    engine (one link per person and survey, mailed by it once the survey is open). Returns
    whether the guest and the host were invited; a side not invited writes the short report."""
    offer = application.offer
    survey = offer.report_survey
    if survey is None or survey.status == SurveyStatus.CLOSED:
        return False, False
    guest = list(
        LibraryRole.objects.filter(
            person=application.person, library=application.library, person__email__gt=""
        ).select_related("person", "library")[:1]
        if application.person_id
        else []
    )
    hosts = list(
        LibraryRole.objects.filter(
            library=offer.host_library, role=LibraryRoleKind.MANAGER, person__email__gt=""
        ).select_related("person", "library")
        if offer.host_library_id
        else []
    )
    if guest or hosts:
        invitations_create(actor=None, agency=offer.agency, survey=survey, people=guest + hosts)
    return bool(guest), bool(hosts)
