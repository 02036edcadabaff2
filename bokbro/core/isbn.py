"""ISBN-10, ISBN-13 and ISSN: the check digit, and one stored form (ISBN: 13 digits, no hyphens;
ISSN: 1234-567X). Shared by the class sets' titles and the publications (moved here from
classsets/isbn.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _digits(value: str) -> str:
    return "".join(c for c in value.upper() if c.isdigit() or c == "X")


def isbn10_ok(digits: str) -> bool:
    if len(digits) != 10 or "X" in digits[:9]:
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0


def isbn13_check(first12: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn13_ok(digits: str) -> bool:
    return (
        len(digits) == 13
        and digits.isdigit()
        and digits[:3] in {"978", "979"}
        and isbn13_check(digits[:12]) == digits[12]
    )


def normalise_isbn(value: str) -> str:
    """The ISBN as 13 digits; ValidationError naming what is wrong otherwise."""
    digits = _digits(value)
    if len(digits) == 10:
        if not isbn10_ok(digits):
            raise ValidationError(
                _("The check digit of this ISBN is wrong: check the number on the book."),
                code="isbn_check",
            )
        body = "978" + digits[:9]
        return body + isbn13_check(body)
    if len(digits) == 13:
        if not isbn13_ok(digits):
            raise ValidationError(
                _("The check digit of this ISBN is wrong: check the number on the book."),
                code="isbn_check",
            )
        return digits
    raise ValidationError(
        _("An ISBN has 10 or 13 digits (hyphens and spaces are fine)."), code="isbn_length"
    )


def format_isbn(isbn13: str) -> str:
    """978-82-… is not derivable without the range tables; a readable 3-10 split instead."""
    return f"{isbn13[:3]}-{isbn13[3:]}" if len(isbn13) == 13 else isbn13


def issn_check(first7: str) -> str:
    total = sum(int(c) * (8 - i) for i, c in enumerate(first7))
    digit = (11 - total % 11) % 11
    return "X" if digit == 10 else str(digit)


def normalise_issn(value: str) -> str:
    """The ISSN as 1234-567X; ValidationError naming what is wrong otherwise."""
    digits = _digits(value)
    if len(digits) != 8 or not digits[:7].isdigit():
        raise ValidationError(
            _("An ISSN has 8 characters: seven digits and a check digit (0–9 or X)."),
            code="issn_length",
        )
    if issn_check(digits[:7]) != digits[7]:
        raise ValidationError(
            _("The check digit of this ISSN is wrong: check the number."), code="issn_check"
        )
    return f"{digits[:4]}-{digits[4:]}"
