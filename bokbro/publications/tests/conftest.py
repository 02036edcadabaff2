from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The pages in English here (the language switcher's cookie), unless a test asks."""

    def make(user: Any, host: str = "testserver", language: str | None = "en") -> Any:
        return client_for(user, host=host, language=language)

    return make
