from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from bokbro.projects.models import Funder
from bokbro.projects.services.funding import FunderFields, funder_create
from bokbro.projects.services.projects import ProjectFields, project_create


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_project(world: Any, **overrides: Any) -> Any:
    fields = ProjectFields(
        title="Leselyst i Østfold",
        summary="Mer lesing for barn",
        status="running",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        internal_notes="Hemmelig: budsjettet er stramt",
    )
    return project_create(
        actor=world.consultant, agency=world.agency, fields=replace(fields, **overrides)
    )


@pytest.fixture
def project(world: Any) -> Any:
    return make_project(world)


@pytest.fixture
def nb_rule(world: Any) -> Funder:
    """Nasjonalbiblioteket's rule: at least 40 % own funding and NOK 300 000 applied."""
    return funder_create(
        actor=world.admin,
        agency=world.agency,
        fields=FunderFields(
            name="Nasjonalbiblioteket", min_own_share=Decimal("40"), min_applied=Decimal("300000")
        ),
    )


@pytest.fixture
def own(world: Any) -> Funder:
    return funder_create(
        actor=world.admin,
        agency=world.agency,
        fields=FunderFields(name="Egeninnsats", is_own=True),
    )


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages from services and models are read in English here; pages choose their own
    language per request (the language tests and the browser tests cover nb and sv)."""
    with translation.override("en"):
        yield
