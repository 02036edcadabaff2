"""Horizon scanning: a consultant pastes a link and the item is completed from the page's own
metadata (served here by a local server: the tests use no network); a page that cannot be
reached leaves the fields empty for the consultant; the public list filters by topic and goal;
the Atom feed. Private addresses are not fetched outside the tests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from bokbro.plans.models import Goal
from bokbro.plans.tests.conftest import make_plan
from bokbro.publications import metadata, services
from bokbro.publications.models import ScanItem, ScanTag

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><title>  Fallback   title </title>
<meta property="og:title" content="Lesevaner blant unge 2026">
<meta name="description" content="Ny undersøkelse om hva unge leser.">
<meta property="og:site_name" content="Nasjonalbiblioteket">
<meta property="article:published_time" content="2026-03-14T08:00:00Z">
</head><body>…</body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        if self.path == "/pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4")
            return
        if self.path != "/page":
            self.send_error(404)
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_site(monkeypatch: Any) -> Iterator[str]:
    monkeypatch.setattr(metadata, "ALLOW_PRIVATE_HOSTS", True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_pasted_link_is_completed_from_the_pages_metadata(world, client_for, local_site):
    response = client_for(world.consultant).post(
        "/publications/scanning/staff/", {"url": f"{local_site}/moved", "tags": "Lesing, Unge"}
    )
    assert response.status_code == 302
    item = ScanItem.objects.get()
    assert item.title == "Lesevaner blant unge 2026"
    assert item.summary == "Ny undersøkelse om hva unge leser."
    assert item.source == "Nasjonalbiblioteket"
    assert item.published_on == date(2026, 3, 14)
    assert item.added_by == world.consultant
    assert sorted(t.name for t in item.tags.all()) == ["Lesing", "Unge"]


def test_what_the_consultant_writes_wins_over_the_page(world, local_site):
    item = services.scan_item_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.ScanItemData(url=f"{local_site}/page", summary="Våre ord."),
    )
    assert item.summary == "Våre ord."
    assert item.title == "Lesevaner blant unge 2026"


@pytest.mark.parametrize("path", ["/missing", "/pdf"])
def test_a_page_that_cannot_be_read_leaves_the_title_to_the_consultant(
    world, client_for, local_site, path
):
    client = client_for(world.consultant)
    response = client.post("/publications/scanning/staff/", {"url": f"{local_site}{path}"})
    assert response.status_code == 200
    assert "could not read the page" in response.content.decode()
    assert not ScanItem.objects.exists()
    response = client.post(
        "/publications/scanning/staff/", {"url": f"{local_site}{path}", "title": "Egen tittel"}
    )
    assert response.status_code == 302
    assert ScanItem.objects.get().title == "Egen tittel"


def test_an_unreachable_server_gives_empty_metadata(local_site):
    closed = local_site.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens
    assert metadata.read(closed + "/page") == metadata.PageMetadata()


def test_private_addresses_are_not_fetched_outside_the_tests(world):
    assert not metadata._allowed("http://127.0.0.1:8000/admin/")
    assert not metadata._allowed("file:///etc/passwd")
    assert metadata.read("http://127.0.0.1:9/") == metadata.PageMetadata()


def test_the_public_list_filters_by_topic_and_goal_and_has_a_feed(world, client_for):
    make_plan(world)
    goal = Goal.objects.get(code="1.1")
    for title, tags, goals in (
        ("Skolebibliotek i Danmark", "Skole", []),
        ("Lesing og skjerm", "Lesing, Skole", [goal]),
        ("Makerspace-prosjekt", "Teknologi", []),
    ):
        services.scan_item_save(
            actor=world.consultant,
            agency=world.agency,
            data=services.ScanItemData(url="https://example.org/x", title=title, tags=tags),
            plan_goals=goals,
        )
    services.scan_item_save(
        actor=world.outsider,
        agency=world.other_agency,
        data=services.ScanItemData(url="https://example.se/x", title="Svensk nyhet"),
    )
    client = client_for(None)
    page = client.get("/publications/scanning/").content.decode()
    assert "Makerspace-prosjekt" in page and "Svensk nyhet" not in page
    skole = ScanTag.objects.get(agency=world.agency, name="Skole")
    page = client.get(f"/publications/scanning/?tag={skole.pk}").content.decode()
    assert "Skolebibliotek i Danmark" in page and "Lesing og skjerm" in page
    assert "Makerspace-prosjekt" not in page
    page = client.get(f"/publications/scanning/?goal={goal.pk}").content.decode()
    assert "Lesing og skjerm" in page and "Skolebibliotek" not in page
    feed = client.get(f"/publications/scanning/feed.atom?tag={skole.pk}").content.decode()
    assert "<title>Lesing og skjerm</title>" in feed and "Makerspace" not in feed
    assert '<category term="Skole"' in feed


def test_this_months_items_go_into_a_newsletter_draft(world, client_for):
    from bokbro.newsletter.models import Issue, MailingList

    mailing_list = MailingList.objects.create(agency=world.agency, name="Nyhetsbrev")
    client = client_for(world.consultant)
    url = "/publications/scanning/staff/newsletter/"
    response = client.post(url, {"newsletter-mailing_list": mailing_list.pk})
    assert response.status_code == 200  # nothing this month yet: said, nothing made
    assert "no horizon-scanning items this month" in response.content.decode()
    assert not Issue.objects.exists()
    services.scan_item_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.ScanItemData(
            url="https://example.org/a", title="Ny rapport", summary="Les den.", source="KB"
        ),
    )
    response = client.post(url, {"newsletter-mailing_list": mailing_list.pk})
    draft = Issue.objects.get()
    assert response["Location"] == f"/newsletter/staff/issues/{draft.pk}/edit/"
    assert draft.body.startswith("## Omverdensanalyse")
    assert "**[Ny rapport](https://example.org/a)** (KB)" in draft.body


def test_the_quick_form_on_every_staff_page_adds_an_item_and_returns_there(
    world: Any, client_for: Any
) -> None:
    team = client_for(world.consultant, language="en")
    shown = team.get("/staff/events/")
    page = shown.content.decode()
    assert (
        shown.status_code == 200
        and 'class="quick-scan"' in page
        and 'name="next" value="/staff/events/"' in page
    )
    answer = team.post(
        "/publications/scanning/staff/",
        {"url": "https://example.org/rapport", "title": "Ny rapport", "next": "/staff/events/"},
    )
    assert answer.status_code == 302 and answer["Location"] == "/staff/events/"
    assert "“Ny rapport” is saved." in team.get("/staff/events/").content.decode()
    assert ScanItem.objects.get(agency=world.agency).url == "https://example.org/rapport"
    # Never back to another site; and the form is the team's only.
    elsewhere = team.post(
        "/publications/scanning/staff/",
        {"url": "https://example.org/to", "title": "To", "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == "/publications/scanning/staff/"
    for other in (world.staff, world.manager, None):
        assert 'class="quick-scan"' not in client_for(other).get("/events/").content.decode()
