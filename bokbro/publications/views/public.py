"""The public archive with search and filters, a publication's page, its PDF, and the Atom feed."""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bokbro.core.files import picture_response
from bokbro.core.markdown import render_markdown
from bokbro.core.pagination import query_without_page
from bokbro.core.types import AgencyRequest
from bokbro.directory.tenancy import site_agency
from bokbro.publications import selectors
from bokbro.publications.access import public_publication
from bokbro.publications.forms import ArchiveFilterForm

PAGE_SIZE = 20


def archive(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    form = ArchiveFilterForm(request.GET or None, agency=agency)
    filters = form.cleaned_data if form.is_valid() else {}
    publications = selectors.archive(agency, filters)
    return render(
        request,
        "publications/archive.html",
        {
            "form": form,
            "page": Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query_without_page(request),
        },
    )


def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    publication = public_publication(request, pk)
    return render(request, "publications/detail.html", {"publication": publication})


def file(request: AgencyRequest, pk: int) -> HttpResponseBase:
    publication = public_publication(request, pk)
    if not publication.file:
        raise Http404
    try:
        handle = default_storage.open(publication.file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(publication.filename)[0] or "application/pdf"
    response = FileResponse(handle, filename=publication.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cover(request: AgencyRequest, pk: int) -> HttpResponseBase:
    """The cover picture, to whoever may see the publication's page."""
    return picture_response(public_publication(request, pk).cover)


def feed(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    atom = Atom1Feed(
        title=_("Publications from %(agency)s") % {"agency": agency.name},
        link=request.build_absolute_uri(reverse("publications:archive")),
        description="",
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    for item in selectors.archive(agency, {}).order_by("-published_at", "-pk")[:50]:
        url = request.build_absolute_uri(item.get_absolute_url())
        atom.add_item(
            title=item.title,
            link=url,
            description=str(render_markdown(item.summary)),
            author_name=item.authors or agency.name,
            pubdate=item.published_at,
            updateddate=item.updated_at,
            unique_id=url,
            categories=[item.get_kind_display(), str(item.year)],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
