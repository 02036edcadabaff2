"""The advisory services: the rules every path (views, demo, tasks) goes through."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bokbro.advisory import services
from bokbro.advisory.models import Consultation, FollowUp, Tour
from bokbro.advisory.tests.conftest import make_consultation
from bokbro.core.models import AuditEntry
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def test_a_consultation_is_logged_with_its_libraries_people_and_topics_and_audited(world, topic):
    consultation = make_consultation(
        world,
        municipalities=[world.municipality],
        people=[world.manager_person],
        topics=[topic],
    )
    assert list(consultation.libraries.all()) == [world.library]
    assert list(consultation.municipalities.all()) == [world.municipality]
    assert list(consultation.people.all()) == [world.manager_person]
    assert list(consultation.topics.all()) == [topic]
    assert consultation.hours == Decimal("1.5")
    entry = AuditEntry.objects.for_target(consultation).get()
    assert entry.action == "advisory.consultation.created"
    assert entry.actor == world.consultant


def test_a_consultation_needs_a_library_or_a_municipality(world):
    with pytest.raises(ValidationError) as error:
        make_consultation(world, libraries=[])
    assert "Choose at least one library or municipality." in messages_of(error)["libraries"]


def test_a_library_outside_the_region_is_refused_with_its_name(world):
    with pytest.raises(ValidationError) as error:
        make_consultation(world, libraries=[world.library, world.swedish_library])
    assert "Värnamo bibliotek" in messages_of(error)["libraries"][0]
    assert not Consultation.objects.exists()


def test_a_municipality_outside_the_region_is_refused(world):
    varnamo = world.swedish_library.municipality
    with pytest.raises(ValidationError) as error:
        make_consultation(world, municipalities=[varnamo])
    assert "Värnamo" in messages_of(error)["municipalities"][0]


def test_negative_time_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_consultation(world, hours="-1")
    assert messages_of(error)["hours"] == ["The time spent cannot be negative."]


def test_a_topic_of_another_agency_is_refused(world):
    other = services.topic_create(actor=world.outsider, agency=world.other_agency, name="Läsning")
    with pytest.raises(ValidationError) as error:
        make_consultation(world, topics=[other])
    assert "topics" in messages_of(error)


def test_the_consultant_must_be_on_the_agency_team(world):
    with pytest.raises(ValidationError) as error:
        make_consultation(world, consultant=world.manager)
    assert "consultant" in messages_of(error)
    with pytest.raises(ValidationError):
        make_consultation(world, consultant=world.outsider)


def test_a_course_follow_up_links_only_the_agency_own_course(world):
    course = make_event(world.agency, title="Bokprat")
    consultation = services.consultation_create(
        actor=world.consultant,
        agency=world.agency,
        consultant=world.consultant,
        data=services.ConsultationData(
            date=date.today(), kind="course", summary="Oppfølging", event=course
        ),
        libraries=[world.library],
    )
    assert consultation.event == course
    swedish = make_event(world.other_agency, title="Bokprat i Värnamo")
    with pytest.raises(ValidationError) as error:
        services.consultation_create(
            actor=world.consultant,
            agency=world.agency,
            consultant=world.consultant,
            data=services.ConsultationData(
                date=date.today(), kind="course", summary="x", event=swedish
            ),
            libraries=[world.library],
        )
    assert "event" in messages_of(error)


def test_an_update_records_which_fields_changed_but_not_the_notes_themselves(world, topic):
    consultation = make_consultation(world)
    services.consultation_update(
        actor=world.admin,
        agency=world.agency,
        consultation=consultation,
        consultant=world.consultant,
        data=services.ConsultationData.of(
            consultation, internal_notes="Hemmelig ny tekst", hours=Decimal("3")
        ),
        libraries=[world.library],
        topics=[topic],
    )
    entry = AuditEntry.objects.for_target(consultation).get(action="advisory.consultation.updated")
    assert entry.data == {"fields": ["hours", "internal_notes", "topics"]}
    assert "Hemmelig" not in str(entry.data)


def test_an_update_that_changes_nothing_writes_no_history(world):
    consultation = make_consultation(world)
    services.consultation_update(
        actor=world.consultant,
        agency=world.agency,
        consultation=consultation,
        consultant=world.consultant,
        data=services.ConsultationData.of(consultation),
        libraries=[world.library],
    )
    assert not AuditEntry.objects.filter(action="advisory.consultation.updated").exists()


def test_another_agency_cannot_change_or_delete_a_consultation(world):
    consultation = make_consultation(world)
    with pytest.raises(ValidationError):
        services.consultation_delete(
            actor=world.outsider, agency=world.other_agency, consultation=consultation
        )
    services.consultation_delete(
        actor=world.consultant, agency=world.agency, consultation=consultation
    )
    assert not Consultation.objects.exists()
    assert AuditEntry.objects.filter(action="advisory.consultation.deleted").exists()


def test_follow_ups_belong_to_a_team_member_and_done_twice_is_one_change(world):
    consultation = make_consultation(world)
    with pytest.raises(ValidationError):
        services.follow_up_create(
            actor=world.consultant,
            agency=world.agency,
            consultation=consultation,
            what="Ringe",
            due_date=date.today(),
            owner=world.manager,
        )
    follow_up = services.follow_up_create(
        actor=world.consultant,
        agency=world.agency,
        consultation=consultation,
        what="Ringe biblioteksjefen",
        due_date=date.today(),
        owner=world.admin,
    )
    kwargs = {"actor": world.admin, "agency": world.agency, "follow_up": follow_up}
    services.follow_up_set_done(done=True, **kwargs)
    services.follow_up_set_done(done=True, **kwargs)
    follow_up.refresh_from_db()
    assert follow_up.done and follow_up.done_at is not None
    assert AuditEntry.objects.filter(action="advisory.follow_up.done").count() == 1
    services.follow_up_set_done(done=False, **kwargs)
    assert not FollowUp.objects.get().done


def test_topic_names_are_unique_per_agency_whatever_the_case(world):
    services.topic_create(actor=world.consultant, agency=world.agency, name="Meråpent")
    with pytest.raises(ValidationError):
        services.topic_create(actor=world.consultant, agency=world.agency, name=" meråpent ")
    # Another agency has its own list.
    services.topic_create(actor=world.outsider, agency=world.other_agency, name="Meråpent")


def test_a_topic_taken_out_of_use_stays_on_old_consultations(world, topic):
    consultation = make_consultation(world, topics=[topic])
    services.topic_update(
        actor=world.admin,
        agency=world.agency,
        topic=topic,
        name="Meråpne bibliotek",
        is_active=False,
    )
    assert list(consultation.topics.values_list("name", flat=True)) == ["Meråpne bibliotek"]


def tour(world, **overrides):
    start = date.today() + timedelta(days=7)
    kwargs = {
        "actor": world.consultant,
        "agency": world.agency,
        "title": "Ti bibliotek på to uker",
        "consultant": world.consultant,
        "starts_on": start,
        "ends_on": start + timedelta(days=13),
    }
    kwargs.update(overrides)
    return services.tour_create(**kwargs)


def test_a_tour_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as error:
        tour(world, ends_on=date.today())
    assert messages_of(error)["ends_on"] == ["The last day cannot be before the first day."]
    assert not Tour.objects.exists()


def test_visits_are_on_the_tour_days_at_libraries_in_the_region(world):
    t = tour(world)
    kwargs = {"actor": world.consultant, "agency": world.agency, "tour": t}
    with pytest.raises(ValidationError) as error:
        services.visit_add(library=world.library, date=t.starts_on - timedelta(days=1), **kwargs)
    assert "date" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        services.visit_add(library=world.swedish_library, date=t.starts_on, **kwargs)
    assert "library" in messages_of(error)
    first = services.visit_add(library=world.library, date=t.starts_on, **kwargs)
    second = services.visit_add(library=world.other_library, date=t.starts_on, **kwargs)
    assert (first.position, second.position) == (0, 1)
    # The tour's days cannot shrink past a planned visit.
    with pytest.raises(ValidationError):
        services.tour_update(
            actor=world.consultant,
            agency=world.agency,
            tour=t,
            title=t.title,
            consultant=world.consultant,
            starts_on=t.starts_on + timedelta(days=1),
            ends_on=t.ends_on,
        )


def test_a_visit_done_becomes_one_logged_consultation(world):
    t = tour(world)
    visit = services.visit_add(
        actor=world.consultant, agency=world.agency, tour=t, library=world.library, date=t.starts_on
    )
    consultation = make_consultation(world, visit=visit, date=visit.date)
    visit.refresh_from_db()
    assert visit.consultation == consultation
    with pytest.raises(ValidationError):
        make_consultation(world, visit=visit)
    assert Consultation.objects.count() == 1
    with pytest.raises(ValidationError):
        services.visit_remove(actor=world.consultant, agency=world.agency, visit=visit)
    assert AuditEntry.objects.filter(action="advisory.visit.done", target_id=str(t.pk)).exists()
