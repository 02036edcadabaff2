"""Demo job shadowing, loaded by `manage.py load_demo`: one round between the two demo agencies.
Idempotent: an offer is found by its title.

- An Østfold library offers two places open to the other agencies' libraries; a Jönköping
  librarian came last month (the manager consented, the host accepted, the agency granted travel
  support) and both wrote their report.
- A Jönköping library offers a place next season; an Østfold librarian has applied and the
  manager has consented: it waits for the host's answer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from bokbro.directory.models import Agency, Library, LibraryRoleKind, Person
from bokbro.shadowing import services
from bokbro.shadowing.models import Application, Offer, Status


def _library_with(agency: Agency, role: str, exclude: Library | None = None) -> Library | None:
    counties = list(agency.counties.values_list("pk", flat=True))
    libraries = (
        Library.objects.filter(
            Q(municipality__county__in=counties) | Q(county__in=counties),
            roles__role=role,
        )
        .distinct()
        .order_by("pk")
    )
    if exclude is not None:
        libraries = libraries.exclude(pk=exclude.pk)
    return libraries.first()


def _person(library: Library, role: str) -> Person | None:
    return (
        Person.objects.filter(library_roles__library=library, library_roles__role=role)
        .order_by("pk")
        .first()
    )


def _offer(agency: Agency, host: Library, **texts: str) -> Offer:
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
        apply_by=max(starts - timedelta(days=14), today) if starts > today else starts,
        places=2,
        contact_name=manager.name if manager else agency.name,
        contact_email=(manager.email if manager and manager.email else agency.email)
        or "post@example.org",
        open_to_other_agencies=True,
        **texts,  # type: ignore[arg-type]
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
        title="Hospitering: meröppet og arrangementer"
        if norwegian
        else "Auskultation: läsfrämjande för unga",
        topics="meröppet, arrangementer, frivillige"
        if norwegian
        else "bokcirklar, skolsamarbete, unga vuxna",
        description=(
            "Du følger oss i fire dager: meröppet-drift, planlegging av høstens arrangementer "
            "og møte med de frivillige i språkkafeen."
            if norwegian
            else "Du följer vårt team i fem dagar: bokcirklar för unga, besök på skolor och "
            "planering av sommarlovsläsningen."
        ),
        language="scandinavian",
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
    application.guest_report = (
        "Fire lærerike dager. Vi tar med oss ideen om en fast frivilligkoordinator."
        if guest_agency.country == "NO"
        else "Fyra lärorika dagar. Vi tar med oss idén om en fast volontärsamordnare."
    )
    application.host_report = "Gjesten delte mye om svensk skolesamarbeid; vi lærte også."
    application.save(update_fields=["guest_report", "host_report"])
    return f"Job shadowing for {host_agency.slug}: a past exchange with reports"


def load() -> list[str]:
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=["ostfold", "jonkoping"])}
    if len(agencies) < 2:
        return ["Job shadowing: the two demo agencies are not there"]
    return [
        _round(agencies["ostfold"], agencies["jonkoping"]),
        _round(agencies["jonkoping"], agencies["ostfold"]),
    ]
