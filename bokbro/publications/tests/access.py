"""The publications' rows of the access matrix (core/tests/test_access_matrix.py): the archive,
a publication, its PDF and the feed are public on the agency's site; the agency's team changes
its own publications (the Swedish consultant at home adds to his own agency's)."""

from __future__ import annotations

import io
from typing import Any

from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.publications.models import (
    Article,
    ArticlePicture,
    MagazineIssue,
    Publication,
    ScanItem,
)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "publications:archive": OPEN,
    "publications:feed": OPEN,
    "publications:detail": ON_OWN_SITE,
    "publications:file": ON_OWN_SITE,
    "publications:cover": ON_OWN_SITE,
    "publications:staff": TEAM_GET,
    "publications:create": TEAM_GET,
    "publications:edit": TEAM_OBJECT,
    "publications:delete": TEAM_POST_ONLY,
    "publications:scanning": OPEN,
    "publications:scanning_feed": OPEN,
    "publications:scanning_staff": TEAM_GET,
    "publications:scanning_edit": TEAM_OBJECT,
    "publications:scanning_delete": TEAM_POST_ONLY,
    "publications:issues": OPEN,
    "publications:magazine_feed": OPEN,
    "publications:issue": ON_OWN_SITE,
    "publications:issue_pdf": ON_OWN_SITE,
    "publications:article": ON_OWN_SITE,
    "publications:picture": ON_OWN_SITE,
    "publications:staff_issues": TEAM_GET,
    "publications:issue_edit": TEAM_OBJECT,
    "publications:article_add": TEAM_OBJECT,
    "publications:article_edit": TEAM_OBJECT,
    "publications:article_delete": TEAM_POST_ONLY,
    "publications:picture_edit": TEAM_POST_ONLY,
    "publications:picture_delete": TEAM_POST_ONLY,
    "publications:issue_announce": TEAM_POST_ONLY,
    "publications:scanning_newsletter": (LOGIN, 403, 403, 403, 405, 405, 403, 405),
}

TEAM_CHANGES = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "publications:create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "publications:edit": TEAM_CHANGES,
    "publications:delete": TEAM_CHANGES,
    # With a title given, nothing is fetched: the matrix runs without a network.
    "publications:scanning_staff": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "publications:scanning_edit": TEAM_CHANGES,
    "publications:scanning_delete": TEAM_CHANGES,
    "publications:staff_issues": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "publications:issue_edit": TEAM_CHANGES,
    "publications:article_add": TEAM_CHANGES,
    "publications:article_edit": TEAM_CHANGES,
    "publications:article_delete": TEAM_CHANGES,
    "publications:picture_edit": TEAM_CHANGES,
    "publications:picture_delete": TEAM_CHANGES,
    "publications:issue_announce": TEAM_CHANGES,
    # The Swedish consultant at home has no such list: the page again, nothing made.
    "publications:scanning_newsletter": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
}

READ_ONLY = {"publications:staff"}

OBJECT_URLS = [
    "publications:detail",
    "publications:file",
    "publications:cover",
    "publications:edit",
    "publications:delete",
    "publications:scanning_edit",
    "publications:scanning_delete",
    "publications:issue",
    "publications:issue_pdf",
    "publications:article",
    "publications:picture",
    "publications:issue_edit",
    "publications:article_add",
    "publications:article_edit",
    "publications:article_delete",
    "publications:picture_edit",
    "publications:picture_delete",
    "publications:issue_announce",
]

# A draft issue's article and a draft publication: for the team only, until published.
DRAFT_TEXT = "Utkast: intervju med bibliotekaren i Rakkestad"
DRAFT_PUBLICATION = "Utkast: veileder for lesesirkler i Halden"
LINK = "https://example.org/utkast"


