"""Documents (applications, reports) are stored with Django's storage, checked for size and
type, and served only through views that check access."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.projects.models import Document
from bokbro.projects.services.documents import document_add
from bokbro.projects.services.projects import PartnerFields, partner_add
from bokbro.projects.tests.access import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


def upload(client, project, name, content, **data):
    fields = {"kind": "application", "title": "Søknad til NB", "report": ""}
    fields.update(data)
    return client.post(
        f"/projects/staff/{project.pk}/documents/new/",
        {**fields, "file": SimpleUploadedFile(name, content)},
    )


def test_staff_upload_and_download_a_document(world, kari, project):
    response = upload(kari, project, "soknad.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.size == len(PDF) and document.added_by == world.consultant
    assert document.file.name.startswith(f"projects/{project.pk}/")
    download = kari.get(f"/projects/staff/{project.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]


def test_wrong_types_and_disguised_files_are_refused(kari, project):
    response = upload(kari, project, "virus.exe", b"MZ\x90\x00")
    assert "Files of this type cannot be stored." in response.content.decode()
    response = upload(kari, project, "soknad.pdf", b"<html>not a pdf</html>")
    assert "The file&#x27;s content is not PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_too_large_files_are_refused(kari, project, monkeypatch):
    monkeypatch.setattr("bokbro.core.files.MAX_FILE_SIZE", 10)
    response = upload(kari, project, "soknad.pdf", PDF)
    assert "it can be at most 20 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_a_document_is_only_served_to_the_projects_staff(world, client_for, project):
    document = document_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        title="Søknad",
        kind="application",
        file=ContentFile(PDF, name="soknad.pdf"),
    )
    url = f"/projects/staff/{project.pk}/documents/{document.pk}/"
    for user in (world.public, world.manager, world.outsider):
        assert client_for(user).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    johan = client_for(world.outsider, host="jonkoping.testserver")
    assert johan.get(url).status_code == 403
    partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=PartnerFields(agency=world.other_agency),
    )
    assert johan.get(url).status_code == 200


def test_removing_a_document_deletes_its_file(
    world, kari, project, django_capture_on_commit_callbacks
):
    document = document_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        title="Søknad",
        kind="application",
        file=ContentFile(PDF, name="soknad.pdf"),
    )
    name = document.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(f"/projects/staff/{project.pk}/documents/{document.pk}/remove/")
    assert response.status_code == 302
    assert not Document.objects.exists() and not default_storage.exists(name)


def test_deleting_a_project_takes_its_documents_out_of_storage(
    world, project, django_capture_on_commit_callbacks
):
    document = document_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        title="Rapport",
        kind="application",
        file=ContentFile(PDF, name="rapport.pdf"),
    )
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()  # e.g. from the admin: the documents go with it, by cascade
    assert not default_storage.exists(name)
