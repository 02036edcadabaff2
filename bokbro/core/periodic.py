"""Periodic work that one bad object cannot stop (issue 13).

`bokbro periodic` runs every module's job (its `periodic` contract) in turn; a job that raises is
logged and the next module's job still runs. Inside a job, `each()` runs the work for one object
in its own transaction: a failure rolls back that object only, is logged with the object's id,
and the loop goes on. The command exits non-zero at the end and names every failure, so cron or
systemd reports it while the good work is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger("bokbro.periodic")

T = TypeVar("T")

_failures: ContextVar[list[str] | None] = ContextVar("periodic_failures", default=None)


def each(label: str, objects: Iterable[T], work: Callable[[T], Any]) -> int:
    """Run `work(obj)` for every object, each in its own transaction; return how many succeeded.

    `label` names the job in the log ("events: anonymise registrations")."""
    done = 0
    for obj in objects:
        try:
            with transaction.atomic():
                work(obj)
        except Exception:
            what = f"{label}: {type(obj).__name__} {getattr(obj, 'pk', obj)}"
            logger.exception("Periodic work failed for %s", what)
            failure(what)
        else:
            done += 1
    return done


def failure(what: str) -> None:
    """Record a failure for the running `bokbro periodic` (outside it, the log is enough)."""
    failures = _failures.get()
    if failures is not None:
        failures.append(what)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the failures `each()` records while the block runs."""
    failures: list[str] = []
    token = _failures.set(failures)
    try:
        yield failures
    finally:
        _failures.reset(token)
