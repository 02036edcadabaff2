"""Role-matrix rows for the plan, the municipal plan register and the dialogues."""

from __future__ import annotations

from typing import Any

GET_EXPECTED: dict[str, tuple[Any, ...]] = {}
POST_EXPECTED: dict[str, tuple[Any, ...]] = {}
READ_ONLY: set[str] = set()
OBJECT_URLS: list[str] = []


def setup(site: Any) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {}


def database_state() -> dict[str, list[Any]]:
    return {}


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return []
