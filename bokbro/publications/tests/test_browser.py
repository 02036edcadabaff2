"""The publications' pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP and the
page's language, in bokmål, nynorsk, Swedish and English, for a reader and the consultant."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.publications import services
from bokbro.publications.demo import pdf
from bokbro.publications.tests.access import PNG
from bokbro.publications.tests.factories import issue_with_article

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_publication_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, world: Any, language: str
) -> None:
    publication = services.publication_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.PublicationData(
            title="Årsmelding 2025",
            authors="Kari Konsulent",
            year=2025,
            kind="report",
            language="nb",
            isbn="9788202399979",
            summary="Et **godt** år.",
            file=ContentFile(pdf("Arsmelding"), "a.pdf"),
            publish=True,
        ),
    )
    draft = services.publication_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.PublicationData(
            title="Veileder", year=2026, kind="guide", language="nb", url="https://example.org/v"
        ),
    )
    item = services.scan_item_save(
        actor=world.consultant,
        agency=world.agency,
        data=services.ScanItemData(
            url="https://example.org/lesing", title="Lesevaner blant unge", tags="Lesing"
        ),
    )
    issue, article = issue_with_article(
        world, body="## Morgen\n\nTekst.", picture_credit="Kari Foto"
    )
    for text in ("Barn i bokbussen", "Sjåføren"):
        services.article_save(
            actor=world.consultant,
            agency=world.agency,
            issue=issue,
            article=article,
            data=services.ArticleData(
                title="Bokbussen kommer",
                lead="Om bokbussen.",
                body="## Morgen\n\nTekst.",
                picture=ContentFile(PNG, "b.png"),
                picture_text=text,
            ),
        )
    problems = Problems()
    pk = publication.pk
    for who, user, pages in (
        (
            "reader",
            None,
            [
                "/publications/",
                "/publications/?kind=report",
                f"/publications/{pk}/",
                "/publications/scanning/",
                "/publications/magazine/",
                f"/publications/magazine/{issue.pk}/",
                article.get_absolute_url(),
            ],
        ),
        (
            "consultant",
            world.consultant,
            [
                "/publications/staff/",
                "/publications/staff/new/",
                f"/publications/staff/{pk}/",
                f"/publications/{draft.pk}/",
                "/publications/scanning/staff/",
                f"/publications/scanning/staff/{item.pk}/",
                "/publications/magazine/staff/",
                f"/publications/magazine/staff/{issue.pk}/",
                f"/publications/magazine/staff/{issue.pk}/new/",
                f"/publications/magazine/staff/{issue.pk}/{article.pk}/",
            ],
        ),
    ):
        browsing = Browsing(
            browser,
            live_server.url,
            axe_source,
            problems,
            language=language,
            session_key=session_for(user) if user else None,
        )
        try:
            for path in pages:
                browsing.visit(path)
                browsing.check(f"[{language}] {who} {path}", language=language)
        finally:
            browsing.close()
    problems.assert_none()


def wide_png(width: int, height: int) -> bytes:
    """A grey PNG of the given size, as a camera's picture is wider than a phone."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_wide_picture_fits_a_phone(
    browser: Any, axe_source: str, live_server: Any, world: Any
) -> None:
    _issue, article = issue_with_article(
        world, issue_title="Nr. 3 2026", picture=ContentFile(wide_png(1600, 40), "bred.png")
    )
    problems = Problems()
    phone = Browsing(browser, live_server.url, axe_source, problems, language="nb", width=390)
    try:
        phone.visit(article.get_absolute_url())
        phone.check("article on a phone", language="nb")
        shown = phone.page.evaluate(
            "document.querySelector('img.magazine-picture').getBoundingClientRect().width"
        )
        sideways = phone.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        phone.close()
    problems.assert_none()
    assert 0 < shown <= 390 and sideways == 0
