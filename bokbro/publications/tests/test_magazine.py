"""The library magazine: the team writes an issue with articles and publishes it; readers get
the contents page, the articles, the print PDF of the whole issue and the Atom feed; a draft
issue stays with the team."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.publications import services
from bokbro.publications.models import Article, MagazineIssue
from bokbro.publications.tests.test_publications import PNG

pytestmark = pytest.mark.django_db


def make_issue(world: Any, *, publish: bool = True, articles: int = 2) -> MagazineIssue:
    issue = services.issue_save(
        actor=world.consultant, agency=world.agency, title="Nr. 1 2026", theme="Bokbussen"
    )
    for i in range(articles):
        services.article_save(
            actor=world.consultant,
            agency=world.agency,
            issue=issue,
            data=services.ArticleData(
                title=f"Artikkel {i}",
                author="Kari Konsulent",
                lead=f"Ingress {i}.",
                body=f"## Mellomtittel\n\nBrødtekst **{i}**.",
                position=articles - i,
            ),
        )
    if publish:
        issue = services.issue_save(
            actor=world.consultant,
            agency=world.agency,
            issue=issue,
            title=issue.title,
            theme=issue.theme,
            publish=True,
        )
    return issue


def test_readers_get_the_contents_and_the_articles(world, client_for):
    issue = make_issue(world)
    client = client_for(None)
    contents = client.get(f"/publications/magazine/{issue.pk}/").content.decode()
    assert contents.index("Artikkel 1") < contents.index("Artikkel 0")  # in the team's order
    assert "Ingress 0." in contents
    article = Article.objects.get(title="Artikkel 0")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Mellomtittel</h2>" in page and "<strong>0</strong>" in page
    assert "By Kari Konsulent" in page
    assert "Nr. 1 2026" in client.get("/publications/magazine/").content.decode()


def test_a_draft_issue_stays_with_the_team(world, client_for):
    issue = make_issue(world, publish=False)
    assert client_for(None).get(f"/publications/magazine/{issue.pk}/").status_code == 404
    assert "Nr. 1 2026" not in client_for(None).get("/publications/magazine/").content.decode()
    assert (
        client_for(world.consultant).get(f"/publications/magazine/staff/{issue.pk}/").status_code
        == 200
    )


def test_an_empty_issue_cannot_be_published(world, client_for):
    issue = make_issue(world, publish=False, articles=0)
    response = client_for(world.consultant).post(
        f"/publications/magazine/staff/{issue.pk}/", {"title": "Nr. 1 2026", "publish": "on"}
    )
    assert response.status_code == 200
    assert "Add an article before you publish the issue." in response.content.decode()
    issue.refresh_from_db()
    assert issue.published_at is None


def test_the_whole_issue_prints_as_one_pdf(world, client_for):
    issue = make_issue(world)
    response = client_for(None).get(f"/publications/magazine/{issue.pk}/print.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000


def test_the_feed_lists_the_published_articles(world, client_for):
    make_issue(world)
    draft = make_issue(world, publish=False)
    draft.title = "Utkast"
    draft.save()
    feed = client_for(None).get("/publications/magazine/feed.atom").content.decode()
    assert feed.count("<entry>") == 2
    assert "<title>Artikkel 0</title>" in feed
    assert "Utkast" not in feed


def test_a_picture_needs_a_description_and_must_be_a_picture(world, client_for):
    issue = make_issue(world, publish=False, articles=0)
    client = client_for(world.consultant)
    url = f"/publications/magazine/staff/{issue.pk}/new/"
    data = {"title": "Med bilde", "lead": "Kort.", "body": "Tekst.", "position": "0"}
    response = client.post(url, {**data, "picture": SimpleUploadedFile("b.png", PNG)})
    assert "Describe the picture" in response.content.decode()
    response = client.post(
        url, {**data, "picture": SimpleUploadedFile("b.png", b"nope"), "picture_text": "x"}
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_an_article_has_several_pictures_in_order_with_descriptions_and_credits(world, client_for):
    issue = make_issue(world, publish=False, articles=0)
    client = client_for(world.consultant)
    data = {"title": "Med bilder", "lead": "Kort.", "body": "Brødteksten.", "position": "0"}
    client.post(
        f"/publications/magazine/staff/{issue.pk}/new/",
        {**data, "picture": SimpleUploadedFile("a.png", PNG), "picture_text": "Bokbussen i snø"},
    )
    article = Article.objects.get()
    edit = f"/publications/magazine/staff/{issue.pk}/{article.pk}/"
    for text, credit in (("Barn på trappa", "Kari Foto"), ("Sjåføren", "")):
        response = client.post(
            edit,
            {
                **data,
                "picture": SimpleUploadedFile("b.png", PNG),
                "picture_text": text,
                "picture_credit": credit,
            },
        )
        assert response.status_code == 302
    first, second, third = article.pictures.all()
    assert [p.position for p in (first, second, third)] == [0, 1, 2]
    # Move the driver first; remove the snow.
    client.post(
        f"{edit}pictures/{third.pk}/",
        {f"picture-{third.pk}-description": "Sjåføren Per", f"picture-{third.pk}-position": "0"},
    )
    client.post(f"{edit}pictures/{first.pk}/delete/")
    assert [p.description for p in article.pictures.all()] == ["Sjåføren Per", "Barn på trappa"]
    assert "Picture 2" in client.get(edit).content.decode()

    issue = services.issue_save(
        actor=world.consultant, agency=world.agency, issue=issue, title="Nr. 1", publish=True
    )
    page = client_for(None).get(article.get_absolute_url()).content.decode()
    assert page.index('alt="Sjåføren Per"') < page.index("Brødteksten.")
    assert page.index("Brødteksten.") < page.index('alt="Barn på trappa"')
    assert "Photo: Kari Foto" in page
    pdf = client_for(None).get(f"/publications/magazine/{issue.pk}/print.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert pdf.content.count(b"/Subtype /Image") == 4  # two pictures, each with its alpha


def test_another_agencys_issue_is_refused(world):
    issue = make_issue(world, publish=False, articles=0)
    with pytest.raises(ValidationError):
        services.article_save(
            actor=world.outsider,
            agency=world.other_agency,
            issue=issue,
            data=services.ArticleData(title="X", lead="X", body="X"),
        )


def test_an_issue_is_announced_in_the_newsletter_in_one_step(world, client_for):
    from bokbro.newsletter.models import Issue, MailingList

    mailing_list = MailingList.objects.create(agency=world.agency, name="Nyhetsbrev")
    issue = make_issue(world)
    response = client_for(world.consultant).post(
        f"/publications/magazine/staff/{issue.pk}/announce/",
        {"announce-mailing_list": mailing_list.pk},
    )
    draft = Issue.objects.get()
    assert response["Location"] == f"/newsletter/staff/issues/{draft.pk}/edit/"
    assert draft.status == "draft" and draft.mailing_list == mailing_list
    assert draft.subject == "Nytt i magasinet: Nr. 1 2026"  # in the agency's language
    article = Article.objects.get(title="Artikkel 0")
    assert "](http" in draft.body and article.get_absolute_url() in draft.body
    assert "Ingress 0." in draft.body


def test_a_draft_issue_is_not_announced(world):
    from bokbro.newsletter.models import MailingList

    mailing_list = MailingList.objects.create(agency=world.agency, name="Nyhetsbrev")
    with pytest.raises(ValidationError, match="Publish the issue"):
        services.magazine_announce(
            actor=world.consultant,
            agency=world.agency,
            issue=make_issue(world, publish=False),
            mailing_list=mailing_list,
        )
