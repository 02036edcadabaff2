"""The interface is translated: every UI string has a bokmål, nynorsk and Swedish text.

English is the source language, so the English catalogue may leave msgstr empty. The checks:

(a) every entry of the committed nb, nn and sv catalogues (and of the allauth.po files kept
    for allauth's pages) is translated, not fuzzy, with the msgid's placeholders and HTML;
(b) the catalogues cover the current code: Django's makemessages, run on a copy of the source
    tree (and of the allauth pages we show), finds no msgid they lack;
(c) the compiled .mo files match the .po files, and each language shows on the front page.

How to fix a failure: see bokbro/locale/merge_allauth.py and the `messages` target.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

SOURCE_DIR = Path(settings.BASE_DIR)  # the bokbro package
LOCALE_DIR = SOURCE_DIR / "locale"
TRANSLATED = ("nb", "nn", "sv")
LANGUAGES = (*TRANSLATED, "en")
FIX = (
    "run `cd bokbro && ../.venv/bin/python ../manage.py makemessages -l nb -l nn -l sv -l en "
    "--no-obsolete --ignore 'locale/*' && ../.venv/bin/python locale/merge_allauth.py`, "
    "translate the new entries in bokbro/locale/*/LC_MESSAGES/django.po (or, for allauth's "
    "pages, in bokbro/locale/*/allauth.po and merge again), then compilemessages"
)


# --- a small PO reader (polib is not a dependency) -----------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def forms(self) -> list[str]:
        return [self.msgstr.get(i, "") for i in range(max(self.msgstr, default=0) + 1)]

    def describe(self) -> str:
        where = f" ({self.references[0]})" if self.references else ""
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{context}{self.msgid!r}{where}"


def _unquote(text: str) -> str:
    body = text[text.index('"') + 1 : text.rindex('"')]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header fields and the entries of a PO file (obsolete #~ entries are skipped)."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, current = Entry(), ""
        seen_msgid = False
        for line in block.strip("\n").splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if current.startswith("msgstr["):
                    index = int(current[7:-1])
                    entry.msgstr[index] += value
                elif current == "msgstr":
                    entry.msgstr[0] += value
                else:
                    setattr(entry, current, getattr(entry, current) + value)
            else:
                current = line.split(" ", 1)[0]
                value = _unquote(line)
                if current.startswith("msgstr["):
                    entry.msgstr[int(current[7:-1])] = value
                elif current == "msgstr":
                    entry.msgstr[0] = value
                else:
                    seen_msgid |= current == "msgid"
                    setattr(entry, current, value)
        if seen_msgid:
            entries.append(entry)
    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    header: dict[str, str] = {}
    if header_entries:
        for line in header_entries[0].msgstr.get(0, "").splitlines():
            name, _, value = line.partition(":")
            header[name.strip()] = value.strip()
    return header, [e for e in entries if e.msgid or e.msgctxt is not None]


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def load_merge_script() -> Any:
    spec = importlib.util.spec_from_file_location("merge_allauth", LOCALE_DIR / "merge_allauth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- placeholders ---------------------------------------------------------------------------

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def python_placeholders(text: str) -> tuple[Counter[str], int]:
    """Named placeholders (as a multiset) and the number of positional ones."""
    named: Counter[str] = Counter()
    positional = 0
    for match in PYTHON_FORMAT.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is not None:
            named[match["name"]] += 1
        else:
            positional += 1
    return named, positional


def placeholder_problems(entry: Entry) -> list[str]:
    problems = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    for index, text in enumerate(entry.forms):
        # msgstr[0] answers the msgid, the other forms the msgid_plural. The singular form
        # of a plural may leave out the count ("Ett bibliotek"); every other form must match.
        expected = sources[0] if index == 0 else sources[-1]
        if "python-format" in entry.flags:
            named, positional = python_placeholders(text)
            want_named, want_positional = python_placeholders(expected)
            allowed = set().union(*(python_placeholders(s)[0] for s in sources))
            if positional != want_positional:
                problems.append(f"msgstr[{index}] has {positional} positional placeholders")
            if set(named) - allowed:
                problems.append(f"msgstr[{index}] has unknown {sorted(set(named) - allowed)}")
            singular_of_plural = index == 0 and entry.msgid_plural is not None
            if not singular_of_plural and set(named) != set(want_named):
                problems.append(
                    f"msgstr[{index}] placeholders {sorted(named)} != {sorted(want_named)}"
                )
        brace = Counter(BRACE_FORMAT.findall(text)), Counter(BRACE_FORMAT.findall(expected))
        if "python-brace-format" in entry.flags and brace[0] != brace[1]:
            problems.append(f"msgstr[{index}] changes the {{name}} placeholders")
        if Counter(TEMPLATE_SYNTAX.findall(text)) != Counter(TEMPLATE_SYNTAX.findall(expected)):
            problems.append(f"msgstr[{index}] changes the {{{{ }}}} / {{% %}} template syntax")
        if Counter(HTML_TAG.findall(text)) != Counter(HTML_TAG.findall(expected)):
            problems.append(f"msgstr[{index}] changes the HTML tags")
    return problems


# --- (a) the committed catalogues are complete ------------------------------------------------

CATALOGUES = [
    *(f"{language}/LC_MESSAGES/django.po" for language in TRANSLATED),
    *(f"{language}/allauth.po" for language in TRANSLATED),
]


@pytest.mark.parametrize("relative", CATALOGUES)
def test_every_entry_is_translated(relative: str) -> None:
    header, entries = read_po(LOCALE_DIR / relative)
    assert entries, f"{relative} has no entries"
    plural_forms = header.get("Plural-Forms", "")
    nplurals = int(re.search(r"nplurals=(\d+)", plural_forms).group(1))  # type: ignore[union-attr]
    assert nplurals == 2, f"{relative}: Norwegian and Swedish have 2 plural forms"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.describe()}")
            continue
        forms = entry.forms
        wanted = nplurals if entry.msgid_plural is not None else 1
        if len(forms) != wanted or not all(text.strip() for text in forms):
            problems.append(f"untranslated: {entry.describe()}")
            continue
        problems += [f"{p}: {entry.describe()}" for p in placeholder_problems(entry)]
    assert not problems, f"{relative}:\n  " + "\n  ".join(problems) + f"\n\nTo fix: {FIX}."


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header(language: str) -> None:
    header, entries = read_po(catalogue_path(language))
    assert header.get("Language") == language
    assert "charset=UTF-8" in header.get("Content-Type", "")
    assert "nplurals=2; plural=(n != 1);" in header.get("Plural-Forms", "")
    if language == "en":
        # English is the source: an empty msgstr shows the msgid, so nothing is required.
        assert not [e.describe() for e in entries if "fuzzy" in e.flags and any(e.forms)]


def test_allauth_strings_are_merged() -> None:
    """Each allauth.po is copied into its django.po (merge_allauth.py after makemessages)."""
    script = load_merge_script()
    stale = []
    for language in TRANSLATED:
        current = script.target(language).read_text(encoding="utf-8")
        if script.merged(current, script.source(language).read_text(encoding="utf-8")) != current:
            stale.append(language)
    assert not stale, (
        f"{stale}: LC_MESSAGES/django.po lacks the entries of allauth.po; run "
        "`.venv/bin/python bokbro/locale/merge_allauth.py`, then compilemessages"
    )


# --- (b) the catalogues cover the current code ------------------------------------------------

GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
needs_gettext = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msgmerge …) is not installed: apt-get install gettext",
)


def extract(root: Path, settings_fixture: Any, monkeypatch: pytest.MonkeyPatch) -> list[Entry]:
    """Run Django's makemessages on the tree at root; the msgids it finds."""
    settings_fixture.LOCALE_PATHS = [root / "locale"]
    monkeypatch.chdir(root)
    call_command("makemessages", locale=["nb"], verbosity=0, ignore_patterns=["locale/*"])
    _header, entries = read_po(root / "locale" / "nb" / "LC_MESSAGES" / "django.po")
    return entries


