"""The layout's header, menus, footer and style sheets and the team's horizon-scanning form, kept
rendered in each web process.

Every page draws the same two menus and the same footer; rendering them from the template took
about 1 ms of a signed-in staff page (docs/performance.md, 2026-12-06). They depend on little:

- the menus on the language, the user's kind of role on the site (staff, admin, library
  manager: three flags, nothing about the person) and which link is the page shown or the
  section it is in (`aria-current`), worked out here from the path and the resolved view;
- the footer on the language and the agency's details; the style sheets and scripts on the
  agency's look;
- the header's top on the language, the agency's name and logo, whether the visitor is signed
  in, has a work menu or is on their own page; the team's horizon-scanning form on the
  language. The CSRF token of their forms and the path to return to are put in for each
  request.

So each is kept under a key of exactly those, in a dict of this process (`_kept`): a deployment,
which starts new processes, never shows the menus of the one before. Nothing in them is
personal: the same text goes to everyone with the same key. A plain dict, and the language and
URL settings read once per page (`Place`), rather than Django's LocMemCache (which pickles
each part in and out) with the settings read for each part: 0.14 million instructions per part
before, 0.01 now, plus 0.06 per page for the `Place` (callgrind, docs/performance.md,
2026-12-07). Turned off with DEBUG, so template edits show at once while developing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import ResolverMatch, get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bokbro.core.templatetags.remembered_url import _remembered

SECONDS = 24 * 3600

Section = Callable[[ResolverMatch, str], bool]


def _in(needle: Any, haystack: Any) -> bool:
    """`in` as the template language has it: False where Python would raise (a view without
    a name: None in a string)."""
    try:
        return needle in haystack
    except TypeError:
        return False


def _not_in(needle: Any, haystack: Any) -> bool:
    try:
        return needle not in haystack
    except TypeError:
        return False


@dataclass(frozen=True)
class Link:
    key: str
    url_name: str
    # The links's section: the page shown is in it (aria-current="true") when this holds.
    section: Section | None = None


# The main menu, for everyone. (The conditions are the ones the template had; `in` against a
# string of names is a substring test, as it was.)
MAIN = (
    Link("home", "core:home"),
    Link("events", "events:calendar", lambda m, p: m.app_name == "events"),
    Link(
        "directory",
        "directory:index",
        lambda m, p: m.app_name == "directory" and _not_in("person", m.url_name),
    ),
    Link(
        "projects",
        "projects:list",
        lambda m, p: m.app_name == "projects" and _in(m.url_name, "list completed detail"),
    ),
    Link(
        "classsets",
        "classsets:catalogue",
        lambda m, p: m.app_name == "classsets" and _not_in("staff/", m.route),
    ),
    Link("mobile", "mobile:index", lambda m, p: m.app_name == "mobile" and "/staff/" not in p),
    Link("networks", "networks:index", lambda m, p: m.app_name == "networks"),
    Link("shadowing", "shadowing:index", lambda m, p: m.app_name == "shadowing"),
    Link(
        "publications",
        "publications:archive",
        lambda m, p: m.app_name == "publications" and _not_in("staff/", m.route),
    ),
    Link(
        "plans",
        "plans:index",
        lambda m, p: m.app_name == "plans" and _in(m.url_name, "index detail"),
    ),
    Link("team", "agency:team"),
)

# The work menu: the agency's team.
STAFF = (
    Link("staff_events", "events_staff:list", lambda m, p: m.app_name == "events_staff"),
    Link(
        "staff_projects",
        "projects:staff_list",
        lambda m, p: m.app_name == "projects" and _not_in(m.url_name, "list completed detail"),
    ),
    Link(
        "people",
        "directory:person_list",
        lambda m, p: m.app_name == "directory" and _in("person", m.url_name),
    ),
    Link(
        "advisory",
        "advisory:list",
        lambda m, p: m.app_name == "advisory" and m.url_name != "my_follow_ups",
    ),
    Link("follow_ups", "advisory:my_follow_ups"),
    Link(
        "staff_plans",
        "plans:staff_list",
        lambda m, p: m.app_name == "plans" and _not_in(m.url_name, "index detail document"),
    ),
    Link("mobile_staff", "mobile:staff", lambda m, p: m.app_name == "mobile" and "/staff/" in p),
    Link("scanning_staff", "publications:scanning_staff"),
    Link(
        "competence_staff",
        "competence:staff",
        lambda m, p: m.app_name == "competence" and "/staff/" in p,
    ),
    Link(
        "newsletter_staff",
        "newsletter:staff",
        lambda m, p: m.app_name == "newsletter" and _in("newsletter/staff/", m.route),
    ),
)
# ... the team and library managers.
MANAGERS = (
    Link("approvals", "events:approvals"),
    Link(
        "classset_bookings",
        "classsets:bookings",
        lambda m, p: m.app_name == "classsets" and _in("staff/", m.route),
    ),
)
# ... the agency's admins.
ADMINS = (
    Link("audit_log", "agency:audit_log"),
    Link("team_manage", "agency:team_manage"),
)


class Place(NamedTuple):
    """What every kept part depends on besides its own values: the language, and where the
    site's URLs point. Read once per page (core/templatetags/layout.py): each of these reads
    goes through Django's thread- and task-local storage (asgiref's Local), 17,000 to 28,000
    instructions each (callgrind, docs/performance.md, 2026-12-07)."""

    language: str | None
    root_urlconf: str
    urlconf: Any
    script_prefix: str


def place() -> Place:
    return Place(
        translation.get_language(), settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()
    )


def _current(links: tuple[Link, ...], request: HttpRequest | None, where: Place) -> dict[str, str]:
    """aria-current for the links that have one: "page" on the link to this very page, "true"
    on the section the page is in."""
    path = getattr(request, "path", "")
    match = getattr(request, "resolver_match", None)
    current = {}
    for link in links:
        # reverse(), remembered as `{% url %}` remembers it (core/templatetags/remembered_url.py).
        url = _remembered(
            link.url_name, (), (), None, where.urlconf, where.root_urlconf, where.script_prefix
        )
        if path == url:
            current[link.key] = "page"
        elif match is not None and link.section is not None and link.section(match, path):
            current[link.key] = "true"
    return current


# The kept parts, per process: a dict of rendered text, emptied when it holds MAX_KEPT (the keys
# hold everything a part depends on, so nothing in it is ever out of date; an agency's new
# details make new keys and leave the old ones unused).
MAX_KEPT = 2000
_kept: dict[tuple[str, str, Place], SafeString] = {}


def _cached(
    name: str, parts: tuple[Any, ...], render: Callable[[], str], where: Place | None
) -> SafeString:
    if settings.DEBUG:
        return mark_safe(render())  # our own template's output
    key = (name, repr(parts), where or place())
    html = _kept.get(key)
    if html is None:
        html = mark_safe(render())  # our own template's output
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return html


def menus(request: HttpRequest | None, roles: Any, where: Place | None = None) -> SafeString:
    """The main menu, and the work menu for the team and library managers."""
    is_staff = bool(roles and roles.is_staff)
    is_manager = bool(roles and roles.is_library_manager)
    is_admin = bool(roles and roles.is_admin)
    links: tuple[Link, ...] = MAIN
    if is_staff:
        links += STAFF
    if is_staff or is_manager:
        links += MANAGERS
    if is_admin:
        links += ADMINS
    where = where or place()
    current = _current(links, request, where)
    return _cached(
        "menus",
        (is_staff, is_manager, is_admin, tuple(sorted(current.items()))),
        lambda: render_to_string(
            "components/site_menus.html",
            {
                "current": current,
                "is_staff": is_staff,
                "is_manager": is_manager,
                "is_admin": is_admin,
            },
        ),
        where,
    )


FOOTER_FIELDS = (
    "pk",
    "shown_name",
    "street_address",
    "postcode",
    "city",
    "email",
    "phone",
    "footer_contact",
    "social_links",
)


def footer(agency: Any, where: Place | None = None) -> SafeString:
    """The footer: the agency's name, address and links, and the site's own links."""
    parts = tuple(getattr(agency, field, None) for field in FOOTER_FIELDS) if agency else ()
    return _cached(
        "footer",
        parts,
        lambda: render_to_string("components/site_footer.html", {"agency": agency}),
        where,
    )


def head(agency: Any, where: Place | None = None) -> SafeString:
    """The style sheets (the agency's own when it has an accent colour) and the scripts."""
    accent = bool(agency and agency.accent_colour)
    return _cached(
        "head",
        (accent, agency.look_version if accent else None, settings.STATIC_URL),
        lambda: render_to_string("components/site_head.html", {"agency": agency}),
        where,
    )


def language_list(current_language: str, where: Place | None = None) -> SafeString:
    """The language switcher's buttons, the current language marked."""
    return _cached(
        "languages",
        (current_language,),
        lambda: render_to_string(
            "components/language_list.html",
            {"language_choices": settings.LANGUAGES, "current_language": current_language},
        ),
        where,
    )


# Stand-ins for the per-request values of the header's and the quick-scan form's forms while they
# are rendered to be kept, replaced for each request (_own).
_TOKEN = "kept-layout-csrf-token"  # noqa: S105 - a stand-in, no secret
_PATH = "kept-layout-path"


@dataclass(frozen=True)
class _KeptRequest:
    def get_full_path(self) -> str:
        return _PATH


def _own(html: str, request: HttpRequest, csrf_token: Any) -> SafeString:
    """The kept forms with this request's CSRF token and path (the page to return to)."""
    return mark_safe(  # our own template's output, the two values escaped
        html.replace(_TOKEN, escape(str(csrf_token))).replace(
            _PATH, escape(request.get_full_path())
        )
    )


HEADER_FIELDS = ("pk", "shown_name", "organisation_name", "look_version")


def header(
    request: HttpRequest,
    *,
    agency: Any,
    roles: Any,
    user: Any,
    current_language: str,
    csrf_token: Any,
    where: Place | None = None,
) -> SafeString:
    """The header's top: the agency's name and logo, the menu button, the language switcher and
    the account links. Rendered from its template it cost 1.1 million instructions of a staff
    page's 9.6; kept, 0.2 (callgrind, docs/performance.md, 2026-12-07)."""
    where = where or place()
    signed_in = bool(user is not None and user.is_authenticated)
    work_menu = bool(roles and (roles.is_staff or roles.is_library_manager))
    me_url = _remembered(
        "accounts:me", (), (), None, where.urlconf, where.root_urlconf, where.script_prefix
    )
    me_current = signed_in and getattr(request, "path", "") == me_url
    shown = tuple(getattr(agency, field) for field in HEADER_FIELDS) if agency else ()
    html = _cached(
        "header",
        (*shown, bool(agency and agency.logo), signed_in, work_menu, me_current, current_language),
        lambda: render_to_string(
            "components/site_header.html",
            {
                "agency": agency,
                "signed_in": signed_in,
                "work_menu": work_menu,
                "me_current": me_current,
                "languages": language_list(current_language, where),
                "csrf_token": _TOKEN,
                "request": _KeptRequest(),
            },
        ),
        where,
    )
    return _own(html, request, csrf_token)


def quick_scan(request: HttpRequest, csrf_token: Any, where: Place | None = None) -> SafeString:
    """The horizon-scanning form on the team's pages, posting this request's CSRF token and
    returning to this page. Included from its template it cost 0.7 million instructions of a
    staff page's 10; kept, 0.06 (callgrind, docs/performance.md, 2026-12-07)."""
    html = _cached(
        "quick_scan",
        (),
        lambda: render_to_string(
            "publications/_quick_scan.html", {"csrf_token": _TOKEN, "request": _KeptRequest()}
        ),
        where,
    )
    return _own(html, request, csrf_token)
