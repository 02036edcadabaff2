"""What the advisory log tells the plan follow-up and the annual report
(`bokbro.reports.registry`).

A consultation counts for the year of its date. Its numbers: one consultation and the hours
logged on it (none when the hours were left empty). It reaches the libraries it is about and the
municipalities it is with, directly or through those libraries. Six queries for the whole year.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.advisory.models import Consultation
from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.directory.models import Agency, Library, Municipality


def activities(agency: Agency, year: int) -> list[Activity]:
    consultations = Consultation.objects.filter(agency=agency, date__year=year).order_by(
        "date", "pk"
    )
    rows = list(consultations.values("pk", "date", "kind", "hours"))
    if not rows:
        return []
    ids = consultations.values("pk")
    goals: dict[int, set[int]] = defaultdict(set)
    for pk, goal_id in Consultation.plan_goals.through.objects.filter(
        consultation_id__in=ids
    ).values_list("consultation_id", "goal_id"):
        goals[pk].add(goal_id)
    libraries: dict[int, set[int]] = defaultdict(set)
    for pk, library_id in Consultation.libraries.through.objects.filter(
        consultation_id__in=ids
    ).values_list("consultation_id", "library_id"):
        libraries[pk].add(library_id)
    municipalities: dict[int, set[int]] = defaultdict(set)
    for pk, municipality_id in Consultation.municipalities.through.objects.filter(
        consultation_id__in=ids
    ).values_list("consultation_id", "municipality_id"):
        municipalities[pk].add(municipality_id)
    library_ids = {library_id for ids_ in libraries.values() for library_id in ids_}
    municipality_of: dict[int, int] = {}
    names: dict[tuple[str, int], str] = {}
    for pk, name, municipality_id in Library.objects.filter(pk__in=library_ids).values_list(
        "pk", "name", "municipality_id"
    ):
        names[("library", pk)] = name
        if municipality_id:
            municipality_of[pk] = municipality_id
    named = {m for ids_ in municipalities.values() for m in ids_}
    for pk, name in Municipality.objects.filter(pk__in=named).values_list("pk", "name"):
        names[("municipality", pk)] = name
    kinds = {value: str(label) for value, label in Consultation._meta.get_field("kind").flatchoices}
    prefix = reverse("advisory:consultation", args=[0])[: -len("0/")]
    result = []
    for row in rows:
        pk = row["pk"]
        reached = set(municipalities.get(pk, ()))
        reached |= {municipality_of[lib] for lib in libraries.get(pk, ()) if lib in municipality_of}
        kind = kinds.get(row["kind"], row["kind"])
        # "Visit: Fredrikstad bibliotek" — who it was with, as the log shows it.
        who = sorted(names.get(("library", lib), "") for lib in libraries.get(pk, ()))
        who += sorted(names.get(("municipality", m), "") for m in municipalities.get(pk, ()))
        title = f"{kind}: {', '.join(who[:3])}{' …' if len(who) > 3 else ''}" if who else kind
        result.append(
            Activity(
                source="advisory",
                kind=kind,
                title=title,
                url=f"{prefix}{pk}/",
                date=row["date"],
                goal_ids=frozenset(goals.get(pk, ())),
                library_ids=frozenset(libraries.get(pk, ())),
                municipality_ids=frozenset(reached),
                numbers={"consultations": 1, "hours": row["hours"] or Decimal("0")},
            )
        )
    return result


def _tidy(value: Decimal) -> int | Decimal:
    """4.50 → 4.5, 20.00 → 20."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def figures(activities: list[Activity]) -> list[Figure]:
    hours = sum((a.numbers["hours"] for a in activities), Decimal("0"))
    return [
        Figure(_("Number of consultations"), len(activities)),
        Figure(_("Hours of advice"), _tidy(hours), str(_("h"))),
    ]


SOURCE = ActivitySource(
    key="advisory", title=_("Advice and visits"), order=20, activities=activities, figures=figures
)
