"""The accounts' rows of the access matrix (core/tests/test_access_matrix.py).

A user's own page, data export and deletion: every signed-in user reaches their own account
and no other (the URLs name no account), so there is no object to miss and no role to refuse.
"""

from __future__ import annotations

from typing import Any

from bokbro.accounts.models import User
from bokbro.core.tests.access_roles import SIGNED_IN

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "accounts:me": SIGNED_IN,
    "accounts:export": SIGNED_IN,
    "accounts:delete": SIGNED_IN,
}
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
    # Not last_login: signing the test client in changes it.
    return {"users": list(User.objects.order_by("pk").values("pk", "email", "name", "language"))}


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return []
