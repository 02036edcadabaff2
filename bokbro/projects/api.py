"""The projects' part of the JSON API: the published projects of the site's agency (owned or as
a partner agency), with only what the agency chose to publish — as on the public pages."""

from datetime import date
from typing import Literal

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from bokbro.core.pagination import LimitOffset
from bokbro.directory.tenancy import site_agency
from bokbro.projects.models import Measure, Partner, Project

router = Router(tags=["projects"])


class PartnerOut(Schema):
    name: str
    kind: Literal["library", "municipality", "agency", "external"]
    role: str
    library_id: int | None
    # A partner outside Bokbro: what kind of organisation, and its country's two-letter code.
    external_kind: str = ""
    country: str = ""


class MeasureOut(Schema):
    title: str
    status: str


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    starts_on: date | None
    ends_on: date | None
    owner: str
    text: str
    goals: list[str]
    partners: list[PartnerOut]
    measures: list[MeasureOut]
    url: str

    @staticmethod
    def resolve_owner(obj: Project) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_text(obj: Project) -> str:
        return obj.public_summary

    @staticmethod
    def resolve_goals(obj: Project) -> list[str]:
        return obj.goal_list

    @staticmethod
    def resolve_partners(obj: Project) -> list[dict[str, object]]:
        if not obj.public_partners:
            return []
        return [
            {
                "name": p.name,
                "kind": "library"
                if p.library_id
                else "municipality"
                if p.municipality_id
                else "external"
                if p.is_external
                else "agency",
                "role": p.role,
                "library_id": p.library_id,
                "external_kind": p.external_kind,
                "country": p.country,
            }
            for p in obj.partners.all()
        ]

    @staticmethod
    def resolve_measures(obj: Project) -> list[Measure]:
        return list(obj.measures.all()) if obj.public_measures else []

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return obj.get_absolute_url()


class ProjectFilter(Schema):
    status: Literal["running", "completed"] | None = None


def _published(request: HttpRequest):  # type: ignore[no-untyped-def]
    return (
        Project.objects.published_on(site_agency(request))
        .select_related("agency")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.for_list().order_by("pk")),
            "measures",
        )
    )


@router.get("/", response=list[ProjectOut])
@paginate(LimitOffset)
def projects(request: HttpRequest, filters: Query[ProjectFilter]):  # type: ignore[no-untyped-def]
    """Published projects of this site's agency, ongoing and completed."""
    qs = _published(request).order_by("-starts_on", "title", "pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.get("/{project_id}", response=ProjectOut)
def project(request: HttpRequest, project_id: int):  # type: ignore[no-untyped-def]
    found = _published(request).filter(pk=project_id).first()
    if found is None:
        raise Http404
    return found
