"""The library magazine: published issues with their contents pages and articles, an Atom feed
and a print PDF of a whole issue; the team's pages to write issues and articles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.files import picture_response
from bokbro.core.forms import add_service_errors
from bokbro.core.markdown import render_markdown
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.publications import services
from bokbro.publications.access import (
    article_of,
    issue_for_staff,
    picture_of,
    public_issue,
    readable_issue,
)
from bokbro.publications.forms import (
    ArticleForm,
    ArticlePictureForm,
    IssueForm,
    NewsletterDraftForm,
)
from bokbro.publications.models import MagazineIssue


def issues(request: AgencyRequest) -> HttpResponse:
    found = MagazineIssue.objects.of_agency(site_agency(request)).published()
    return render(request, "publications/magazine/issues.html", {"issues": found})


def issue(request: AgencyRequest, pk: int) -> HttpResponse:
    item = public_issue(request, pk)
    return render(
        request,
        "publications/magazine/issue.html",
        {"issue": item, "articles": list(item.articles.all())},
    )


def article(request: AgencyRequest, pk: int, article_pk: int) -> HttpResponse:
    item = public_issue(request, pk)
    entry = article_of(item, article_pk)
    return render(
        request,
        "publications/magazine/article.html",
        {"issue": item, "article": entry, "pictures": list(entry.pictures.all())},
    )


def picture(request: AgencyRequest, pk: int, article_pk: int, picture_pk: int) -> HttpResponseBase:
    """An article's picture, to whoever may read its issue (`readable_issue`)."""
    item = readable_issue(request, pk)
    found = picture_of(article_of(item, article_pk), picture_pk)
    return picture_response(found.picture, public=item.published_at is not None)


def print_pdf(request: AgencyRequest, pk: int) -> HttpResponse:
    """The whole issue as one PDF for print: the contents, then every article."""
    from weasyprint import HTML

    item = public_issue(request, pk)
    html = render_to_string(
        "publications/magazine/print.html",
        {
            "issue": item,
            "articles": list(item.articles.prefetch_related("pictures")),
            "agency": item.agency,
        },
        request=request,
    )
    content = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="magazine-{item.pk}.pdf"'
    return response


def feed(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    atom = Atom1Feed(
        title=_("The magazine from %(agency)s") % {"agency": agency.name},
        link=request.build_absolute_uri(reverse("publications:issues")),
        description="",
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    published = MagazineIssue.objects.of_agency(agency).published().prefetch_related("articles")
    for item in published[:10]:
        for entry in item.articles.all():
            url = request.build_absolute_uri(entry.get_absolute_url())
            atom.add_item(
                title=entry.title,
                link=url,
                description=str(render_markdown(entry.lead)),
                author_name=entry.author or None,
                pubdate=item.published_at,
                unique_id=url,
                categories=[item.title],
            )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


@staff_required
def staff_issues(request: StaffRequest) -> HttpResponse:
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.issue_save(
                actor=request.user,
                agency=request.agency,
                title=data["title"],
                theme=data["theme"],
                lead=data["lead"],
                publish=False,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("publications:issue_edit", args=[created.pk]))
    found = MagazineIssue.objects.of_agency(request.agency)
    return render(
        request, "publications/magazine/staff_issues.html", {"issues": found, "form": form}
    )


@staff_required
def issue_edit(request: StaffRequest, pk: int) -> HttpResponse:
    item = issue_for_staff(request, pk)
    form = IssueForm(
        request.POST or None,
        initial={
            "title": item.title,
            "theme": item.theme,
            "lead": item.lead,
            "publish": item.published_at is not None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.issue_save(actor=request.user, agency=request.agency, issue=item, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The issue is saved."))
            return redirect(reverse("publications:issue_edit", args=[item.pk]))
    return render(
        request,
        "publications/magazine/staff_issue.html",
        {
            "issue": item,
            "form": form,
            "articles": list(item.articles.all()),
            "announce_form": NewsletterDraftForm(agency=request.agency, prefix="announce"),
        },
    )


def _article_form_page(request: StaffRequest, pk: int, article_pk: int | None) -> HttpResponse:
    item = issue_for_staff(request, pk)
    entry = article_of(item, article_pk) if article_pk is not None else None
    initial = {}
    if entry is not None:
        initial = {
            name: getattr(entry, name) for name in ("title", "author", "lead", "body", "position")
        }
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_save(
                actor=request.user,
                agency=request.agency,
                issue=item,
                article=entry,
                data=services.ArticleData.from_values(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect(reverse("publications:issue_edit", args=[item.pk]))
    pictures = list(entry.pictures.all()) if entry is not None else []
    for picture in pictures:
        picture.form = ArticlePictureForm(  # type: ignore[attr-defined]
            prefix=f"picture-{picture.pk}",
            initial={
                "description": picture.description,
                "credit": picture.credit,
                "position": picture.position,
            },
        )
    return render(
        request,
        "publications/magazine/staff_article.html",
        {"issue": item, "article": entry, "form": form, "pictures": pictures},
    )


@staff_required
def article_add(request: StaffRequest, pk: int) -> HttpResponse:
    return _article_form_page(request, pk, None)


@staff_required
def article_edit(request: StaffRequest, pk: int, article_pk: int) -> HttpResponse:
    return _article_form_page(request, pk, article_pk)


@staff_required
@require_POST
def article_delete(request: StaffRequest, pk: int, article_pk: int) -> HttpResponse:
    item = issue_for_staff(request, pk)
    entry = article_of(item, article_pk)
    services.article_delete(actor=request.user, agency=request.agency, article=entry)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": entry.title})
    return redirect(reverse("publications:issue_edit", args=[item.pk]))


@staff_required
@require_POST
def picture_edit(request: StaffRequest, pk: int, article_pk: int, picture_pk: int) -> HttpResponse:
    item = issue_for_staff(request, pk)
    entry = article_of(item, article_pk)
    picture = picture_of(entry, picture_pk)
    form = ArticlePictureForm(request.POST, prefix=f"picture-{picture.pk}")
    back = reverse("publications:article_edit", args=[item.pk, entry.pk])
    if not form.is_valid():
        messages.error(request, _("Describe the picture for those who cannot see it."))
        return redirect(back)
    services.article_picture_update(
        actor=request.user, agency=request.agency, picture=picture, **form.cleaned_data
    )
    messages.success(request, _("The picture is saved."))
    return redirect(back)


@staff_required
@require_POST
def picture_delete(
    request: StaffRequest, pk: int, article_pk: int, picture_pk: int
) -> HttpResponse:
    item = issue_for_staff(request, pk)
    entry = article_of(item, article_pk)
    picture = picture_of(entry, picture_pk)
    services.article_picture_delete(actor=request.user, agency=request.agency, picture=picture)
    messages.success(request, _("The picture is removed."))
    return redirect(reverse("publications:article_edit", args=[item.pk, entry.pk]))


@staff_required
@require_POST
def issue_announce(request: StaffRequest, pk: int) -> HttpResponse:
    """In one step: a newsletter draft announcing the issue; the editor finishes and sends it."""
    item = issue_for_staff(request, pk)
    form = NewsletterDraftForm(request.POST, agency=request.agency, prefix="announce")
    if form.is_valid():
        try:
            draft = services.magazine_announce(
                actor=request.user,
                agency=request.agency,
                issue=item,
                mailing_list=form.cleaned_data["mailing_list"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A newsletter draft announces the issue."))
            return redirect(reverse("newsletter:issue_edit", args=[draft.pk]))
    else:
        messages.error(request, _("Choose a newsletter list."))
    return redirect(reverse("publications:issue_edit", args=[item.pk]))
