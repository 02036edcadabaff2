"""Horizon scanning: the public list with topic and goal filters, its Atom feed, and the team's
quick form (paste a link; the title and description are read from the page when it can be
reached), with change and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.markdown import render_markdown
from bokbro.core.pagination import query_without_page
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.publications import selectors, services
from bokbro.publications.access import scan_item_for_staff
from bokbro.publications.forms import NewsletterDraftForm, ScanFilterForm, ScanItemForm
from bokbro.publications.models import ScanItem

PAGE_SIZE = 30


def scanning(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    form = ScanFilterForm(request.GET or None, agency=agency)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.scan_items(agency, filters)
    return render(
        request,
        "publications/scanning.html",
        {
            "form": form,
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query_without_page(request),
            "feed_query": query_without_page(request).lstrip("&"),
        },
    )


def scanning_feed(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    form = ScanFilterForm(request.GET or None, agency=agency)
    filters = form.cleaned_data if form.is_valid() else {}
    atom = Atom1Feed(
        title=_("Horizon scanning from %(agency)s") % {"agency": agency.name},
        link=request.build_absolute_uri(reverse("publications:scanning")),
        description="",
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    for item in selectors.scan_items(agency, filters)[:50]:
        atom.add_item(
            title=item.title,
            link=item.url,
            description=str(render_markdown(item.summary)),
            author_name=item.source or None,
            pubdate=item.created_at,
            unique_id=f"{request.build_absolute_uri(reverse('publications:scanning'))}#{item.pk}",
            categories=[tag.name for tag in item.tags.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


def _save(request: StaffRequest, item: ScanItem | None, template: str) -> HttpResponse:
    initial = {}
    if item is not None:
        initial = {"tags": ", ".join(tag.name for tag in item.tags.all())}
    form = ScanItemForm(
        request.POST or None,
        agency=request.agency,
        initial=initial
        | (
            {
                "url": item.url,
                "title": item.title,
                "source": item.source,
                "published_on": item.published_on,
                "summary": item.summary,
                "plan_goals": list(item.plan_goals.all()),
            }
            if item
            else {}
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.scan_item_save(
                actor=request.user,
                agency=request.agency,
                item=item,
                data=services.ScanItemData.from_values(data),
                plan_goals=data.get("plan_goals"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            # From the quick form at the foot of every staff page: back to that page.
            back = request.POST.get("next", "")
            if item is None and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(back)
            return redirect(reverse("publications:scanning_staff"))
    return _staff_page(request, form, item, template)


def _staff_page(
    request: StaffRequest,
    form: ScanItemForm,
    item: ScanItem | None,
    template: str = "publications/staff/scanning.html",
    newsletter_form: NewsletterDraftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    items = ScanItem.objects.of_agency(request.agency).for_list()[:30] if item is None else []
    newsletter_form = newsletter_form or NewsletterDraftForm(
        agency=request.agency, prefix="newsletter"
    )
    return render(
        request,
        template,
        {"form": form, "item": item, "items": items, "newsletter_form": newsletter_form},
        status=status,
    )


@staff_required
def scanning_staff(request: StaffRequest) -> HttpResponse:
    return _save(request, None, "publications/staff/scanning.html")


@staff_required
def scanning_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _save(request, scan_item_for_staff(request, pk), "publications/staff/scanning.html")


@staff_required
@require_POST
def scanning_delete(request: StaffRequest, pk: int) -> HttpResponse:
    item = scan_item_for_staff(request, pk)
    services.scan_item_delete(actor=request.user, agency=request.agency, item=item)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": item.title})
    return redirect(reverse("publications:scanning_staff"))


@staff_required
@require_POST
def scanning_newsletter(request: StaffRequest) -> HttpResponse:
    """This month's items as a section of a newsletter draft, in one step."""
    form = NewsletterDraftForm(request.POST, agency=request.agency, prefix="newsletter")
    if form.is_valid():
        try:
            draft = services.scanning_to_newsletter(
                actor=request.user,
                agency=request.agency,
                mailing_list=form.cleaned_data["mailing_list"],
                since=timezone.localdate().replace(day=1),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("A newsletter draft has this month's items."))
            return redirect(reverse("newsletter:issue_edit", args=[draft.pk]))
    # Nothing was made: the page again, with the reason.
    return _staff_page(request, ScanItemForm(agency=request.agency), None, newsletter_form=form)
