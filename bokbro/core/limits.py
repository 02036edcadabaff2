"""The ranges of what people type (issue 13).

Every number and date a form takes is bounded twice: in the model, by validators (which a
ModelForm runs and shows next to the field, in the user's language), and in the database, by a
CHECK constraint built with `within()`, so no value that an import, the API or a bug writes can
overflow the date arithmetic of the periodic work. Free text has a length that fits its use.
docs/architecture.md ("Limits") lists the ranges.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
DAYS = (date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
MOMENTS = (datetime(FIRST_YEAR, 1, 1, tzinfo=UTC), datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC))
YEARS = (FIRST_YEAR, LAST_YEAR)
# Plans: a municipal library plan in force today may have been adopted in the 1990s, and the
# plans' forms have always taken years from 1990.
PLAN_YEARS = (1990, LAST_YEAR)
PLAN_DAYS = (date(1990, 1, 1), DAYS[1])

AMOUNTS = (Decimal("0"), Decimal("99999999.99"))  # the largest numeric(10, 2)
PERCENT = (Decimal("0"), Decimal("100"))
FIGURES = (-AMOUNTS[1], AMOUNTS[1])  # an indicator's target and values (a change may be negative)
SEATS = (0, 10_000)  # 0: every registration goes on the waiting list
CAPACITY = (1, 10_000)  # places per library, places on a tour
SESSIONS = (1, 1_000)  # sessions a certificate asks for
ORDER = (0, 10_000)  # the "order" of a row in a list
HOURS_SPENT = (Decimal("0"), Decimal("500"))  # time spent on one consultation or dialogue
RETENTION_MONTHS = (1, 120)
OFFER_HOURS = (1, 24 * 30)
HOLD_HOURS = (1, 24 * 7)  # a place held until the address is confirmed
REMINDER_HOURS = (0, 24 * 60)  # events/periodic.py looks 60 days ahead

# Free text, in characters.
SUMMARY_LENGTH = 2_000
NOTES_LENGTH = 5_000
DESCRIPTION_LENGTH = 10_000
SECTION_LENGTH = 20_000  # an introduction to a section of the annual report
DOCUMENT_LENGTH = 50_000  # a newsletter's text

YEAR_MESSAGE = _("Write a year from 2000 to 2100.")


def between(low: Any, high: Any) -> list[Any]:
    """Django's own validators (and messages, translated) for a number from `low` to `high`."""
    return [MinValueValidator(low), MaxValueValidator(high)]


@deconstructible
class InYears:
    """A date or a moment from the first day of `first` to the last day of `last`."""

    message = _("Write a date from the year %(first)s to %(last)s.")
    code = "date_out_of_range"

    def __init__(self, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> None:
        self.first, self.last = first, last

    def __call__(self, value: date | datetime) -> None:
        if isinstance(value, datetime):
            low, high = datetime(self.first, 1, 1, tzinfo=UTC), MOMENTS[1]
            inside = low <= value <= high
        else:
            inside = date(self.first, 1, 1) <= value <= date(self.last, 12, 31)
        if not inside:
            params = {"first": self.first, "last": self.last}
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InYears) and (other.first, other.last) == (self.first, self.last)

    def __hash__(self) -> int:
        return hash((InYears, self.first, self.last))


def in_years(first: int = FIRST_YEAR) -> list[Any]:
    return [InYears(first)]


def year(first: int = FIRST_YEAR) -> list[Any]:
    """A year from `first` to LAST_YEAR; the message names the range."""
    if first != FIRST_YEAR:
        return between(first, LAST_YEAR)
    return [
        MinValueValidator(FIRST_YEAR, message=YEAR_MESSAGE),
        MaxValueValidator(LAST_YEAR, message=YEAR_MESSAGE),
    ]


def text_field(verbose_name: Any, length: int, **options: Any) -> models.TextField[Any, str]:
    """A TextField of at most `length` characters: its form field refuses more (with Django's
    message, which names both numbers), and so does the model's validation."""
    return models.TextField(
        verbose_name, max_length=length, validators=[MaxLengthValidator(length)], **options
    )


def within(name: str, **ranges: tuple[Any, Any]) -> models.CheckConstraint:
    """One CHECK that every named field is NULL or within its (lowest, highest) range."""
    condition = Q()
    for field, (low, high) in ranges.items():
        condition &= Q(**{f"{field}__isnull": True}) | Q(
            **{f"{field}__gte": low, f"{field}__lte": high}
        )
    return models.CheckConstraint(condition=condition, name=name)


# For the data migrations that run before a `within()` CHECK is added: they bring the values
# stored before the ranges existed into them, so the CHECK can be created on every install.


def clamp(model: Any, **ranges: tuple[Any, Any]) -> None:
    """Set every value below its range to the lowest, every value above it to the highest."""
    rows = model._default_manager
    for field, (low, high) in ranges.items():
        rows.filter(**{f"{field}__lt": low}).update(**{field: low})
        rows.filter(**{f"{field}__gt": high}).update(**{field: high})


def clamp_periods(model: Any, start: str, end: str, low: Any, high: Any) -> None:
    """Move each period that starts or ends outside (low, high) inside it, keeping its length
    (shortened to the range's if longer) and its order: the end stays after the start."""
    outside = (
        Q(**{f"{start}__lt": low})
        | Q(**{f"{start}__gt": high})
        | Q(**{f"{end}__lt": low})
        | Q(**{f"{end}__gt": high})
    )
    for row in model._default_manager.filter(outside):
        length = min(getattr(row, end) - getattr(row, start), high - low)
        first = min(max(getattr(row, start), low), high - length)
        setattr(row, start, first)
        setattr(row, end, first + length)
        row.save(update_fields=[start, end])
