"""Publications as readers and the agency's team meet them: the archive with search and filters,
a publication's page and PDF, the Atom feed, the staff form's checks (ISBN and ISSN check digits,
a PDF that is a PDF, a file or a link), plan goals, the report source and the demo."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.plans.models import Goal
from bokbro.plans.tests.conftest import make_plan
from bokbro.publications import demo, plan_source, services
from bokbro.publications.models import MagazineIssue, Publication, ScanItem
from bokbro.publications.services import PublicationData

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def publish(world: Any, agency: Any = None, **fields: Any) -> Publication:
    values: dict[str, Any] = {
        "title": "Årsmelding 2025",
        "year": 2025,
        "kind": "report",
        "language": "nb",
        "file": ContentFile(PDF, "a.pdf"),
        "publish": True,
    }
    values.update(fields)
    goals = values.pop("plan_goals", None)
    return services.publication_save(
        actor=world.consultant,
        agency=agency or world.agency,
        data=PublicationData(**values),
        plan_goals=goals,
    )


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Veileder for lesesirkler",
        "authors": "Kari Konsulent, Ola Sjef",
        "year": "2026",
        "kind": "guide",
        "language": "nb",
        "isbn": "",
        "issn": "",
        "summary": "Slik gjør du det.",
        "url": "",
        "publish": "on",
    }
    data.update(overrides)
    return data


def test_the_archive_searches_and_filters(world, client_for):
    publish(world, title="Årsmelding 2025", authors="Kari Konsulent")
    publish(world, title="Veileder for lesesirkler", kind="guide", year=2024, language="nn")
    publish(world, agency=world.other_agency, title="Verksamhetsberättelse 2025")
    client = client_for(None)
    page = client.get("/publications/").content.decode()
    assert "Årsmelding 2025" in page and "Veileder for lesesirkler" in page
    assert "Verksamhetsberättelse" not in page  # another agency's
    page = client.get("/publications/?q=konsulent").content.decode()
    assert "Årsmelding 2025" in page and "Veileder" not in page
    page = client.get("/publications/?kind=guide&year=2024&language=nn").content.decode()
    assert "Veileder for lesesirkler" in page and "Årsmelding 2025" not in page
    assert "1 publication" in page


def test_a_goal_filter_finds_the_publications_that_serve_it(world, client_for):
    make_plan(world)
    goal = Goal.objects.get(code="1.1")
    publish(world, title="Lesestrategi", plan_goals=[goal])
    publish(world, title="Annet")
    page = client_for(None).get(f"/publications/?goal={goal.pk}").content.decode()
    assert "Lesestrategi" in page and "Annet" not in page
    detail = client_for(None).get(Publication.objects.get(title="Lesestrategi").get_absolute_url())
    assert "Leselyst for alle" in detail.content.decode()


def test_the_pdf_is_served_inline_and_safely(world, client_for):
    publication = publish(world)
    response = client_for(None).get(f"/publications/{publication.pk}/file/")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    linked = publish(world, title="Lenket", file=None, url="https://example.org/r.pdf")
    assert client_for(None).get(f"/publications/{linked.pk}/file/").status_code == 404


def test_the_atom_feed_lists_new_publications(world, client_for):
    publish(world, title="Årsmelding 2025", summary="Et **godt** år.")
    response = client_for(None).get("/publications/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Årsmelding 2025</title>" in body
    assert "&lt;strong&gt;godt&lt;/strong&gt;" in body


def test_staff_add_a_publication_with_a_checked_isbn_and_issn(world, client_for):
    response = client_for(world.consultant).post(
        "/publications/staff/new/",
        form(
            isbn="82-02-39997-1",  # an ISBN-10, stored as 13 digits
            issn="0378 5955",
            file=SimpleUploadedFile("v.pdf", PDF),
        ),
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.isbn == "9788202399979"
    assert publication.issn == "0378-5955"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("isbn", "978-82-02-39997-8", "check digit of this ISBN is wrong"),
        ("isbn", "12345", "An ISBN has 10 or 13 digits"),
        ("issn", "0378-5954", "check digit of this ISSN is wrong"),
    ],
)
def test_a_wrong_check_digit_is_refused_and_nothing_is_saved(
    world, client_for, field, value, message
):
    response = client_for(world.consultant).post(
        "/publications/staff/new/", form(**{field: value}, url="https://example.org/v.pdf")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Publication.objects.exists()


def test_a_pdf_that_is_not_a_pdf_is_refused(world, client_for):
    response = client_for(world.consultant).post(
        "/publications/staff/new/",
        form(file=SimpleUploadedFile("v.pdf", b"<html>not a pdf</html>")),
    )
    assert response.status_code == 200
    assert "not PDF" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_publication_needs_a_pdf_or_a_link(world, client_for):
    response = client_for(world.consultant).post("/publications/staff/new/", form())
    assert "Upload the PDF or give a link to it." in response.content.decode()
    assert not Publication.objects.exists()
    with pytest.raises(ValidationError):
        publish(world, file=None)


def test_the_service_checks_the_digits_too(world):
    with pytest.raises(ValidationError) as error:
        publish(world, isbn="9788202399978", issn="1234-5678")
    assert set(error.value.message_dict) == {"isbn", "issn"}
    assert not Publication.objects.exists()


def test_another_agencys_goal_is_refused(world):
    make_plan(world, agency=world.other_agency, title="Plan Jönköping")
    foreign = Goal.objects.get()
    with pytest.raises(ValidationError):
        publish(world, plan_goals=[foreign])


def test_staff_change_and_delete_a_publication(world, client_for):
    publication = publish(world)
    client = client_for(world.consultant)
    response = client.post(
        f"/publications/staff/{publication.pk}/", form(title="Årsmelding for 2025")
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Årsmelding for 2025"
    assert publication.file  # kept without a new upload
    client.post(f"/publications/staff/{publication.pk}/delete/")
    assert not Publication.objects.exists()


def test_the_report_lists_the_years_publications_by_name(world):
    make_plan(world)
    goal = Goal.objects.get(code="1.1")
    publish(world, title="Årsmelding 2025", year=2025, plan_goals=[goal])
    publish(world, title="Veileder", year=2025, kind="guide")
    publish(world, title="Gammel", year=2020)
    activities = plan_source.activities(world.agency, 2025)
    assert [a.title for a in activities] == ["Veileder", "Årsmelding 2025"]
    assert activities[1].goal_ids == frozenset({goal.pk})
    assert plan_source.SOURCE.named_in_report is not None
    assert all(plan_source.SOURCE.named_in_report(a) for a in activities)
    figures = {str(f.label): f.value for f in plan_source.figures(activities)}
    assert figures["Publications"] == 2
    assert figures["Publications: Guide"] == 1


def test_a_draft_is_for_the_team_only_until_it_is_published(world, client_for):
    team, public = client_for(world.consultant), client_for(None)
    form_data = form(url="https://example.org/v.pdf")
    del form_data["publish"]
    assert team.post("/publications/staff/new/", form_data).status_code == 302
    draft = Publication.objects.get()
    assert draft.published_at is None
    assert "Draft" in team.get("/publications/staff/").content.decode()
    assert "only the agency's team sees it" in team.get(draft.get_absolute_url()).content.decode()
    assert public.get(draft.get_absolute_url()).status_code == 404
    for url in ("/publications/", "/publications/feed.atom", "/publications/?q=lesesirkler"):
        assert "Veileder for lesesirkler" not in public.get(url).content.decode()
    assert plan_source.activities(world.agency, 2026) == []

    team.post(f"/publications/staff/{draft.pk}/", form(url="https://example.org/v.pdf"))
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert "Veileder for lesesirkler" in public.get("/publications/").content.decode()
    assert "Veileder for lesesirkler" in public.get("/publications/feed.atom").content.decode()
    assert [a.title for a in plan_source.activities(world.agency, 2026)] == [draft.title]


def test_the_demo_gives_three_publications_per_agency_with_real_pdfs(world):
    demo.load()
    demo.load()
    for agency in (world.agency, world.other_agency):
        publications = Publication.objects.filter(agency=agency).published()
        assert publications.count() == 3
        items = ScanItem.objects.filter(agency=agency)
        assert items.count() == 12
        assert all(item.summary and item.tags.exists() for item in items)
        issue = MagazineIssue.objects.get(agency=agency)
        assert issue.published_at is not None and issue.lead
        assert issue.articles.count() == 3
        assert all(article.author for article in issue.articles.all())
        picture = issue.articles.get(position=0).pictures.get()
        assert picture.description and picture.picture.read(8) == b"\x89PNG\r\n\x1a\n"
        for publication in publications:
            with publication.file.open("rb") as handle:
                content = handle.read()
            assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def test_a_cover_picture_is_shown_and_a_cover_that_is_no_picture_is_refused(world, client_for):
    client = client_for(world.consultant)
    response = client.post(
        "/publications/staff/new/",
        form(url="https://example.org/v.pdf", cover=SimpleUploadedFile("forside.png", b"GIF89a")),
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()
    response = client.post(
        "/publications/staff/new/",
        form(url="https://example.org/v.pdf", cover=SimpleUploadedFile("forside.png", PNG)),
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    page = client_for(None).get(publication.get_absolute_url()).content.decode()
    assert f'src="/publications/{publication.pk}/cover/"' in page
    assert "Cover of Veileder for lesesirkler" in page
