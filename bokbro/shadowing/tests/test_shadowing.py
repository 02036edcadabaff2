"""Job shadowing as its users meet it: a librarian applies, the manager consents, the host
accepts within the places, the agreement page, travel support, the reports after the stay, the
offers across agencies, and the refusals of bad input with nothing saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from bokbro.shadowing import personal, services
from bokbro.shadowing.models import Application, Offer, Status
from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.django_db


def apply(world: Any, offer: Offer, person: Any = None, **extra: Any) -> Application:
    return services.application_create(
        actor=world.staff,
        agency=extra.pop("agency", world.agency),
        offer=offer,
        person=person or world.staff_person,
        library=extra.pop("library", world.library),
        motivation=extra.pop("motivation", "Jeg vil lære om frivillige."),
        **extra,
    )


def test_a_librarian_applies_the_manager_consents_and_the_host_accepts(world, client_for, mails):
    offer = make_offer(world)
    aisha, ola, kari = (
        client_for(world.staff),
        client_for(world.manager),
        client_for(world.consultant),
    )

    response, sent = mails(
        lambda: aisha.post(
            f"/shadowing/{offer.pk}/apply/",
            {
                "library": world.library.pk,
                "motivation": "Jeg vil lære.",
                "travel_support_asked": "1200",
            },
        )
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.status == Status.MANAGER
    assert [m.to for m in sent] == [["ola@fredrikstad.example"]]
    assert application.get_absolute_url() in sent[0].body

    page = ola.get(application.get_absolute_url()).content.decode()
    assert "Your consent as manager" in page
    _response, sent = mails(
        lambda: ola.post(
            f"/shadowing/applications/{application.pk}/consent/", {"decision": "approve"}
        )
    )
    assert [m.to for m in sent] == [["hospitering@sarpsborg.example"]]
    application.refresh_from_db()
    assert application.status == Status.HOST

    first = offer.starts_on + timedelta(days=1)
    _response, sent = mails(
        lambda: kari.post(
            f"/shadowing/applications/{application.pk}/decide/",
            {
                "decision": "accept",
                "starts_on": first.isoformat(),
                "ends_on": offer.ends_on.isoformat(),
            },
        )
    )
    application.refresh_from_db()
    offer.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.starts_on == first
    assert offer.places_taken == 1
    assert [m.to for m in sent] == [["aisha@fredrikstad.example"]]
    assert "Marte Sjef" in sent[0].body  # the contact at the host

    agreement = aisha.get(application.get_absolute_url()).content.decode()
    assert "Job shadowing agreement" in agreement
    assert "Marte Sjef" in agreement and "hospitering@sarpsborg.example" in agreement
    assert "1200" in agreement  # travel support asked for


def test_a_manager_applying_consents_for_themselves(world, mails):
    offer = make_offer(world)
    application, sent = mails(lambda: apply(world, offer, person=world.manager_person))
    assert application.status == Status.HOST
    assert [m.to for m in sent] == [["hospitering@sarpsborg.example"]]


def test_the_manager_declining_tells_the_applicant_and_the_host_never_hears(world, mails):
    application = apply(world, make_offer(world))
    _result, sent = mails(
        lambda: services.application_consent(
            actor=world.manager, application=application, approve=False, answer="Ikke i høst."
        )
    )
    assert [m.to for m in sent] == [["aisha@fredrikstad.example"]]
    assert "Ikke i høst." in sent[0].body
    application.refresh_from_db()
    assert application.status == Status.DECLINED and application.declined_by == "manager"


def test_an_application_to_a_full_offer_is_refused_and_nothing_is_saved(world, client_for):
    offer = make_offer(world, places=1)
    accepted_stay(world, offer, world.manager_person, world.library)
    page = client_for(world.staff).get(f"/shadowing/{offer.pk}/").content.decode()
    assert "All the places of this offer are taken." in page
    response = client_for(world.staff).post(
        f"/shadowing/{offer.pk}/apply/", {"library": world.library.pk, "motivation": "Hei."}
    )
    assert response.status_code == 200
    assert "All the places of this offer are taken." in response.content.decode()
    assert Application.objects.filter(person=world.staff_person).count() == 0


def test_an_application_after_the_deadline_is_refused(world):
    offer = make_offer(world, days=3, apply_by=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="last day to apply"):
        apply(world, offer)
    assert not Application.objects.exists()


def test_an_offer_whose_period_ends_before_it_starts_is_refused_on_the_form(world, client_for):
    today = timezone.localdate()
    response = client_for(world.consultant).post(
        "/shadowing/new/",
        {
            "title": "Baklengs",
            "host_library": world.library.pk,
            "topics": "x",
            "description": "x",
            "starts_on": (today + timedelta(days=20)).isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(),
            "apply_by": (today + timedelta(days=5)).isoformat(),
            "places": "1",
            "language": "no",
            "contact_name": "Kari",
            "contact_email": "kari@ostfold.example",
        },
    )
    assert response.status_code == 200
    assert "The period must end on or after its first day." in response.content.decode()
    assert not Offer.objects.exists()


def test_the_database_refuses_more_guests_than_places(world):
    offer = make_offer(world, places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(places_taken=2)


def test_the_host_cannot_accept_beyond_the_places(world):
    offer = make_offer(world, places=1)
    first = apply(world, offer, person=world.manager_person)
    services.application_decide(actor=world.consultant, application=first, accept=True)
    second = Application.objects.create(
        offer=offer,
        person=world.staff_person,
        library=world.library,
        applicant_agency=world.agency,
        motivation="x",
        status=Status.HOST,
    )
    with pytest.raises(ValidationError, match="All the places"):
        services.application_decide(actor=world.consultant, application=second, accept=True)
    second.refresh_from_db()
    assert second.status == Status.HOST
    assert Offer.objects.get(pk=offer.pk).places_taken == 1


def test_withdrawing_an_accepted_stay_frees_the_place_and_tells_the_host(world, mails):
    offer = make_offer(world, places=1)
    application = apply(world, offer, person=world.manager_person)
    services.application_decide(actor=world.consultant, application=application, accept=True)
    _result, sent = mails(
        lambda: services.application_withdraw(actor=world.manager, application=application)
    )
    assert Offer.objects.get(pk=offer.pk).places_taken == 0
    assert [m.to for m in sent] == [["hospitering@sarpsborg.example"]]


def test_reports_are_written_after_the_stay_has_begun_and_shown_to_the_agency(world, client_for):
    coming = accepted_stay(world, make_offer(world), world.staff_person, world.library)
    with pytest.raises(ValidationError, match="once the stay has begun"):
        services.report_save(actor=world.staff, application=coming, as_host=False, text="Tidlig.")
    stay = accepted_stay(
        world, make_offer(world, days=-10, title="Forbi"), world.staff_person, world.library
    )
    aisha = client_for(world.staff)
    aisha.post(
        f"/shadowing/applications/{stay.pk}/report/",
        {"side": "guest", "guest-text": "Vi tar med oss frivilligkoordinatoren."},
    )
    client_for(world.consultant).post(
        f"/shadowing/applications/{stay.pk}/report/",
        {"side": "host", "host-text": "En lærerik gjest."},
    )
    overview = client_for(world.consultant).get("/shadowing/staff/").content.decode()
    assert "Vi tar med oss frivilligkoordinatoren." in overview
    assert "En lærerik gjest." in overview


def test_travel_support_is_granted_by_the_applicants_agency(world, client_for):
    application = apply(world, make_offer(world), travel_support_asked=Decimal("3000"))
    response = client_for(world.consultant).post(
        f"/shadowing/applications/{application.pk}/travel/", {"amount": "2500"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.travel_support_granted == Decimal("2500")
    with pytest.raises(ValidationError):
        services.travel_support_set(
            actor=world.outsider,
            agency=world.other_agency,
            application=application,
            amount=Decimal("1"),
        )


def test_an_offer_open_to_other_agencies_reaches_the_swedish_libraries(swede, client_for, mails):
    world = swede
    closed = make_offer(world, title="Bare for Østfold")
    shared = make_offer(world, title="Öppen för grannarna", open_to_other_agencies=True)
    karin = client_for(world.karin, host="jonkoping.testserver")
    listing = karin.get("/shadowing/").content.decode()
    assert "Öppen för grannarna" in listing and "Bare for Østfold" not in listing
    assert karin.get(f"/shadowing/{closed.pk}/").status_code == 404

    _response, sent = mails(
        lambda: karin.post(
            f"/shadowing/{shared.pk}/apply/",
            {"library": world.swedish_library.pk, "motivation": "Jag vill lära mig."},
        )
    )
    application = Application.objects.get()
    assert application.applicant_agency == world.other_agency
    assert [m.to for m in sent] == [["sven@varnamo.example"]]
    assert "jonkoping.testserver" in sent[0].body  # the link leads to the Swedish site
    services.application_consent(actor=world.sven, application=application, approve=True)
    services.application_decide(actor=world.consultant, application=application, accept=True)
    # Each agency sees the exchange: the host's (Norwegian) and the guest's (Swedish).
    assert client_for(world.consultant).get(application.get_absolute_url()).status_code == 200
    swedish_team = client_for(world.outsider, host="jonkoping.testserver")
    assert swedish_team.get(application.get_absolute_url()).status_code == 200
    assert "Karin Bibliotekarie" in swedish_team.get("/shadowing/staff/").content.decode()


def test_statistics_per_year_count_exchanges_libraries_and_counties(swede, client_for):
    world = swede
    offer = make_offer(world, days=-20, title="Forbi", places=3)
    accepted_stay(world, offer, world.staff_person, world.library)
    accepted_stay(
        world,
        offer,
        world.karin_person,
        world.swedish_library,
        applicant_agency=world.other_agency,
    )
    from bokbro.shadowing import selectors

    year = offer.starts_on.year
    rows = {row.year: row for row in selectors.statistics(world.agency)}
    assert (rows[year].exchanges, rows[year].libraries, rows[year].counties) == (2, 3, 2)
    # The Swedish agency sees its own person's exchange only.
    swedish = {row.year: row for row in selectors.statistics(world.other_agency)}
    assert (swedish[year].exchanges, swedish[year].libraries, swedish[year].counties) == (1, 2, 2)
    page = client_for(world.consultant).get("/shadowing/staff/").content.decode()
    assert f'<th scope="row" data-label="Year">{year}</th>' in page


def test_the_library_profile_counts_stays_and_guests_without_names(world, client_for):
    offer = make_offer(world, days=-20, title="Forbi")
    accepted_stay(world, offer, world.staff_person, world.library)
    kari = client_for(world.consultant)
    guest_side = kari.get(f"/directory/libraries/{world.library.pk}/profile/").content.decode()
    assert "profile-shadowing-heading" in guest_side and "1 stay as guest" in guest_side
    host_side = kari.get(f"/directory/libraries/{world.other_library.pk}/profile/").content.decode()
    assert "1 guest hosted" in host_side
    assert "Aisha" not in host_side.split("profile-shadowing-heading")[1].split("</section>")[0]


def test_account_export_and_erasure_keep_the_statistics_but_not_the_person(world):
    past = make_offer(world, days=-20, title="Forbi")
    stay = accepted_stay(world, past, world.staff_person, world.library, guest_report="Fint.")
    coming = make_offer(world, title="Snart")
    future = accepted_stay(world, coming, world.staff_person, world.library)
    pending = apply(world, make_offer(world, title="Søkt"), motivation="Personlig grunn.")
    exported = personal.export(["AISHA@fredrikstad.example"])
    assert {row["offer"] for row in exported} == {"Forbi", "Snart", "Søkt"}
    assert "Personlig grunn." in {row["motivation"] for row in exported}

    personal.erase(["aisha@fredrikstad.example"])
    stay.refresh_from_db()
    assert stay.person is None and stay.motivation == "" and stay.guest_report == ""
    assert stay.status == Status.ACCEPTED  # still counted
    assert not Application.objects.filter(pk__in=[future.pk, pending.pk]).exists()
    assert Offer.objects.get(pk=coming.pk).places_taken == 0


def test_the_offer_list_shows_open_offers_only(world, client_for):
    make_offer(world, title="Åpent tilbud")
    make_offer(world, days=-10, title="Gammelt tilbud")
    page = client_for(None).get("/shadowing/").content.decode()
    assert "Åpent tilbud" in page and "Gammelt tilbud" not in page


def test_without_a_manager_in_the_directory_the_agency_consents(world, client_for, mails):
    """Nils works at Sarpsborg, whose manager has left the directory: the agency is asked."""
    from bokbro.accounts.services import user_create
    from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person

    user = user_create(email="nils@sarpsborg.example", name="Nils Bibliotekar")
    nils = Person.objects.create(name="Nils Bibliotekar", email=user.email, user=user)
    LibraryRole.objects.create(person=nils, library=world.other_library, role="staff")
    LibraryRole.objects.filter(library=world.other_library, role=LibraryRoleKind.MANAGER).delete()
    offer = make_offer(world, host_library=world.library, contact_email="vert@fredrikstad.example")
    application, sent = mails(lambda: apply(world, offer, person=nils, library=world.other_library))
    assert application.status == Status.MANAGER
    assert [m.to for m in sent] == [["post@ostfold.example"]]  # the agency is asked
    kari = client_for(world.consultant)
    assert "Your consent as manager" in kari.get(application.get_absolute_url()).content.decode()
    kari.post(f"/shadowing/applications/{application.pk}/consent/", {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == Status.HOST


def test_travel_support_is_reported_in_the_projects_funding(swede, client_for):
    from bokbro.projects.models import FundingLine
    from bokbro.projects.tests.conftest import make_project

    world = swede
    project = make_project(world, title="Hospitering i fem fylker")
    kari = client_for(world.consultant)
    offer = make_offer(world, days=-10, places=3, open_to_other_agencies=True)
    form = kari.get(f"/shadowing/{offer.pk}/edit/").content.decode()
    assert "Hospitering i fem fylker" in form  # the agency's team chooses the project
    offer = services.offer_save(
        actor=world.consultant, agency=world.agency, offer=offer, project=project
    )
    aisha = accepted_stay(world, offer, world.staff_person, world.library)
    olas = accepted_stay(world, offer, world.manager_person, world.library)
    karin = accepted_stay(
        world, offer, world.karin_person, world.swedish_library, applicant_agency=world.other_agency
    )
    for application in (aisha, olas):
        kari.post(f"/shadowing/applications/{application.pk}/travel/", {"amount": "2000"})
    services.travel_support_set(
        actor=world.outsider, agency=world.other_agency, application=karin, amount=Decimal("4500")
    )
    lines = {line.funder.name: line for line in FundingLine.objects.filter(project=project)}
    year = offer.starts_on.year
    assert lines[world.agency.name].granted == Decimal("4000")
    assert lines[world.agency.name].year == year and lines[world.agency.name].funder.is_own
    assert lines[world.agency.name].note == "Hospitering: reisestøtte for 2 opphold"
    assert lines[world.other_agency.name].granted == Decimal("4500")
    page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "Hospitering: reisestøtte for 2 opphold" in page
    # Withdrawn, the stay's support leaves the line; the last one leaves, the line goes.
    services.application_withdraw(actor=world.staff, application=aisha)
    assert FundingLine.objects.get(funder__name=world.agency.name).granted == Decimal("2000")
    services.travel_support_set(
        actor=world.consultant, agency=world.agency, application=olas, amount=None
    )
    assert not FundingLine.objects.filter(funder__name=world.agency.name).exists()


def test_the_offer_page_names_its_project_and_who_may_apply(swede, client_for):
    from bokbro.projects.tests.conftest import make_project

    world = swede
    project = make_project(world, title="Leselyst over grensen")
    offer = make_offer(world, days=20, open_to_other_agencies=True)
    offer = services.offer_save(
        actor=world.consultant, agency=world.agency, offer=offer, project=project
    )
    page = client_for(None).get(offer.get_absolute_url()).content.decode()
    assert "The libraries of every agency on this site" in page
    assert "Leselyst over grensen" not in page  # not on the public project pages
    project.is_published = True
    project.save(update_fields=["is_published"])
    page = client_for(None).get(offer.get_absolute_url()).content.decode()
    assert "Part of the project" in page and project.get_absolute_url() in page


def test_fewer_places_than_guests_accepted_is_refused_in_the_singular_for_one(world):
    offer = make_offer(world, places=2)
    first = apply(world, offer, person=world.manager_person)
    services.application_decide(actor=world.consultant, application=first, accept=True)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.offer_save(actor=world.consultant, agency=world.agency, offer=offer, places=0)
    assert refused.value.message_dict["places"] == [
        "1 guest is accepted already: the offer needs at least one place."
    ]
    with pytest.raises(ValidationError) as refused, translation.override("nb"):
        services.offer_save(actor=world.consultant, agency=world.agency, offer=offer, places=0)
    assert refused.value.message_dict["places"] == [
        "1 hospitant er allerede tatt imot: tilbudet må ha minst én plass."
    ]
    assert Offer.objects.get(pk=offer.pk).places == 2
