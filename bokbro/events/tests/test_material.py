"""Material for participants: staff share files and links, confirmed participants see and
download them through views that check access, and are told by e-mail."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.core.models import AuditEntry
from bokbro.events.models import Material, RegistrationStatus
from bokbro.events.services.material import material_add
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


@pytest.fixture
def course(world):
    """A course with two confirmed participants, one waiting and one who cancelled."""
    event = make_event(world.agency, actor=world.consultant, capacity=2, sessions=2)
    event.confirmed = [
        registration_create(
            event=event,
            name="Aisha Bibliotekar",
            email=world.staff.email,
            library=world.library,
            user=world.staff,
            language="en",
        ),
        registration_create(event=event, name="Per Deltaker", email="per@example.org"),
    ]
    event.waiting = registration_create(event=event, name="Vera Venter", email="vera@example.org")
    gone = registration_create(event=event, name="Otto Ombestemt", email="otto@example.org")
    registration_cancel(registration=gone)
    event.cancelled = gone
    event.refresh_from_db()
    return event


def share(client: Any, event: Any, **data: Any) -> Any:
    fields = {"kind": "file", "title": "Lysark dag 1", "description": "", "session": ""}
    fields.update(data)
    return client.post(f"/staff/events/{event.pk}/material/", fields)


def add_file(world: Any, event: Any, content: bytes = PDF, name: str = "lysark.pdf") -> Material:
    return material_add(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        title="Lysark dag 1",
        kind="file",
        file=ContentFile(content, name=name),
        tell_participants=False,
    )


def download_url(registration: Any, item: Material) -> str:
    return f"/events/registration/{registration.token}/material/{item.pk}/"


# --- Sharing -----------------------------------------------------------------------------------


def test_sharing_a_file_tells_each_confirmed_participant_once(
    world, kari, course, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = share(
            kari,
            course,
            file=SimpleUploadedFile("lysark.pdf", PDF, content_type="application/pdf"),
            tell_participants="on",
        )
    assert response.status_code == 302
    item = Material.objects.get(event=course)
    assert item.file.name.startswith(f"events/material/{course.pk}/")
    assert default_storage.open(item.file.name).read() == PDF
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in course.confirmed)
    english = next(m for m in mail.outbox if m.to == [world.staff.email])
    assert english.subject == "New material for Bokprat for barn"
    assert course.confirmed[0].token in english.body
    entry = AuditEntry.objects.get(action="events.material.added")
    assert entry.data["participants_told"] == 2


def test_unticking_tell_participants_sends_no_mail(
    kari, course, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = share(kari, course, kind="link", url="https://example.org/opptak")
    assert response.status_code == 302
    assert mail.outbox == []
    assert Material.objects.get(event=course).url == "https://example.org/opptak"


def test_material_for_one_session(kari, course):
    session = course.sessions.order_by("starts_at")[1]
    share(kari, course, kind="link", url="https://example.org/oppgave", session=session.pk)
    assert Material.objects.get(event=course).session == session


# --- What participants see ---------------------------------------------------------------------


def test_a_confirmed_participant_sees_and_downloads_the_material(world, client, course):
    item = add_file(world, course)
    confirmed = course.confirmed[1]
    page = client.get(f"/events/registration/{confirmed.token}/")
    assert "Lysark dag 1" in page.content.decode()
    assert download_url(confirmed, item) in page.content.decode()

    response = client.get(download_url(confirmed, item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="lysark.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["waiting", "cancelled"])
def test_waiting_and_cancelled_registrations_see_no_material(world, client, course, who):
    item = add_file(world, course)
    registration = getattr(course, who)
    page = client.get(f"/events/registration/{registration.token}/")
    assert page.status_code == 200
    assert "Lysark dag 1" not in page.content.decode()
    assert client.get(download_url(registration, item)).status_code == 404


def test_a_participant_of_another_event_cannot_download(world, client, course):
    item = add_file(world, course)
    other = make_event(world.agency, title="Et annet kurs")
    stranger = registration_create(event=other, name="Sigrid", email="sigrid@example.org")
    assert stranger.status == RegistrationStatus.CONFIRMED
    assert client.get(download_url(stranger, item)).status_code == 404
    assert client.get(f"/events/registration/wrong-token/material/{item.pk}/").status_code == 404


def test_the_event_page_shows_material_to_a_signed_in_confirmed_participant(
    world, client_for, course
):
    item = add_file(world, course)
    url = f"/events/{course.pk}/"
    body = client_for(world.staff).get(url).content.decode()
    assert "Lysark dag 1" in body
    assert download_url(course.confirmed[0], item) in body
    for user in (None, world.manager, world.public):
        assert "Lysark dag 1" not in client_for(user).get(url).content.decode()


def test_files_are_not_served_from_a_public_media_url(world, client, course, settings):
    item = add_file(world, course)
    assert client.get(settings.MEDIA_URL + item.file.name).status_code == 404


def test_staff_download_and_removal(world, kari, course, django_capture_on_commit_callbacks):
    item = add_file(world, course)
    response = kari.get(f"/staff/events/{course.pk}/material/{item.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert kari.get(f"/staff/events/{course.pk}/material/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(f"/staff/events/{course.pk}/material/{item.pk}/remove/")
    assert response.status_code == 302
    assert not Material.objects.filter(pk=item.pk).exists()
    assert not default_storage.exists(item.file.name)
    assert kari.get(download_url(course.confirmed[0], item)).status_code == 404


# --- Limits ------------------------------------------------------------------------------------


def test_a_file_over_20_mb_is_refused_with_a_message(kari, course):
    big = PDF + b"0" * (20 * 1024 * 1024)
    response = share(kari, course, title="Opptak", file=SimpleUploadedFile("opptak.pdf", big))
    assert response.status_code == 200
    body = response.content.decode()
    assert "it can be at most 20 MB" in body
    assert 'value="Opptak"' in body  # what was typed is kept
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "Files of this type cannot be shared."),
        ("lysark", PDF, "Files of this type cannot be shared."),
        ("lysark.pdf", PNG, "The file&#x27;s content is not PDF"),
        ("bilde.png", PDF, "The file&#x27;s content is not PNG"),
        ("notat.docx", office_file("ppt"), "The file&#x27;s content is not DOCX"),
        ("notat.docx", b"PK\x03\x04 not a zip", "The file&#x27;s content is not DOCX"),
        ("notat.txt", b"\x00\x01\x02binary", "The file&#x27;s content is not TXT"),
    ],
)
def test_files_must_be_of_an_allowed_type_by_name_and_content(kari, course, name, content, message):
    response = share(kari, course, description="Fra dag 1", file=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Fra dag 1" in body
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lysark.pdf", PDF),
        ("notat.docx", office_file("word")),
        ("lysark.pptx", office_file("ppt")),
        ("budsjett.xlsx", office_file("xl")),
        ("bilde.png", PNG),
        ("bilde.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("opptak.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16),
        ("leseliste.txt", "Bøker for barn\n".encode()),
    ],
)
def test_allowed_files_are_shared(kari, course, name, content):
    response = share(kari, course, file=SimpleUploadedFile(name, content))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Material.objects.get(event=course).filename == name


def test_a_file_or_a_link_is_required(kari, course):
    body = share(kari, course).content.decode()
    assert "Choose the file to share." in body
    body = share(kari, course, kind="link", url="").content.decode()
    assert "Write the link to share." in body
    body = share(kari, course, kind="link", url="not a link").content.decode()
    assert "Enter a valid URL." in body
    assert not Material.objects.exists()


def test_the_chosen_file_must_be_chosen_again_after_other_mistakes(kari, course):
    response = share(kari, course, title="", file=SimpleUploadedFile("lysark.pdf", PDF))
    assert "Please choose the file again" in response.content.decode()


# --- Other agencies ----------------------------------------------------------------------------


def test_the_outsider_cannot_reach_material_anywhere(world, client_for, course):
    item = add_file(world, course)
    for client in (
        client_for(world.outsider),
        client_for(world.outsider, host="jonkoping.testserver"),
    ):
        assert client.get(f"/staff/events/{course.pk}/material/").status_code == 403
        assert (
            client.get(f"/staff/events/{course.pk}/material/{item.pk}/download/").status_code == 403
        )
        response = share(client, course, kind="link", url="https://example.org/x")
        assert response.status_code == 403
        response = client.post(f"/staff/events/{course.pk}/material/{item.pk}/remove/")
        assert response.status_code == 403
    assert list(Material.objects.all()) == [item]


def test_staff_cannot_reach_material_through_another_event(world, kari, course):
    item = add_file(world, course)
    other = make_event(world.agency, title="Et annet kurs")
    url = f"/staff/events/{other.pk}/material/{item.pk}/download/"
    assert kari.get(url).status_code == 404


def test_deleting_an_event_takes_its_files_out_of_storage(
    world, course, django_capture_on_commit_callbacks
):
    item = add_file(world, course)
    name = item.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        course.delete()  # e.g. from the admin: the material goes with it, by cascade
    assert not Material.objects.filter(pk=item.pk).exists()
    assert not default_storage.exists(name)
