"""The projects module's rows of the access matrix (core/tests/test_access_matrix.py).

The project in `setup` is the Norwegian agency's, published, with the Swedish agency as a
partner: the Swedish consultant at home (`outsider_home`) reads its staff page and documents
but changes nothing; on the Norwegian site he is an outsider like any other.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from bokbro.core.tests.access_roles import (
    LOGIN,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.projects.models import (
    Document,
    Funder,
    FundingLine,
    Measure,
    Partner,
    Project,
    StatusReport,
)
from bokbro.projects.services.documents import document_add
from bokbro.projects.services.funding import (
    FunderFields,
    FundingLineFields,
    StatusReportFields,
    funder_create,
    funding_line_create,
    report_create,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    ProjectFields,
    measure_create,
    partner_add,
    project_create,
)

INTERNAL_NOTE = "Internt: budsjettet er stramt, ikke si det til partnerne"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

# The owner's staff, and (to read) a partner agency's staff on their own site.
PARTNER_READ = (LOGIN, 403, 403, 403, 200, 200, 403, 200)
# The agency's own list of funders: the Swedish consultant at home has his own list.
OWN_LIST_OBJECT = (LOGIN, 403, 403, 403, 200, 200, 403, 404)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "projects:list": OPEN,
    "projects:completed": OPEN,
    # Published, and the Swedish agency is a partner: its site shows the project too.
    "projects:detail": OPEN,
    "projects:staff_list": TEAM_GET,
    "projects:export_csv": TEAM_GET,
    "projects:export_xlsx": TEAM_GET,
    "projects:create": TEAM_GET,
    "projects:funders": TEAM_GET,
    "projects:funder_edit": OWN_LIST_OBJECT,
    "projects:staff_detail": PARTNER_READ,
    "projects:edit": TEAM_OBJECT,
    "projects:document_add": TEAM_OBJECT,
    "projects:document_download": PARTNER_READ,
    "projects:document_remove": TEAM_POST_ONLY,
    "projects:part_create": TEAM_OBJECT,
    "projects:part_edit": TEAM_OBJECT,
    "projects:part_delete": TEAM_POST_ONLY,
    "api:projects": OPEN,
    "api:project": OPEN,
}

OWNER_CHANGES = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # The Swedish consultant at home creates a project (or a funder) for his own agency.
    "projects:create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "projects:funders": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "projects:funder_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 404),
    "projects:edit": OWNER_CHANGES,
    "projects:document_add": OWNER_CHANGES,
    "projects:document_remove": OWNER_CHANGES,
    "projects:part_create": OWNER_CHANGES,
    "projects:part_edit": OWNER_CHANGES,
    "projects:part_delete": OWNER_CHANGES,
}

READ_ONLY = {
    "projects:staff_list",
    "projects:export_csv",
    "projects:export_xlsx",
    "projects:staff_detail",
    "projects:document_download",
}

OBJECT_URLS = [
    "projects:detail",
    "projects:funder_edit",
    "projects:staff_detail",
    "projects:edit",
    "projects:document_add",
    "projects:document_download",
    "projects:document_remove",
    "projects:part_create",
    "projects:part_edit",
    "projects:part_delete",
    "api:project",
]


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

    w = site.world
    common = {"actor": w.consultant, "agency": w.agency}
    project = project_create(
        fields=ProjectFields(
            title="Leselyst i hele regionen",
            summary="Felles satsing på lesing",
            status="running",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            internal_notes=INTERNAL_NOTE,
            is_published=True,
            public_summary="Vi jobber med leselyst.",
        ),
        **common,
    )
    partner_add(project=project, fields=PartnerFields(agency=w.other_agency), **common)
    partner = partner_add(
        project=project,
        fields=PartnerFields(library=w.library, role="model_library", results="Flere utlån"),
        **common,
    )
    measure = measure_create(project=project, fields=MeasureFields(title="Kartlegging"), **common)
    funder = funder_create(
        fields=FunderFields(
            name="Nasjonalbiblioteket", min_own_share=Decimal("40"), min_applied=Decimal("300000")
        ),
        **common,
    )
    line = funding_line_create(
        project=project,
        fields=FundingLineFields(funder=funder, year=2026, applied=Decimal("300000")),
        **common,
    )
    report = report_create(
        project=project,
        fields=StatusReportFields(year=2026, due_on=date(2027, 2, 1)),
        **common,
    )
    document = document_add(
        project=project,
        title="Søknad",
        kind="application",
        file=ContentFile(PDF, name="soknad.pdf"),
        **common,
    )
    return {
        "project": project,
        "partner": partner,
        "measure": measure,
        "funder": funder,
        "line": line,
        "report": report,
        "document": document,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    pk = objects["project"].pk
    return {
        "projects:detail": {"pk": pk},
        "projects:funder_edit": {"pk": objects["funder"].pk},
        "projects:staff_detail": {"pk": pk},
        "projects:edit": {"pk": pk},
        "projects:document_add": {"pk": pk},
        "projects:document_download": {"pk": pk, "document_pk": objects["document"].pk},
        "projects:document_remove": {"pk": pk, "document_pk": objects["document"].pk},
        "projects:part_create": {"pk": pk, "part": "measures"},
        "projects:part_edit": {"pk": pk, "part": "measures", "item_pk": objects["measure"].pk},
        "projects:part_delete": {"pk": pk, "part": "funding", "item_pk": objects["line"].pk},
        "api:project": {"project_id": pk},
    }.get(name, {})


def project_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Nytt prosjekt",
        "summary": "",
        "description": "",
        "goals": "",
        "status": "idea",
        "starts_on": "2026-03-01",
        "ends_on": "2026-12-31",
        "lead_organisation": "",
        "contact": "",
        "internal_notes": "",
        "public_summary": "",
    }
    data.update(overrides)
    return data


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "projects:create": project_form(),
        "projects:edit": project_form(title="Nytt navn", internal_notes=INTERNAL_NOTE),
        "projects:funders": {"name": "Fritt Ord", "min_own_share": "", "min_applied": ""},
        "projects:funder_edit": {
            "name": "Nasjonalbiblioteket",
            "min_own_share": "50",
            "min_applied": "300000",
        },
        "projects:document_add": {
            "kind": "report",
            "title": "Rapport 2026",
            "file": RewindingFile(PDF, "rapport.pdf"),
            "report": "",
        },
        "projects:part_create": {
            "title": "Kursrekke",
            "description": "",
            "owner": "",
            "starts_on": "",
            "ends_on": "",
            "status": "planned",
        },
        "projects:part_edit": {
            "title": "Kartlegging av leselyst",
            "description": "",
            "owner": "Kari",
            "starts_on": "",
            "ends_on": "",
            "status": "ongoing",
        },
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "projects": list(Project.objects.order_by("pk").values()),
        "partners": list(Partner.objects.order_by("pk").values()),
        "measures": list(Measure.objects.order_by("pk").values()),
        "funders": list(Funder.objects.order_by("pk").values()),
        "funding": list(FundingLine.objects.order_by("pk").values()),
        "reports": list(StatusReport.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The owner's internal notes: never for anyone outside its staff, a partner agency's
    staff included."""
    return [INTERNAL_NOTE]
