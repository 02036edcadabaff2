"""The annual report's own data: the agency's introductions to each year's report.

Everything else in the report is computed from the other modules' data (report.py); the table
came from plans (`plans_reporttext`, moved with its rows by migrations 0001 and 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.directory.models import Agency


class ReportText(models.Model):
    """The agency's free-text introduction to one section of one year's annual report.

    `section` is "intro", "plans" (municipal plans), "reach", a focus area ("focus:<id>") or a
    source's key ("source:events")."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="report_texts")
    year = models.PositiveSmallIntegerField(_("year"), validators=limits.year())
    section = models.CharField(max_length=40)
    text = limits.text_field(_("text"), limits.SECTION_LENGTH, blank=True, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "section"], name="one_report_text_per_section"
            ),
            limits.within("report_text_in_range", year=limits.YEARS),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.section}"
