"""What a service takes instead of `data: dict[str, Any]`: a frozen dataclass per kind of record.

A service's input is declared once, typed, and the type checker sees every caller:

    @dataclass(frozen=True, kw_only=True)
    class LibraryData(Input):
        name: str
        municipality: Municipality | None
        ...

A view builds it from its form (`LibraryData.from_values(form.cleaned_data)`); a caller that
changes a few fields of an existing row starts from what the row holds
(`LibraryData.of(library, city="Fredrikstad")`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, Self


class Input:
    """The base of a service's input dataclass (subclasses are `@dataclass(frozen=True)`)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Self:
        """This input's fields from a form's `cleaned_data`; other keys are left out."""
        return cls(**{name: values[name] for name in cls.names() if name in values})

    @classmethod
    def of(cls, instance: object, **changes: Any) -> Self:
        """What `instance` holds now, with `changes` applied."""
        return cls(**{name: getattr(instance, name) for name in cls.names()} | changes)

    def items(self) -> Iterator[tuple[str, Any]]:
        """The fields and their values, in declaration order."""
        for name in self.names():
            yield name, getattr(self, name)