class RewindingFile(io.BytesIO):
    """An upload the test client can send once per role (it reads without seeking back)."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read()


def setup(site: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from bokbro.publications import services
    from bokbro.publications.tests.factories import issue_with_article

    w = site.world
    publication = services.publication_save(
        actor=w.consultant,
        agency=w.agency,
        data=services.PublicationData(
            title="Årsmelding 2025",
            authors="Kari Konsulent",
            year=2025,
            kind="report",
            language="nb",
            isbn="978-82-02-39997-9",
            file=ContentFile(PDF, "arsmelding.pdf"),
            cover=ContentFile(PNG, "omslag.png"),
            publish=True,
        ),
    )
    services.publication_save(
        actor=w.consultant,
        agency=w.agency,
        data=services.PublicationData(
            title=DRAFT_PUBLICATION, year=2026, kind="guide", language="nb", url=LINK
        ),
    )
    item = services.scan_item_save(
        actor=w.consultant,
        agency=w.agency,
        data=services.ScanItemData(
            url="https://example.org/rapport", title="Ny rapport om lesing", tags="Lesing"
        ),
    )
    issue, article = issue_with_article(w)
    issue_with_article(
        w,
        issue_title="Nr. 2 2026",
        publish=False,
        title=DRAFT_TEXT,
        lead="Kommer.",
        body="Kommer.",
        picture=None,
    )
    return {
        "publication": publication,
        "item": item,
        "issue": issue,
        "article": article,
        "picture": article.pictures.get(),
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    if name in {"publications:picture", "publications:picture_edit", "publications:picture_delete"}:
        return {
            "pk": objects["issue"].pk,
            "article_pk": objects["article"].pk,
            "picture_pk": objects["picture"].pk,
        }
    if name in {"publications:article", "publications:article_edit", "publications:article_delete"}:
        return {"pk": objects["issue"].pk, "article_pk": objects["article"].pk}
    if name in {
        "publications:issue",
        "publications:issue_pdf",
        "publications:issue_edit",
        "publications:article_add",
        "publications:issue_announce",
    }:
        return {"pk": objects["issue"].pk}
    if name.startswith("publications:scanning_"):
        return {"pk": objects["item"].pk} if name in OBJECT_URLS else {}
    if name in OBJECT_URLS:
        return {"pk": objects["publication"].pk}
    return {}


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    newsletter_list = site.of("newsletter")["public"]
    form = {
        "title": "Veileder",
        "authors": "",
        "year": "2026",
        "kind": "guide",
        "language": "nb",
        "isbn": "",
        "issn": "0378-5955",
        "summary": "",
        "url": "https://example.org/veileder",
        "publish": "on",
    }
    data: dict[str, dict[str, Any]] = {
        "publications:create": {**form, "file": RewindingFile(PDF, "veileder.pdf")},
        "publications:edit": {**form, "title": "Årsmelding for 2025"},
        "publications:scanning_staff": {
            "url": "https://example.org/ny",
            "title": "Ny undersøkelse",
            "tags": "Lesing, Skole",
        },
        "publications:staff_issues": {"title": "Nr. 3 2026"},
        "publications:issue_announce": {"announce-mailing_list": newsletter_list.pk},
        "publications:scanning_newsletter": {"newsletter-mailing_list": newsletter_list.pk},
        "publications:issue_edit": {"title": "Nr. 1 2026", "theme": "Bokbuss", "publish": "on"},
        "publications:article_add": {
            "title": "Ny artikkel",
            "lead": "Kort.",
            "body": "Lang.",
            "position": "2",
        },
        "publications:article_edit": {
            "title": "Bokbussen kommer igjen",
            "lead": "Om bokbussen.",
            "body": "Tekst.",
            "position": "0",
        },
        "publications:picture_edit": {
            f"picture-{objects['picture'].pk}-description": "Bokbussen ved Rakkestad skole",
            f"picture-{objects['picture'].pk}-credit": "Kari Foto",
            f"picture-{objects['picture'].pk}-position": "1",
        },
        "publications:scanning_edit": {
            "url": "https://example.org/rapport",
            "title": "Ny rapport om lesing og skole",
        },
    }
    return data.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "publications": list(Publication.objects.order_by("pk").values()),
        "scan_items": list(ScanItem.objects.order_by("pk").values()),
        "issues": list(MagazineIssue.objects.order_by("pk").values()),
        "articles": list(Article.objects.order_by("pk").values()),
        "pictures": list(ArticlePicture.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """No one outside the agency's team reads a draft issue or a draft publication."""
    return [DRAFT_TEXT, DRAFT_PUBLICATION]