def missing_from_catalogues(entries: list[Entry]) -> list[str]:
    problems = []
    for language in TRANSLATED:
        _header, committed = read_po(catalogue_path(language))
        translated = {
            e.key
            for e in committed
            if "fuzzy" not in e.flags and e.forms and all(t.strip() for t in e.forms)
        }
        problems += [f"{language}: {e.describe()}" for e in entries if e.key not in translated]
    return problems


@needs_gettext
def test_catalogues_cover_the_code(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "bokbro"
    for path in SOURCE_DIR.rglob("*"):
        relative = path.relative_to(SOURCE_DIR)
        if (
            path.is_file()
            and path.suffix in {".py", ".html", ".txt"}
            and relative.parts[0] != "locale"
            and "__pycache__" not in relative.parts
        ):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / relative)
    entries = extract(root, settings, monkeypatch)
    assert len(entries) > 100, "makemessages found suspiciously few strings"
    missing = missing_from_catalogues(entries)
    assert not missing, (
        "UI strings without a translation:\n  " + "\n  ".join(missing) + f"\n\nTo fix: {FIX}."
    )


@needs_gettext
def test_catalogues_cover_allauths_pages(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The allauth pages we show (sign-in, codes, e-mail, 2FA) have our nb, nn and sv texts;
    fails after an allauth upgrade brings new strings (`merge_allauth.py --update`)."""
    script = load_merge_script()
    root = tmp_path / "allauth-pages"
    script.copy_allauth_sources(root)
    entries = extract(root, settings, monkeypatch)
    assert len(entries) > 100, "makemessages found suspiciously few allauth strings"
    missing = missing_from_catalogues(entries)
    assert not missing, (
        "allauth strings without our translation:\n  "
        + "\n  ".join(missing)
        + "\n\nTo fix: run `.venv/bin/python bokbro/locale/merge_allauth.py --update`, "
        "translate the new entries in bokbro/locale/*/allauth.po, then compilemessages."
    )


# --- (c) the compiled catalogues are current and used ----------------------------------------


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_current(
    language: str, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = catalogue_path(language)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run compilemessages"
    copy = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(po, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("compilemessages", locale=[language], verbosity=0)
    fresh = copy.with_suffix(".mo")
    with fresh.open("rb") as f_fresh, committed.open("rb") as f_committed:
        want = gettext.GNUTranslations(f_fresh)._catalog  # type: ignore[attr-defined]
        have = gettext.GNUTranslations(f_committed)._catalog  # type: ignore[attr-defined]
    # The header ("") holds only dates and names; the translations are what must match.
    want.pop("", None)
    have.pop("", None)
    differ = (set(want) ^ set(have)) | {k for k in want if want[k] != have.get(k)}
    stale = sorted(map(str, differ))
    assert not stale, (
        f"{committed} is out of date with its .po ({len(stale)} entries differ, e.g. "
        f"{stale[:3]}): run `cd bokbro && ../.venv/bin/python ../manage.py compilemessages`"
    )


FRONT_PAGE_WORDS = {
    "nb": ("Logg inn", "Hopp til hovedinnhold"),
    "nn": ("Logg inn", "Hopp til hovudinnhaldet"),
    "sv": ("Logga in", "Hoppa till huvudinnehållet"),
    "en": ("Sign in", "Skip to main content"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_front_page_speaks_the_language(language: str, world: Any, client_for: Any) -> None:
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    html = response.content.decode()
    for word in FRONT_PAGE_WORDS[language]:
        assert word in html, f"{word!r} is not on the {language} front page"
    if language != "en":
        assert "Skip to main content" not in html
