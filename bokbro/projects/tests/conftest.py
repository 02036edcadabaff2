from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from bokbro.projects import services
from bokbro.projects.models import Funder


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_project(world: Any, **overrides: Any) -> Any:
    data = {
        "title": "Leselyst i Østfold",
        "summary": "Mer lesing for barn",
        "status": "running",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2027, 12, 31),
        "internal_notes": "Hemmelig: budsjettet er stramt",
    }
    data.update(overrides)
    return services.project_create(actor=world.consultant, agency=world.agency, data=data)


@pytest.fixture
def project(world: Any) -> Any:
    return make_project(world)


@pytest.fixture
def nb_rule(world: Any) -> Funder:
    """Nasjonalbiblioteket's rule: at least 40 % own funding and NOK 300 000 applied."""
    return services.funder_create(
        actor=world.admin,
        agency=world.agency,
        data={
            "name": "Nasjonalbiblioteket",
            "min_own_share": Decimal("40"),
            "min_applied": Decimal("300000"),
        },
    )


@pytest.fixture
def own(world: Any) -> Funder:
    return services.funder_create(
        actor=world.admin,
        agency=world.agency,
        data={"name": "Egeninnsats", "is_own": True},
    )


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages from services and models are read in English here; pages choose their own
    language per request (the language tests and the browser tests cover nb and sv)."""
    with translation.override("en"):
        yield
