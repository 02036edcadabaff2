"""The report introductions moved from plans to reports with their table: rows written before
the move are there after it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bokbro.directory.models import Agency
from bokbro.plans.computed import METRICS
from bokbro.reports.metrics import COMPUTE
from bokbro.reports.models import ReportText

BEFORE = [("plans", "0001_initial"), ("reports", None)]


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_report_texts_written_before_the_move_are_kept() -> None:
    agency = Agency.objects.create(slug="ostfold", name="Bibliotekutvikling Østfold", country="NO")
    try:
        executor = migrate(BEFORE)
        state = executor.loader.project_state([("plans", "0001_initial")])
        old = state.apps.get_model("plans", "ReportText")
        old.objects.create(agency_id=agency.pk, year=2025, section="intro", text="Året var godt.")
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    finally:
        # Whatever happened, the other tests find the database at its newest.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    moved = ReportText.objects.get()
    assert (moved.agency, moved.year, moved.section, moved.text) == (
        agency,
        2025,
        "intro",
        "Året var godt.",
    )
    assert ReportText._meta.db_table == "reports_reporttext"


def test_every_figure_an_indicator_can_name_is_computed_by_the_report() -> None:
    assert set(COMPUTE) == set(METRICS)
