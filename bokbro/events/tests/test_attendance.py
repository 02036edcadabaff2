"""After the event: a consultant marks attendance per session (also by htmx, on a phone), prints
the attendance list, issues certificates to those who attended enough sessions and sends the
evaluation link; participants download their own certificates."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from bokbro.core.models import AuditEntry
from bokbro.events.models import (
    Attendance,
    Certificate,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from bokbro.events.services.attendance import (
    FollowUpError,
    attendance_mark,
    certificates_issue,
    evaluation_send,
)
from bokbro.events.services.events import SessionData, event_create
from bokbro.events.services.registrations import registration_create

pytestmark = pytest.mark.django_db


def ended_event(world: Any, *, sessions: int = 5, **overrides: Any) -> Event:
    """A course series of `sessions` weekly sessions that ended yesterday."""
    first = timezone.now() - timedelta(days=1 + 7 * (sessions - 1), hours=3)
    data: dict[str, Any] = {
        "kind": EventKind.COURSE_SERIES,
        "title": "Bokprat for barn",
        "venue": "Fredrikstad bibliotek",
        "status": EventStatus.PUBLISHED,
        "capacity": 30,
        "certificate_min_sessions": 4,
        "evaluation_url": "https://forms.example.org/bokprat",
    }
    data.update(overrides)
    return event_create(
        actor=world.consultant,
        agency=world.agency,
        **data,
        sessions=[
            SessionData(
                starts_at=first + timedelta(days=7 * i),
                ends_at=first + timedelta(days=7 * i, hours=2),
            )
            for i in range(sessions)
        ],
    )


def register(event: Event, name: str, email: str, **kwargs: Any) -> Registration:
    return registration_create(event=event, name=name, email=email, staff_override=True, **kwargs)


def attend(world: Any, registration: Registration, sessions: int) -> None:
    for i, session in enumerate(registration.event.sessions.all()):
        attendance_mark(
            actor=world.consultant,
            agency=world.agency,
            registration=registration,
            session=session,
            present=i < sessions,
        )


def pdf_text(content: bytes) -> str:
    """The text a reader sees in the PDF, page by page."""
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


@pytest.fixture
def course(world):
    """Five sessions over; Aisha came to all, Marte to four, Vera to three; Per waits."""
    event = ended_event(world, capacity=3)
    aisha = register(
        event, "Aisha Bibliotekar", world.staff.email, library=world.library, user=world.staff
    )
    marte = register(
        event, "Marte Sjef", "marte@sarpsborg.example", library=world.other_library, language="sv"
    )
    vera = register(event, "Vera Venter", "vera@example.org", organisation="Gressvik skole")
    per = register(event, "Per Ventende", "per@example.org")
    assert per.status == RegistrationStatus.WAITING
    attend(world, aisha, 5)
    attend(world, marte, 4)
    attend(world, vera, 3)
    return {"event": event, "aisha": aisha, "marte": marte, "vera": vera, "per": per}


# --- Marking attendance --------------------------------------------------------------------------


def test_the_attendance_page_lists_confirmed_participants_with_a_toggle_each(world, kari):
    event = ended_event(world, capacity=1)
    aisha = register(event, "Aisha Bibliotekar", "aisha@example.org", library=world.library)
    register(event, "Per Ventende", "per@example.org")
    session = event.sessions.first()

    response = kari.get(f"/staff/events/{event.pk}/attendance/{session.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Aisha Bibliotekar" in body
    assert "Fredrikstad bibliotek" in body
    assert "Per Ventende" not in body  # on the waiting list: not marked
    assert f'data-hx-post="/staff/events/{event.pk}/attendance/{session.pk}/{aisha.pk}/"' in body
    assert "Not marked" in body


def test_the_attendance_page_opens_on_the_latest_session_that_has_started(world, kari):
    event = ended_event(world, sessions=3)
    last = event.sessions.last()
    response = kari.get(f"/staff/events/{event.pk}/attendance/")
    assert response.status_code == 200
    assert response.context["session"] == last


def test_marking_present_by_a_plain_post_redirects_back_to_the_row(world, kari):
    event = ended_event(world)
    aisha = register(event, "Aisha Bibliotekar", "aisha@example.org")
    session = event.sessions.first()
    url = f"/staff/events/{event.pk}/attendance/{session.pk}/{aisha.pk}/"

    response = kari.post(url, {"present": "1"})

    assert response.status_code == 302
    assert response["Location"] == (
        f"/staff/events/{event.pk}/attendance/{session.pk}/#attendance-{aisha.pk}"
    )
    mark = Attendance.objects.get(registration=aisha, session=session)
    assert mark.present is True
    assert mark.marked_by == world.consultant
    page = kari.get(response["Location"]).content.decode()
    assert "Aisha Bibliotekar is marked present." in page

    kari.post(url, {"present": "0"})
    mark.refresh_from_db()
    assert mark.present is False
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(action="events.attendance.marked").count() == 2


def test_marking_by_htmx_returns_just_the_row_and_the_new_count(world, kari):
    event = ended_event(world)
    aisha = register(event, "Aisha Bibliotekar", "aisha@example.org")
    session = event.sessions.first()

    response = kari.post(
        f"/staff/events/{event.pk}/attendance/{session.pk}/{aisha.pk}/",
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<li class="attendance-row attendance-row--present"')
    assert f'id="attendance-{aisha.pk}"' in body
    assert f'id="attendance-{aisha.pk}-present"' in body
    assert 'aria-pressed="true"' in body
    assert 'data-hx-swap-oob="true"' in body
    assert "Present: 1. Absent: 0." in body
    assert Attendance.objects.get(registration=aisha, session=session).present is True
    # htmx answers leave no message behind for the next full page.
    assert "is marked present" not in kari.get(f"/staff/events/{event.pk}/").content.decode()


def test_only_confirmed_participants_can_be_marked(world, kari):
    event = ended_event(world, capacity=1)
    register(event, "Aisha Bibliotekar", "aisha@example.org")
    waiting = register(event, "Per Ventende", "per@example.org")
    session = event.sessions.first()

    with pytest.raises(FollowUpError):
        attendance_mark(
            actor=world.consultant,
            agency=world.agency,
            registration=waiting,
            session=session,
            present=True,
        )
    response = kari.post(
        f"/staff/events/{event.pk}/attendance/{session.pk}/{waiting.pk}/", {"present": "1"}
    )
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_a_session_of_another_event_is_not_found(world, kari):
    event = ended_event(world)
    other = ended_event(world, title="Annet kurs")
    aisha = register(event, "Aisha Bibliotekar", "aisha@example.org")
    foreign_session = other.sessions.first()
    assert kari.get(f"/staff/events/{event.pk}/attendance/{foreign_session.pk}/").status_code == 404
    response = kari.post(
        f"/staff/events/{event.pk}/attendance/{foreign_session.pk}/{aisha.pk}/", {"present": "1"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "staff", "manager", "public"])
def test_only_the_organisers_staff_mark_attendance(world, client_for, who):
    event = ended_event(world)
    aisha = register(event, "Aisha Bibliotekar", "aisha@example.org")
    session = event.sessions.first()
    client = client_for(getattr(world, who))
    base = f"/staff/events/{event.pk}/attendance/"
    assert client.get(base).status_code in (403, 404)
    assert client.get(f"/staff/events/{event.pk}/attendance.pdf").status_code in (403, 404)
    response = client.post(f"{base}{session.pk}/{aisha.pk}/", {"present": "1"})
    assert response.status_code in (403, 404)
    assert not Attendance.objects.exists()


def test_the_attendance_list_pdf_has_the_participants_and_a_column_per_session(world, kari):
    event = ended_event(world, sessions=3, capacity=1)
    register(event, "Aisha Bibliotekar", "aisha@example.org", library=world.library)
    register(event, "Per Ventende", "per@example.org")

    response = kari.get(f"/staff/events/{event.pk}/attendance.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "Aisha Bibliotekar" in text
    assert "Fredrikstad bibliotek" in text
    assert "Bokprat for barn" in text
    assert "Per Ventende" not in text


# --- Certificates --------------------------------------------------------------------------------


def test_certificates_go_to_those_who_attended_enough_sessions(
    world, kari, course, django_capture_on_commit_callbacks
):
    event = course["event"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(f"/staff/events/{event.pk}/certificates/issue/")

    assert response.status_code == 302
    certificates = Certificate.objects.filter(registration__event=event)
    assert {c.registration.name: c.sessions_attended for c in certificates} == {
        "Aisha Bibliotekar": 5,
        "Marte Sjef": 4,
    }
    assert len({c.number for c in certificates}) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [course["aisha"].email, course["marte"].email]
    )
    aisha_mail = next(m for m in mail.outbox if m.to == [course["aisha"].email])
    assert f"/events/registration/{course['aisha'].token}/certificate.pdf" in aisha_mail.body
    marte_mail = next(m for m in mail.outbox if m.to == [course["marte"].email])
    assert "Bokprat for barn" in marte_mail.subject
    assert AuditEntry.objects.get(action="events.certificates.issued").data["issued"] == 2


def test_issuing_certificates_twice_issues_nothing_new(
    world, course, django_capture_on_commit_callbacks
):
    event = course["event"]
    first = certificates_issue(actor=world.consultant, agency=world.agency, event=event)
    numbers = sorted(c.number for c in first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = certificates_issue(actor=world.consultant, agency=world.agency, event=event)
    assert again == []
    assert mail.outbox == []
    assert (
        sorted(
            Certificate.objects.filter(registration__event=event).values_list("number", flat=True)
        )
        == numbers
    )
    # Vera comes to a late extra session's worth: marked present once more, she qualifies.
    attend(world, course["vera"], 4)
    late = certificates_issue(actor=world.consultant, agency=world.agency, event=event)
    assert [c.registration for c in late] == [course["vera"]]


def test_certificates_need_a_minimum_and_an_ended_event(world):
    none = ended_event(world, certificate_min_sessions=None)
    with pytest.raises(FollowUpError):
        certificates_issue(actor=world.consultant, agency=world.agency, event=none)
    from bokbro.events.tests.conftest import make_event

    upcoming = make_event(world.agency, sessions=2, certificate_min_sessions=1)
    with pytest.raises(FollowUpError):
        certificates_issue(actor=world.consultant, agency=world.agency, event=upcoming)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nb", "Kursbevis"), ("sv", "Kursintyg"), ("en", "Course certificate")],
)
def test_the_certificate_is_a_pdf_in_the_participants_language(
    world, client_for, course, language, heading
):
    aisha = course["aisha"]
    Registration.objects.filter(pk=aisha.pk).update(language=language)
    certificates_issue(actor=world.consultant, agency=world.agency, event=course["event"])

    response = client_for(None).get(f"/events/registration/{aisha.token}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Aisha Bibliotekar" in text
    assert "Bokprat for barn" in text
    assert "Bibliotekutvikling Østfold" in text
    assert aisha.certificate.number in text
    if language == "en" or _translated(language, "Course certificate"):
        assert heading in text


def test_the_certificate_states_the_hours_the_sessions_and_the_topics(world, client_for, course):
    from bokbro.events.models import Topic

    event = course["event"]
    event.topics.set([Topic.objects.create(agency=world.agency, name="Lesestimulering")])
    first = event.sessions.first()
    first.title = "Bildebøker for de minste"
    first.save()
    vera = course["vera"]  # at three of the five two-hour sessions
    Registration.objects.filter(pk=vera.pk).update(language="en")
    event.certificate_min_sessions = 3
    event.save()
    certificates_issue(actor=world.consultant, agency=world.agency, event=event)

    text = pdf_text(
        client_for(None).get(f"/events/registration/{vera.token}/certificate.pdf").content
    )

    assert "Hours attended 6" in text
    assert "6 hours" not in text  # the row is labelled; no "1 hours" for one hour
    assert "Topics Lesestimulering" in text
    assert "Content" in text
    # Every session by date and title, and whether Vera was there (she missed the last two).
    with translation.override("en"):
        day = date_format(timezone.localtime(first.starts_at), "DATE_FORMAT")
    assert f"{day} Bildebøker for de minste Attended" in text
    assert text.count("Attended") == 3
    assert text.count("Absent") == 2


def test_the_certificate_carries_the_agencys_logo_name_and_colour(
    world, client_for, course, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.base import ContentFile

    from bokbro.directory.models import Agency
    from bokbro.events.certificates import certificate_content

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
        b'<rect width="4" height="4"/></svg>'
    )
    Agency.objects.filter(pk=world.agency.pk).update(
        display_name="Bibliotekutvikling i Østfold", accent_colour="#8a1538"
    )
    agency = Agency.objects.get(pk=world.agency.pk)
    agency.logo.save("logo.svg", ContentFile(svg), save=True)
    aisha = course["aisha"]
    certificates_issue(actor=world.consultant, agency=world.agency, event=course["event"])
    aisha.refresh_from_db()
    content = certificate_content(aisha.certificate)
    content["agency"] = agency
    html = render_to_string("events/certificate.html", content)
    assert "data:image/svg+xml;base64," in html and "color: #8a1538" in html
    text = pdf_text(
        client_for(None).get(f"/events/registration/{aisha.token}/certificate.pdf").content
    )
    assert "Bibliotekutvikling i Østfold" in text


def _translated(language: str, message: str) -> bool:
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message) != message


def test_a_participant_downloads_their_own_certificate_from_my_events(world, client_for, course):
    certificates_issue(actor=world.consultant, agency=world.agency, event=course["event"])
    aisha = client_for(world.staff, language="en")

    page = aisha.get("/events/mine/").content.decode()
    url = f"/events/mine/{course['aisha'].pk}/certificate.pdf"
    assert url in page
    response = aisha.get(url)
    assert response.status_code == 200
    assert "Aisha Bibliotekar" in pdf_text(response.content)

    # Marte's certificate is not Aisha's to download, nor is it found by anyone else.
    assert aisha.get(f"/events/mine/{course['marte'].pk}/certificate.pdf").status_code == 404
    other = client_for(world.manager)
    assert other.get(url).status_code == 404
    # Vera attended too little: no certificate, even for herself.
    assert aisha.get(f"/events/mine/{course['vera'].pk}/certificate.pdf").status_code == 404


def test_the_personal_link_offers_the_certificate_and_a_changed_token_is_not_found(
    world, client_for, course
):
    certificates_issue(actor=world.consultant, agency=world.agency, event=course["event"])
    token = course["marte"].token
    anyone = client_for(None, language="en")

    page = anyone.get(f"/events/registration/{token}/").content.decode()
    assert f"/events/registration/{token}/certificate.pdf" in page
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert anyone.get(f"/events/registration/{changed}/certificate.pdf").status_code == 404
    vera = course["vera"].token
    assert anyone.get(f"/events/registration/{vera}/certificate.pdf").status_code == 404


def test_staff_download_a_certificate_from_the_participant_list(world, kari, client_for, course):
    event = course["event"]
    certificates_issue(actor=world.consultant, agency=world.agency, event=event)
    url = f"/staff/events/{event.pk}/certificates/{course['aisha'].pk}.pdf"

    assert url in kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    response = kari.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    no_certificate = f"/staff/events/{event.pk}/certificates/{course['vera'].pk}.pdf"
    assert kari.get(no_certificate).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 403


# --- The evaluation ------------------------------------------------------------------------------


def test_the_evaluation_goes_once_to_confirmed_participants(
    world, kari, course, django_capture_on_commit_callbacks
):
    event = course["event"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(f"/staff/events/{event.pk}/evaluation/send/")

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [course["aisha"].email, course["marte"].email, course["vera"].email]
    )
    assert all("https://forms.example.org/bokprat" in m.body for m in mail.outbox)
    event.refresh_from_db()
    assert event.evaluation_sent_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(f"/staff/events/{event.pk}/evaluation/send/", follow=True)
    assert mail.outbox == []
    assert "The evaluation has already been sent." in response.content.decode()
    with pytest.raises(FollowUpError):
        evaluation_send(actor=world.consultant, agency=world.agency, event=event)


def test_the_evaluation_waits_for_the_end_of_the_event_and_needs_a_link(world):
    from bokbro.events.tests.conftest import make_event

    upcoming = make_event(world.agency, evaluation_url="https://forms.example.org/x")
    with pytest.raises(FollowUpError):
        evaluation_send(actor=world.consultant, agency=world.agency, event=upcoming)
    without_link = ended_event(world, evaluation_url="")
    with pytest.raises(FollowUpError):
        evaluation_send(actor=world.consultant, agency=world.agency, event=without_link)
    assert not Event.objects.filter(evaluation_sent_at__isnull=False).exists()


def test_the_event_page_links_to_attendance_certificates_and_evaluation(world, kari, course):
    event = course["event"]
    body = kari.get(f"/staff/events/{event.pk}/").content.decode()
    assert f"/staff/events/{event.pk}/attendance/" in body
    assert f"/staff/events/{event.pk}/attendance.pdf" in body
    assert f"/staff/events/{event.pk}/certificates/issue/" in body
    assert f"/staff/events/{event.pk}/evaluation/send/" in body


# --- The event form ------------------------------------------------------------------------------


def test_the_certificate_minimum_cannot_exceed_the_number_of_sessions(world, kari):
    from bokbro.events.tests.test_staff_events import form_data

    response = kari.post("/staff/events/new/", form_data(certificate_min_sessions="3"))
    assert response.status_code == 200
    assert (
        "The event has 1 session; a certificate cannot ask for more."
        in (response.context["form"].errors["certificate_min_sessions"])
    )
    response = kari.post("/staff/events/new/", form_data(evaluation_url="not a link"))
    assert response.status_code == 200
    assert "evaluation_url" in response.context["form"].errors
    response = kari.post("/staff/events/new/", form_data(certificate_min_sessions="0"))
    assert "certificate_min_sessions" in response.context["form"].errors

    response = kari.post(
        "/staff/events/new/",
        form_data(certificate_min_sessions="1", evaluation_url="https://forms.example.org/y"),
    )
    assert response.status_code == 302
    event = Event.objects.get(evaluation_url="https://forms.example.org/y")
    assert event.certificate_min_sessions == 1
