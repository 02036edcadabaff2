"""Covers and magazine pictures reach the reader's browser: uploaded files are never served
from MEDIA_ROOT directly (docs/operations.md), so each picture has its own address, checked like
the page it belongs to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from bokbro.publications import services
from bokbro.publications.tests.access import PDF, PNG
from bokbro.publications.tests.factories import issue_with_article

pytestmark = pytest.mark.django_db


def img_src(html: str, marker: str) -> str:
    start = html.index(marker)
    opened = html.rindex("<img", 0, start)
    tag = html[opened : html.index(">", start)]
    return tag.split('src="', 1)[1].split('"', 1)[0]


def test_a_publications_cover_shows_on_its_page(world: Any, client_for: Any) -> None:
    publication = services.publication_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.PublicationData(
            title="Årsmelding 2025",
            year=2025,
            kind="report",
            language="nb",
            file=ContentFile(PDF, "a.pdf"),
            cover=ContentFile(PNG, "omslag.png"),
            publish=True,
        ),
    )
    reader = client_for(None)
    page = reader.get(publication.get_absolute_url()).content.decode()
    src = img_src(page, 'class="classset-title__cover"')
    assert not src.startswith("/media/")
    picture = reader.get(src)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content) == PNG
    # Another agency's site does not hand it out.
    assert client_for(None, host="jonkoping.testserver").get(src).status_code == 404


def test_a_draft_issues_pictures_are_for_the_team_only(world: Any, client_for: Any) -> None:
    issue, article = issue_with_article(world, issue_title="Nr. 2 2026", publish=False)
    picture = article.pictures.get()
    src = f"/publications/magazine/{issue.pk}/{article.pk}/pictures/{picture.pk}/"
    team = client_for(world.consultant)
    editing = team.get(f"/publications/magazine/staff/{issue.pk}/{article.pk}/").content.decode()
    assert f'src="{src}"' in editing
    assert team.get(src).status_code == 200
    assert client_for(None).get(src).status_code == 404
    assert client_for(world.staff).get(src).status_code == 404
    services.issue_save(
        actor=world.consultant, agency=world.agency, issue=issue, title="Nr. 2 2026", publish=True
    )
    reader = client_for(None)
    page = reader.get(f"/publications/magazine/{issue.pk}/{article.pk}/").content.decode()
    assert f'src="{src}"' in page
    assert reader.get(src)["Content-Type"] == "image/png"
