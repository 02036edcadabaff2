"""Magazine issues for the tests (the access matrix, the behaviour and browser tests)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from bokbro.publications import services
from bokbro.publications.models import Article, MagazineIssue
from bokbro.publications.tests.access import PNG


def issue_with_article(
    world: Any, *, issue_title: str = "Nr. 1 2026", publish: bool = True, **article: Any
) -> tuple[MagazineIssue, Article]:
    """An issue of the agency, written by its consultant, with one article: "Bokbussen kommer"
    with a picture of the mobile library, unless `article` says otherwise (ArticleData's
    fields; `picture=None` for none). Published unless `publish` is False."""
    data: dict[str, Any] = {
        "title": "Bokbussen kommer",
        "lead": "Om bokbussen.",
        "body": "Tekst.",
        "picture": ContentFile(PNG, "buss.png"),
        "picture_text": "Bokbussen ved skolen",
        **article,
    }
    actor, agency = world.consultant, world.agency
    issue = services.issue_save(actor=actor, agency=agency, title=issue_title)
    written = services.article_save(
        actor=actor, agency=agency, issue=issue, data=services.ArticleData(**data)
    )
    if publish:
        issue = services.issue_save(
            actor=actor, agency=agency, issue=issue, title=issue_title, publish=True
        )
    return issue, written
