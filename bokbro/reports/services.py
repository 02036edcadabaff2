"""Every write of the annual report: the agency's introductions to a year's report."""

from __future__ import annotations

from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.reports.models import ReportText


@transaction.atomic
def report_texts_save(
    *, actor: Actor, agency: Agency, year: int, texts: dict[str, str]
) -> list[str]:
    """Store the introductions of one year's report; returns the sections that changed."""
    existing = {
        row.section: row
        for row in ReportText.objects.select_for_update().filter(agency=agency, year=year)
    }
    changed = []
    for section, text in texts.items():
        text = (text or "").strip()
        row = existing.get(section)
        if row is None:
            if not text:
                continue
            ReportText.objects.create(
                agency=agency, year=year, section=section, text=text, updated_by=actor
            )
        elif row.text == text:
            continue
        else:
            row.text, row.updated_by = text, actor
            row.save(update_fields=["text", "updated_by", "updated_at"])
        changed.append(section)
    if changed:
        audit_log(
            # The code the log has used since the report was part of plans: old entries keep
            # their label (audit.py).
            action="plans.report.texts_updated",
            actor=actor,
            agency=agency,
            data={"year": year, "sections": changed},
        )
    return changed
