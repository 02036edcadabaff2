"""Writing the checked rows: bulk upserts on the natural keys, counted for the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from bokbro.directory.importer.files import Key
from bokbro.directory.importer.rows import DERIVED_SOURCE, Rows
from bokbro.directory.models import County, Library, Municipality, MunicipalityChange

BATCH_SIZE = 500

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Report:
    counties: Counts = field(default_factory=Counts)
    municipalities: Counts = field(default_factory=Counts)
    municipality_changes: Counts = field(default_factory=Counts)
    kb_libraries: Counts = field(default_factory=Counts)
    derived_libraries: Counts = field(default_factory=Counts)

    LABELS = {
        "counties": "Counties",
        "municipalities": "Municipalities",
        "municipality_changes": "Municipality changes",
        "kb_libraries": "Libraries (KB 2014)",
        "derived_libraries": "Libraries (derived)",
    }

    def counts(self) -> list[tuple[str, Counts]]:
        return [(label, getattr(self, name)) for name, label in self.LABELS.items()]

    def lines(self) -> list[str]:
        return [
            f"{label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for label, c in self.counts()
        ]

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for _label, c in self.counts())


def upsert(
    model: type[ModelT],
    existing: Mapping[Any, ModelT],
    wanted: Mapping[Any, dict[str, Any]],
    *,
    touch: bool = False,
) -> Counts:
    """Create the wanted rows that are missing and update those that differ, in bulk.

    Only the fields in `wanted` are compared and written: what the files do not carry (a Swedish
    municipality's website, a library's e-mail address) is left as people entered it."""
    counts = Counts()
    new: list[ModelT] = []
    changed: list[ModelT] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        instance = existing.get(key)
        if instance is None:
            new.append(model(**values))
            continue
        differences = [name for name, value in values.items() if getattr(instance, name) != value]
        if not differences:
            counts.unchanged += 1
            continue
        for name in differences:
            setattr(instance, name, values[name])
        changed.append(instance)
        changed_fields.update(differences)
    if touch and changed:
        # bulk_update() skips auto_now.
        now = timezone.now()
        for instance in changed:
            instance.updated_at = now  # type: ignore[attr-defined]
        changed_fields.add("updated_at")
    model._default_manager.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model._default_manager.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE)
    counts.created, counts.updated = len(new), len(changed)
    return counts


def with_ids(values: dict[str, Any], ids: Mapping[str, Mapping[Key, int]]) -> dict[str, Any]:
    """Replace natural-key foreign keys ("county": ("NO", "46")) by ids ("county_id": 12)."""
    result = dict(values)
    for name, id_map in ids.items():
        if name in result:
            key = result.pop(name)
            result[f"{name}_id"] = id_map[key] if key is not None else None
    return result


def write_directory(rows: Rows) -> Report:
    """Upsert the checked rows; call inside a transaction."""
    report = Report()
    report.counties = upsert(
        County, {(c.country, c.code): c for c in County.objects.all()}, rows.counties
    )
    county_ids = {
        (country, code): pk
        for country, code, pk in County.objects.values_list("country", "code", "pk")
    }

    report.municipalities = upsert(
        Municipality,
        {(m.country, m.code): m for m in Municipality.objects.all()},
        {
            key: with_ids(values, {"county": county_ids})
            for key, values in rows.municipalities.items()
        },
    )
    municipality_ids = {
        (country, code): pk
        for country, code, pk in Municipality.objects.values_list("country", "code", "pk")
    }

    report.municipality_changes = upsert(
        MunicipalityChange,
        {
            (c.country, c.old_code, c.new_code, c.changed_on): c
            for c in MunicipalityChange.objects.all()
        },
        rows.municipality_changes,
    )

    ids = {"county": county_ids, "municipality": municipality_ids}
    report.kb_libraries = upsert(
        Library,
        {library.sigel: library for library in Library.objects.exclude(sigel="")},
        {sigel: with_ids(values, ids) for sigel, values in rows.kb_libraries.items()},
        touch=True,
    )

    derived = {}
    for values in rows.derived_libraries.values():
        derived_values = with_ids(values, ids)
        derived[derived_values["municipality_id"]] = derived_values
    existing: dict[int | None, Library] = {}
    for library in Library.objects.filter(source=DERIVED_SOURCE).order_by("-pk"):
        existing[library.municipality_id] = library
    # A person has corrected these (services.library_update clears is_derived); they are theirs.
    corrected = {key for key, library in existing.items() if not library.is_derived}
    report.derived_libraries = upsert(
        Library,
        existing,
        {key: values for key, values in derived.items() if key not in corrected},
        touch=True,
    )
    report.derived_libraries.unchanged += len(corrected & derived.keys())
    return report
