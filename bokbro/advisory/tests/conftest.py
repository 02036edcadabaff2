from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from bokbro.advisory.services import ConsultationData, consultation_create, topic_create


def make_consultation(world: Any, **overrides: Any) -> Any:
    data = ConsultationData(
        date=overrides.pop("date", date.today() - timedelta(days=2)),
        kind=overrides.pop("kind", "visit"),
        hours=Decimal(overrides.pop("hours", "1.5")),
        summary=overrides.pop("summary", "Snakket om meråpent bibliotek."),
        internal_notes=overrides.pop("internal_notes", "Internt: budsjettet er kuttet."),
    )
    kwargs = {
        "actor": world.consultant,
        "agency": world.agency,
        "consultant": world.consultant,
        "libraries": [world.library],
    }
    kwargs.update(overrides)
    return consultation_create(data=data, **kwargs)


@pytest.fixture
def topic(world: Any) -> Any:
    return topic_create(actor=world.consultant, agency=world.agency, name="Meråpent")


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages from services and models are read in English here; pages choose their own
    language per request (the language tests and the browser tests cover nb and sv)."""
    with translation.override("en"):
        yield
