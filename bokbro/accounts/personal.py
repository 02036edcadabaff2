"""What other modules hold about a person, for the account's export and erasure.

Its own file because both sides use it: the export (selectors) and the erasure (services) of
this app, and every module that declares `personal_data` in its contract."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    """What a module holds about a person by e-mail address, for export and erasure.

    A module declares one as `personal_data` in its contract (bokbro.core.modules), so the
    account's export and deletion reach data the accounts app does not know about (newsletter
    subscriptions, …) without importing those modules."""

    key: str
    export: Callable[[list[str]], Any]
    erase: Callable[[list[str]], Any]


def personal_data() -> dict[str, PersonalData]:
    """Every module's declared personal data, by key."""
    from bokbro.core.modules import resolved

    return {entry.key: entry for _module, entry in resolved("personal_data")}
