"""Every page is valid HTML: the W3C Nu HTML Checker (vnu) finds no error on any of them.

The pages are the access matrix's (`test_access_matrix.py`, with each module's rows), so a page
added with its row is checked too. Each URL is fetched as the roles that see the most on it (the
public visitor, a library manager, the agency administrator; another role when none of them may
see it), once more as htmx asks for it (its partial, when the view answers htmx with one), and
each form is posted once empty (the page with its errors) and once as htmx with valid data. All
the pages are written to files and checked in one run of vnu, because the checker starts slowly.

vnu comes from npm (`vnu-jar`, a dev dependency) and runs on Java (`scripts/system-deps
--browser` installs it); without either the test is skipped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bokbro.core.tests import test_access_matrix as matrix
from bokbro.core.tests.access_roles import ROLES
from bokbro.core.tests.test_access_matrix import (
    GET_EXPECTED,
    POST_EXPECTED,
    client_as,
    post_data,
    url_kwargs,
)

pytestmark = [pytest.mark.vnu, pytest.mark.django_db]

VNU_JAR = settings.NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The roles that see the most: the public visitor, a library manager, the agency administrator.
ROLES_CHECKED = ("anonymous", "manager", "admin")
HTMX = {"HTTP_HX_REQUEST": "true"}
site = matrix.site  # the access matrix's pages and objects (a fixture)


@dataclass
class Pages:
    """The HTML answers to check, each kept once with every request that gave it."""

    directory: Path
    files: dict[str, Path] = field(default_factory=dict)
    seen_as: dict[Path, list[str]] = field(default_factory=dict)

    def add(self, what: str, response: Any, *, partial_only: bool = False) -> None:
        if response.status_code >= 300 or not response["Content-Type"].startswith("text/html"):
            return
        html = response.content.decode()
        if not html.lstrip()[:15].lower().startswith("<!doctype html>"):
            html = as_document(html)  # an htmx partial
        elif partial_only:
            return
        digest = hashlib.sha256(html.encode()).hexdigest()
        if digest not in self.files:
            path = self.directory / f"{len(self.files):04}.html"
            path.write_text(html, encoding="utf-8")
            self.files[digest] = path
            self.seen_as[path] = []
        self.seen_as[self.files[digest]].append(what)


# Elements without an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TopLevel(HTMLParser):
    """The top-level elements of a fragment, as (tag, attributes, start, end) offsets."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.depth = 0
        self.open: tuple[str, dict[str, str | None], int] | None = None
        self.elements: list[tuple[str, dict[str, str | None], int, int]] = []
        self.feed(html)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self.handle_startendtag(tag, attrs)
            return
        if self.depth == 0:
            self.open = (tag, dict(attrs), self.position())
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            start = self.position()
            self.elements.append((tag, dict(attrs), start, self.html.index(">", start) + 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0 and self.open is not None:
            end = self.html.index(">", self.position()) + 1
            self.elements.append((*self.open, end))
            self.open = None


# The element a fragment is swapped into when its first element needs a particular parent.
PARENTS = {"li": ("<ul>", "</ul>"), "tr": ("<table><tbody>", "</tbody></table>")}
OUT_OF_BAND = {"hx-swap-oob", "data-hx-swap-oob"}


def as_document(fragment: str) -> str:
    """An htmx partial as the document it ends up in: out-of-band elements (swapped in by their
    id) in the body, the rest, untouched, inside the parent its first element needs."""
    inside, out_of_band, cut = [], [], 0
    elements = TopLevel(fragment).elements
    for _tag, attrs, start, end in elements:
        if set(attrs) & OUT_OF_BAND:
            inside.append(fragment[cut:start])
            out_of_band.append(fragment[start:end])
            cut = end
    inside.append(fragment[cut:])
    first = next((tag for tag, attrs, *_ in elements if not set(attrs) & OUT_OF_BAND), "")
    before, after = PARENTS.get(first, ("", ""))
    return (
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>htmx</title></head>'
        f"<body><main>{before}{''.join(inside)}{after}</main>{''.join(out_of_band)}</body></html>"
    )


def roles_to_check(name: str) -> list[str]:
    """The roles that see the most on this page; else the first role that sees it at all."""
    answers = dict(zip(ROLES, GET_EXPECTED[name], strict=True))
    chosen = [role for role in ROLES_CHECKED if answers[role] == 200]
    return chosen or [role for role in ROLES if answers[role] == 200][:1]


def collect_pages(site: Any, client_for: Any, pages: Pages) -> None:
    for name in sorted(GET_EXPECTED):
        url = reverse(name, kwargs=url_kwargs(name, site))
        for role in roles_to_check(name):
            client = client_as(role, site, client_for)
            pages.add(f"GET {url} as {role}", client.get(url))
            pages.add(f"GET {url} as {role} (htmx)", client.get(url, **HTMX), partial_only=True)
    for name in sorted(POST_EXPECTED):
        url = reverse(name, kwargs=url_kwargs(name, site))
        answers = dict(zip(ROLES, POST_EXPECTED[name], strict=True))
        permitted = next((role for role in ROLES if answers[role] == 302), None)
        if permitted is None:
            continue
        client = client_as(permitted, site, client_for)
        for what, data, headers in [
            (f"POST {url} as {permitted}, empty", {}, {}),
            (f"POST {url} as {permitted} (htmx)", post_data(name, site), HTMX),
        ]:
            with transaction.atomic():
                pages.add(what, client.post(url, data, **headers))
                transaction.set_rollback(True)
    anonymous, public = client_for(None), client_for(site.world.public)
    pages.add("GET /no-such-page/ (404)", anonymous.get("/no-such-page/"))
    pages.add("GET /staff/audit/ as public (403)", public.get(reverse("agency:audit_log")))


def nu_errors(files: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """vnu's errors for each file, in one run (errors about no file in particular under "")."""
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    errors: dict[Path, list[dict[str, Any]]] = {}
    for message in json.loads(result.stdout)["messages"]:
        path = Path(urlparse(message["url"]).path) if "url" in message else Path()
        errors.setdefault(path, []).append(message)
    return errors


def skip_without_vnu() -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless); CI installs it")
    if not VNU_JAR.exists():
        pytest.skip(f"{VNU_JAR} is missing: run `npm ci` (vnu-jar is a dev dependency)")


def test_every_page_is_valid_html(site, client_for, tmp_path):
    skip_without_vnu()
    pages = Pages(tmp_path)
    collect_pages(site, client_for, pages)

    errors = nu_errors(list(pages.seen_as))

    report = []
    for path, messages in sorted(errors.items()):
        lines = "\n".join(
            f"  line {m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()}"
            for m in messages
        )
        report.append(f"{' | '.join(pages.seen_as.get(path, ['vnu']))} ({path}):\n{lines}")
    assert not report, f"vnu found errors on {len(report)} page(s):\n\n" + "\n\n".join(report)


def test_the_checker_reports_an_htmx_attribute_without_data_prefix_in_a_partial(tmp_path):
    """The check above can fail: vnu, run as above, finds a bare `hx-post` in a partial, and
    nothing else in it (the partial's `<li>` gets the list it is swapped into)."""
    skip_without_vnu()
    path = tmp_path / "partial.html"
    path.write_text(
        as_document(
            '<li id="row-1"><form method="post" hx-post="/mark/"><button>Present</button></form>'
            '</li>\n<p id="count" data-hx-swap-oob="true">1 present</p>'
        ),
        encoding="utf-8",
    )

    messages = [m["message"] for m in nu_errors([path]).get(path, [])]

    assert messages == ["Attribute “hx-post” not allowed on element “form” at this point."]
