"""Bokbro's own texts for the django-allauth pages it shows.

django-allauth ships no nynorsk catalogue, and its Swedish and bokmål ones read unevenly
(“epost-adress”, “Vennligst …”, a Swedish sign-in hint that says the opposite of the English).
So Bokbro keeps its own translation of every allauth string on the pages it shows, in
`bokbro/locale/<lang>/allauth.po` for nb, nn and sv: these are the files to edit by hand.

`makemessages --no-obsolete` deletes from `<lang>/LC_MESSAGES/django.po` every msgid our own code
does not use, so after each makemessages run this script copies the entries of `allauth.po`
into that catalogue again, each marked with the comment `#. allauth`. A catalogue in
LOCALE_PATHS takes precedence over allauth's own, so these texts are the ones shown. When our
own code uses the same msgid (e.g. a template of ours that overrides allauth's), our
translation wins and the allauth entry is left out.

    python bokbro/locale/merge_allauth.py            merge each allauth.po into its django.po
    python bokbro/locale/merge_allauth.py --update   first re-read the msgids from the installed
                                                     allauth into every allauth.po (after
                                                     upgrading allauth); new strings come in
                                                     untranslated or fuzzy, and the translation
                                                     test fails until they are translated
    python bokbro/locale/merge_allauth.py --check    exit 1 if a django.po lacks the merge

Only the standard library is needed to merge; --update needs Django, allauth and GNU gettext.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
LANGUAGES = ("nb", "nn", "sv")
MARKER = "#. allauth"

# The parts of allauth Bokbro shows: e-mail sign-in and codes, e-mail management, password,
# re-authentication, TOTP with recovery codes, and OpenID Connect sign-in. Paths relative to
# the allauth package; WebAuthn, phone numbers, passkeys, the IdP and user sessions are not used.
ALLAUTH_FILES = [
    "account/*.py",
    "account/internal/**/*.py",
    "mfa/*.py",
    "mfa/base/**/*.py",
    "mfa/totp/**/*.py",
    "mfa/recovery_codes/**/*.py",
    "socialaccount/*.py",
    "socialaccount/internal/**/*.py",
    "socialaccount/providers/base/*.py",
    "socialaccount/providers/oauth2/*.py",
    "socialaccount/providers/openid_connect/*.py",
    "templates/account/**/*.html",
    "templates/account/**/*.txt",
    "templates/mfa/*.html",
    "templates/mfa/recovery_codes/*",
    "templates/mfa/totp/*",
    "templates/mfa/email/recovery_codes_*",
    "templates/mfa/email/totp_*",
    "templates/mfa/messages/recovery_codes_*",
    "templates/mfa/messages/totp_*",
    "templates/socialaccount/**/*.html",
    "templates/socialaccount/**/*.txt",
]
ALLAUTH_EXCLUDE = ("phone", "passkey", "webauthn", "/tests/", "/migrations/")


def split_entries(text: str) -> list[str]:
    """The blank-line separated entries of a PO file, each without its trailing newline."""
    return [block.strip("\n") for block in text.split("\n\n") if block.strip()]


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")


def entry_key(entry: str) -> tuple[str, str] | None:
    """(msgctxt, msgid) of an entry; None for the header and obsolete entries."""
    fields: dict[str, str] = {}
    current = None
    for line in entry.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith('"') and current:
            fields[current] += _unquote(line)
            continue
        keyword = line.split(" ", 1)[0]
        current = keyword
        fields[keyword] = _unquote(line)
    if "msgid" not in fields or fields["msgid"] == "":
        return None
    return fields.get("msgctxt", ""), fields["msgid"]


def merged(catalogue: str, allauth: str) -> str:
    ours = [e for e in split_entries(catalogue) if MARKER not in e.splitlines()]
    taken = {entry_key(e) for e in ours}
    added = []
    for entry in split_entries(allauth):
        key = entry_key(entry)
        if key is None or key in taken:
            continue
        lines = [
            line
            for line in entry.splitlines()
            if not line.startswith(("#:", "#.", "#|", "# ")) and line != "#"
        ]
        added.append("\n".join([MARKER, *lines]))
    return "\n\n".join(ours + added) + "\n"


def source(language: str) -> Path:
    return LOCALE_DIR / language / "allauth.po"


def target(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def merge(language: str) -> bool:
    """Write the merged catalogue; True when it changed."""
    before = target(language).read_text(encoding="utf-8")
    after = merged(before, source(language).read_text(encoding="utf-8"))
    if after != before:
        target(language).write_text(after, encoding="utf-8")
    return after != before


def copy_allauth_sources(root: Path) -> None:
    """Copy the allauth files listed in ALLAUTH_FILES to root/allauth/, keeping their paths."""
    import allauth

    package = Path(allauth.__file__).resolve().parent
    for pattern in ALLAUTH_FILES:
        for path in package.glob(pattern):
            relative = path.relative_to(package).as_posix()
            if not path.is_file() or any(x in f"/{relative}" for x in ALLAUTH_EXCLUDE):
                continue
            dest = root / "allauth" / relative
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def update_from_allauth() -> None:
    """Re-extract allauth's msgids into each allauth.po, keeping the translations there."""
    sys.path.insert(0, str(LOCALE_DIR.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bokbro.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_allauth_sources(root)
        for language in LANGUAGES:
            catalogue = root / "locale" / language / "LC_MESSAGES" / "django.po"
            catalogue.parent.mkdir(parents=True)
            shutil.copyfile(source(language), catalogue)
        old_cwd, old_paths = os.getcwd(), settings.LOCALE_PATHS
        try:
            os.chdir(root)
            settings.LOCALE_PATHS = [root / "locale"]
            call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)
        finally:
            os.chdir(old_cwd)
            settings.LOCALE_PATHS = old_paths
        for language in LANGUAGES:
            catalogue = root / "locale" / language / "LC_MESSAGES" / "django.po"
            shutil.copyfile(catalogue, source(language))


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = [
            language
            for language in LANGUAGES
            if merged(
                text := target(language).read_text(encoding="utf-8"),
                source(language).read_text(encoding="utf-8"),
            )
            != text
        ]
        for language in stale:
            print(f"{target(language)} lacks allauth.po: run {Path(__file__).name}")
        return 1 if stale else 0
    if "--update" in argv:
        update_from_allauth()
    for language in LANGUAGES:
        changed = merge(language)
        name = target(language).relative_to(LOCALE_DIR.parent.parent)
        print(f"{name}: {'merged' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
