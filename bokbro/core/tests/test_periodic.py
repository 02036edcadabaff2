"""`bokbro periodic`: one module's failure, or one object's, stops nothing else (issue 13)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bokbro.core import periodic
from bokbro.core.management.commands import periodic as command
from bokbro.directory.models import County


def test_a_failing_module_is_logged_and_the_others_still_run(db, monkeypatch, capsys, caplog):
    real = list(command.resolved("periodic"))
    assert len(real) > 2
    first_module = real[0][0]

    def broken(**_kwargs: Any) -> dict[str, int]:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(command, "resolved", lambda part: iter([(first_module, broken), *real]))
    with (
        caplog.at_level(logging.ERROR, logger="bokbro.periodic"),
        pytest.raises(CommandError) as raised,
    ):
        call_command("periodic")

    # Every real module's job ran after the broken one and printed its counts.
    out = capsys.readouterr().out
    assert "project report reminders sent: 0" in out
    assert "1 part(s) of the periodic work failed" in str(raised.value)
    assert f"{first_module.label}: stopped (OverflowError: date value out of range)" in str(
        raised.value
    )
    assert "OverflowError" in caplog.text  # the traceback is in the log


def test_the_command_succeeds_when_nothing_fails(db, capsys):
    call_command("periodic")
    assert "project report reminders sent: 0" in capsys.readouterr().out


def test_each_rolls_back_only_the_object_that_failed(db, caplog):
    counties = [
        County.objects.create(country="NO", code=code, name=name)
        for code, name in [("91", "Første"), ("92", "Andre"), ("93", "Tredje")]
    ]

    def rename(county: County) -> None:
        county.name = county.name.upper()
        county.save()
        if county.code == "92":
            raise ValueError("broken")

    with (
        periodic.collecting() as failures,
        caplog.at_level(logging.ERROR, logger="bokbro.periodic"),
    ):
        done = periodic.each("test: rename", counties, rename)

    assert done == 2
    names = dict(County.objects.filter(code__in=["91", "92", "93"]).values_list("code", "name"))
    assert names == {"91": "FØRSTE", "92": "Andre", "93": "TREDJE"}  # 92 rolled back alone
    assert failures == [f"test: rename: County {counties[1].pk}"]
    assert f"County {counties[1].pk}" in caplog.text
