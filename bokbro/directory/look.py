"""Each agency's own look (issue 12): its logo, its name as shown, its accent colour, its
footer contact and its social links, on pages, e-mails, PDFs and the newsletter.

The checks are strict because the logo is shown on every page and in every mail:

- the accent colour must reach WCAG AA's 4.5:1 against the page's background (white), which is
  also the contrast of white text on the accent (the menu bar and the buttons);
- a PNG logo must be a PNG; an SVG logo must be plain drawing: no scripts, no event handlers, no
  foreign content, no references outside the file (links, images, fonts, `url(…)` and
  `@import` in styles), no DOCTYPE or entities. Anything else is refused with a message, never
  cleaned silently.

The pages read a small style sheet per agency (`agency_css`, served by `agency_views.style` at
`/agency.css?v=<look_version>`, cacheable for a year because the version changes with the look).
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import formats
from django.utils.translation import gettext as _

BACKGROUND = "#ffffff"  # the pages' and the mails' background
DEFAULT_ACCENT = "#0062ba"  # Designsystemet's accent
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
MAX_LOGO_SIZE = 512 * 1024
PNG = b"\x89PNG\r\n\x1a\n"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
SVG_NS = "{http://www.w3.org/2000/svg}"
# SVG elements that run, embed or fetch something.
FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "image",
    "feimage",
    "use",
    "handler",
    "listener",
    "animate",
    "set",
    "animatemotion",
    "animatetransform",
    "font-face-uri",
}
STYLE_REFERENCE = re.compile(r"@import|url\s*\(\s*['\"]?\s*(?!#)|expression\s*\(|javascript:", re.I)


# --- The accent colour ---------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_check(colour: str) -> str:
    """The colour as #rrggbb in lower case, or a ValidationError saying why not."""
    colour = colour.strip()
    if not colour:
        return ""
    if not HEX.match(colour):
        raise forms.ValidationError(
            _("Write the colour as # and six hexadecimal digits, e.g. #0062ba.")
        )
    colour = colour.lower()
    ratio = contrast_ratio(colour, BACKGROUND)
    if ratio < MINIMUM_CONTRAST:
        raise forms.ValidationError(
            _(
                "The colour %(colour)s has a contrast of %(ratio)s:1 against the white "
                "background; text and buttons need at least 4.5:1 (WCAG AA). Choose a darker "
                "colour."
            )
            % {"colour": colour, "ratio": formats.number_format(ratio, 2)}
        )
    return colour


def _darker(colour: str, share: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * (1 - share)) for c in (r, g, b)))


def agency_css(accent: str) -> str:
    """The style sheet that gives the pages the agency's accent (Designsystemet's variables;
    unlayered, so it wins over the theme's layer)."""
    if not accent:
        return "/* The agency uses the default colours. */\n"
    hover, active, text = _darker(accent, 0.18), _darker(accent, 0.35), _darker(accent, 0.55)
    return (
        ":root, [data-color-scheme=light] {\n"
        f"  --ds-color-accent-base-default: {accent};\n"
        f"  --ds-color-accent-base-hover: {hover};\n"
        f"  --ds-color-accent-base-active: {active};\n"
        "  --ds-color-accent-base-contrast-default: #ffffff;\n"
        f"  --ds-color-accent-border-default: {accent};\n"
        f"  --ds-color-accent-border-strong: {accent};\n"
        f"  --ds-color-accent-text-subtle: {accent};\n"
        f"  --ds-color-accent-text-default: {text};\n"
        "}\n"
    )


# --- The logo -----------------------------------------------------------------------------------


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def svg_problem(content: bytes) -> str | None:
    """Why this SVG may not be a logo, or None when it is plain drawing."""
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in content.lower():
        return _("The SVG has a DOCTYPE or entities; save it as plain SVG.")
    try:
        # Safe here: a DOCTYPE or entity (what defusedxml guards against) is refused above,
        # and expat fetches nothing external.
        root = ET.fromstring(content)  # noqa: S314
    except ET.ParseError:
        return _("The file is not a readable SVG image.")
    if root.tag != f"{SVG_NS}svg":
        return _("The file is not a readable SVG image.")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        name = _local(element.tag)
        if not element.tag.startswith(SVG_NS) and element is not root:
            return _("The SVG contains content that is not SVG (%(name)s).") % {"name": name}
        if name in FORBIDDEN_ELEMENTS:
            return _("The SVG contains <%(name)s>, which logos may not use.") % {"name": name}
        if name == "style" and STYLE_REFERENCE.search(element.text or ""):
            return _("The SVG's styles refer to something outside the file.")
        for attribute, value in element.attrib.items():
            attribute_name = _local(attribute)
            if attribute_name.startswith("on"):
                return _("The SVG contains a script (%(name)s).") % {"name": attribute_name}
            if attribute_name == "href" and not value.strip().startswith("#"):
                return _("The SVG refers to something outside the file (%(value)s).") % {
                    "value": value.strip()[:60]
                }
            if STYLE_REFERENCE.search(value):
                return _("The SVG's styles refer to something outside the file.")
    return None


def logo_check(upload: Any) -> Any:
    """A PNG or a strictly plain SVG of at most 512 KB, or a ValidationError saying why not."""
    if not upload or not hasattr(upload, "read"):
        return upload
    name = upload.name.lower()
    if upload.size > MAX_LOGO_SIZE:
        raise forms.ValidationError(_("The logo can be at most 512 KB."))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if name.endswith(".png"):
        if not content.startswith(PNG):
            raise forms.ValidationError(_("The file's content is not PNG, as its name says."))
        return upload
    if name.endswith(".svg"):
        problem = svg_problem(content)
        if problem:
            raise forms.ValidationError(problem)
        return upload
    raise forms.ValidationError(_("The logo must be a PNG or an SVG file."))


def logo_content_type(name: str) -> str:
    return "image/svg+xml" if name.lower().endswith(".svg") else "image/png"


def logo_data_uri(field: Any) -> str:
    """The logo inlined, for PDFs (WeasyPrint fetches nothing from the network)."""
    if not field:
        return ""
    try:
        with field.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    encoded = base64.b64encode(content).decode("ascii")
    return f"data:{logo_content_type(field.name)};base64,{encoded}"


# --- Social links -------------------------------------------------------------------------------


def social_links_parse(text: str) -> list[dict[str, str]]:
    """One link a line, "label address" (Facebook https://facebook.com/…): the address is the
    line's last word and must be https."""
    links = []
    check = URLValidator(schemes=["https"])
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, _space, url = line.rpartition(" ")
        try:
            check(url)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Line %(number)s: end the line with the page's address, starting https://.")
                % {"number": number}
            ) from None
        links.append({"label": label.strip() or url, "url": url})
    if len(links) > 10:
        raise forms.ValidationError(_("At most 10 links."))
    return links


def social_links_text(links: list[dict[str, str]]) -> str:
    return "\n".join(f"{link['label']} {link['url']}" for link in links)
