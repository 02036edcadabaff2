"""KB's rule for municipal library plans, at the year boundaries, and the region's figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bokbro.directory.models import Agency, County, Municipality
from bokbro.plans.kb import municipal_plan_counts, municipal_plan_overview, municipality_row
from bokbro.plans.models import MunicipalPlan, kb_status
from bokbro.plans.services import municipal

YEAR = 2026


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        (2022, 2026, "current"),  # covers the year
        (2026, 2026, "current"),  # its first and last year
        (2020, 2025, "current"),  # ended last year
        (2020, 2024, "current"),  # ended two years ago: still current under KB's rule
        (2020, 2023, "expired"),  # ended three years ago
        (2010, None, "current"),  # open-ended, in force
        (2027, 2030, "missing"),  # adopted, but starts next year: does not count yet
        (2027, None, "missing"),
    ],
)
def test_kb_rule_at_the_year_boundaries(starts: int, ends: int | None, expected: str) -> None:
    assert kb_status(starts, ends, YEAR) == expected


def plan(starts: int, ends: int | None, pk: int = 1, school: bool = False) -> MunicipalPlan:
    return MunicipalPlan(pk=pk, starts_year=starts, ends_year=ends, covers_school_libraries=school)


def test_a_municipality_gets_the_best_status_of_its_plans() -> None:
    municipality = Municipality(name="Halden")
    row = municipality_row(municipality, [plan(2015, 2019, 1), plan(2021, 2024, 2)], YEAR)
    assert row.status == "current"
    assert row.plan is not None
    assert row.plan.pk == 2
    row = municipality_row(municipality, [plan(2015, 2019, 1), plan(2027, 2030, 2)], YEAR)
    assert row.status == "expired"
    assert row.plan is not None and row.upcoming is not None
    assert row.plan.pk == 1
    assert row.upcoming.pk == 2


def test_a_municipality_without_plans_or_with_only_a_future_plan_is_missing() -> None:
    municipality = Municipality(name="Hvaler")
    assert municipality_row(municipality, [], YEAR).status == "missing"
    row = municipality_row(municipality, [plan(2027, 2030)], YEAR)
    assert row.status == "missing"
    assert row.plan is None
    assert row.upcoming is not None


@pytest.mark.parametrize(
    ("plans", "expires_soon", "period_over"),
    [
        ([(2023, 2026)], True, False),  # ends this year
        ([(2024, 2027)], True, False),  # ends next year
        ([(2024, 2028)], False, False),  # two years left
        ([(2020, None)], False, False),  # open-ended
        ([(2023, 2026), (2027, 2030)], False, False),  # a successor is registered
        ([(2020, 2025)], False, True),  # current only thanks to KB's two years
        ([(2018, 2023)], False, False),  # expired: not "soon" any more
    ],
)
def test_expires_soon_flags_plans_that_end_this_year_or_next(
    plans: list[tuple[int, int | None]], expires_soon: bool, period_over: bool
) -> None:
    row = municipality_row(
        Municipality(name="Moss"),
        [plan(s, e, pk=i + 1) for i, (s, e) in enumerate(plans)],
        YEAR,
    )
    assert row.expires_soon is expires_soon
    assert row.period_over is period_over


@pytest.fixture
def region(world: Any) -> Any:
    """Five municipalities in Østfold (two from the world, three more) and one in another
    county the agency does not serve."""
    for code, name in [("3101", "Halden"), ("3103", "Moss"), ("3110", "Hvaler")]:
        Municipality.objects.create(country="NO", code=code, name=name, county=world.county)
    elsewhere = County.objects.create(country="NO", code="03", name="Oslo")
    oslo = Municipality.objects.create(country="NO", code="0301", name="Oslo", county=elsewhere)

    def register(name: str, starts: int, ends: int | None, school: bool = False) -> None:
        municipal.municipal_plan_create(
            actor=world.consultant,
            agency=world.agency,
            fields=municipal.MunicipalPlanFields(
                municipality=Municipality.objects.get(name=name),
                title=f"Bibliotekplan for {name}",
                starts_year=starts,
                ends_year=ends,
                covers_school_libraries=school,
            ),
        )

    register("Fredrikstad", 2023, 2026, school=True)  # current, expires soon
    register("Sarpsborg", 2018, 2022)  # expired
    register("Sarpsborg", 2027, 2030)  # … with a successor not yet started
    register("Halden", 2020, None, school=True)  # current, open-ended
    # Moss and Hvaler: missing. Oslo is outside the region.
    MunicipalPlan.objects.create(
        agency=world.agency, municipality=oslo, title="Utenfor", starts_year=2020, ends_year=2030
    )
    return world


@pytest.mark.django_db
def test_the_overview_lists_every_municipality_of_the_region_with_its_status(
    region: Any, django_assert_num_queries: Any
) -> None:
    agency = Agency.objects.get(pk=region.agency.pk)
    with django_assert_num_queries(3):  # the agency's counties, the municipalities, the plans
        rows = municipal_plan_overview(agency, YEAR)
    assert [(r.municipality.name, r.status) for r in rows] == [
        ("Fredrikstad", "current"),
        ("Halden", "current"),
        ("Hvaler", "missing"),
        ("Moss", "missing"),
        ("Sarpsborg", "expired"),
    ]
    assert [r.municipality.name for r in rows if r.expires_soon] == ["Fredrikstad"]


@pytest.mark.django_db
def test_the_counts_and_shares_match_a_hand_count(region: Any) -> None:
    counts = municipal_plan_counts(region.agency, YEAR)
    assert counts.total == 5
    assert (counts.current, counts.expired, counts.missing) == (2, 1, 2)
    assert counts.share("current") == Decimal("40.0")
    assert counts.share("expired") == Decimal("20.0")
    assert counts.expires_soon == 1
    assert counts.covers_school_libraries == 2
    # As of 2030 the Fredrikstad plan has expired (2026 + 2 < 2030) and Sarpsborg's new plan runs.
    later = municipal_plan_counts(region.agency, 2030)
    assert (later.current, later.expired, later.missing) == (2, 1, 2)
    assert [
        r.municipality.name
        for r in municipal_plan_overview(region.agency, 2030)
        if r.status == "expired"
    ] == ["Fredrikstad"]
