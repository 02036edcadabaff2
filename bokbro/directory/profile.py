"""The library profile's extension point: each module contributes a section.

The profile of a library (and of a municipality) shows everything the agency has done with it:
consultations, projects, event participation and later class sets, mobile library stops,
surveys and statistics. The directory does not import those modules. Instead each module
declares a section as `profile_section = "profile.SECTION"` in its contract (its `AppConfig`,
see bokbro.core.modules):

    from bokbro.directory.profile import ProfileSection

    def consultations(viewer, subject):
        if subject.library is None:  # this section is only about libraries
            return None
        return {"consultations": ...}  # None (or {}) hides the section

    SECTION = ProfileSection(
        key="advisory",
        title=_("Advice and visits"),
        template="advisory/_profile_section.html",
        context=consultations,
        order=10,
    )

`viewer` says who is looking (`viewer.is_agency_staff`, `viewer.internal`: whether internal
notes may be shown — never to a library's own manager), `subject` what the page is about (a
library or a municipality, with `subject.library_ids` for queries that work for both). The
template receives the returned dict plus `viewer`, `subject` and `section`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from bokbro.directory.access import Roles, request_roles
from bokbro.directory.models import Agency, Library, Municipality


@dataclass(frozen=True)
class Viewer:
    """Who looks at a profile, and what they may see."""

    request: HttpRequest
    agency: Agency | None
    roles: Roles

    @property
    def is_agency_staff(self) -> bool:
        return self.roles.is_staff

    @property
    def internal(self) -> bool:
        """Internal notes and other agency-only details: for the agency's staff alone."""
        return self.roles.is_staff


@dataclass(frozen=True)
class Subject:
    """What a profile is about: one library, or a municipality and its libraries."""

    library: Library | None = None
    municipality: Municipality | None = None
    library_ids: tuple[int, ...] = field(default=())

    @classmethod
    def for_library(cls, library: Library) -> Subject:
        return cls(library=library, municipality=library.municipality, library_ids=(library.pk,))

    @classmethod
    def for_municipality(cls, municipality: Municipality) -> Subject:
        ids = tuple(municipality.libraries.values_list("pk", flat=True))
        return cls(municipality=municipality, library_ids=ids)


SectionContext = Callable[[Viewer, Subject], "dict[str, Any] | None"]


@dataclass(frozen=True)
class ProfileSection:
    key: str
    title: Any  # a lazy translation
    template: str
    context: SectionContext
    order: int = 100


def registered() -> list[ProfileSection]:
    """Every module's section, in their order."""
    from bokbro.core.modules import resolved

    sections = [section for _module, section in resolved("profile_section")]
    return sorted(sections, key=lambda section: (section.order, section.key))


def viewer_for(request: HttpRequest) -> Viewer:
    return Viewer(
        request=request, agency=getattr(request, "agency", None), roles=request_roles(request)
    )


def sections_for(viewer: Viewer, subject: Subject) -> list[dict[str, Any]]:
    """The sections to show, each as the context its template is rendered with."""
    shown = []
    for section in registered():
        context = section.context(viewer, subject)
        if context:
            shown.append({**context, "section": section, "viewer": viewer, "subject": subject})
    return shown
