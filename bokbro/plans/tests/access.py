"""The plans module's rows of the role matrix (`core/tests/test_access_matrix.py`).

Two halves, merged here: the plan, the municipal plan register and the dialogues
(`access_plans.py`), and the follow-up and the annual report (`access_report.py`).
"""

from __future__ import annotations

from typing import Any

from bokbro.plans.tests import access_plans, access_report

_HALVES = (access_plans, access_report)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    **access_plans.GET_EXPECTED,
    **access_report.GET_EXPECTED,
}
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    **access_plans.POST_EXPECTED,
    **access_report.POST_EXPECTED,
}
READ_ONLY = set(access_plans.READ_ONLY) | set(access_report.READ_ONLY)
OBJECT_URLS = [*access_plans.OBJECT_URLS, *access_report.OBJECT_URLS]


def _half(name: str) -> Any:
    if name in access_report.GET_EXPECTED or name in access_report.POST_EXPECTED:
        return access_report
    return access_plans


def setup(site: Any) -> dict[str, Any]:
    objects = access_plans.setup(site)
    objects.update(access_report.setup(site, objects))
    return objects


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return _half(name).url_kwargs(name, site, objects)


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return _half(name).post_data(name, site, objects)


def database_state() -> dict[str, list[Any]]:
    return {**access_plans.database_state(), **access_report.database_state()}


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return [
        *access_plans.hidden_texts(role, site, objects),
        *access_report.hidden_texts(role, site, objects),
    ]
