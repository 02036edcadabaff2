"""Charts of the annual report as SVG drawn on the server: no JavaScript, the same picture on the
web page and in the PDF.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; the
page shows the same numbers in a table next to it, so nobody depends on the picture. Colours are
presentation attributes (no style attributes, which the content security policy would block)
and pass 3:1 against white.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#1e5c8a"
REACHED = "#1e5c8a"
NOT_REACHED = "#ffffff"
TEXT = "#1a1a1a"
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'

_ids = count(1)


def _head(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    title_id, desc_id = f"chart-title-{n}", f"chart-desc-{n}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}" {FONT} font-size="12">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _number(value: float) -> str:
    """In the language's own way: "1 234" and "33,3" in Norwegian and Swedish, "33.3" in English."""
    return number_format(value, 0 if value == int(value) else 1, force_grouping=True)


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, desc: str, width: int = 640
) -> SafeString:
    """Horizontal bars, one per row, longest first as given; labels left, values right."""
    label_width, value_width, row_height, top = 190, 70, 20, 6
    height = top * 2 + row_height * max(len(rows), 1)
    head, tail = _head(width, height, title, desc)
    largest = max((value for _label, value in rows), default=0) or 1
    bar_space = width - label_width - value_width
    parts = [head]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_height
        length = round(bar_space * value / largest, 1)
        text = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" fill="{TEXT}">'
            f"{escape(text)}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row_height - 6}" '
            f'fill="{BAR}"/>'
            f'<text x="{label_width + length + 4}" y="{y + 14}" fill="{TEXT}">'
            f"{escape(_number(value))}</text>"
        )
    parts.append(tail)
    return mark_safe("".join(parts))


def tile_chart(
    tiles: Sequence[tuple[str, bool]],
    *,
    title: str,
    desc: str,
    reached_label: str,
    not_reached_label: str,
    columns: int = 6,
    width: int = 640,
) -> SafeString:
    """A grid of tiles, one per municipality: filled when reached, outlined when not (the shape
    and the legend say it as well as the colour)."""
    gap, legend = 4, 28
    tile_width = (width - gap * (columns - 1)) / columns
    tile_height = 30
    rows = max((len(tiles) + columns - 1) // columns, 1)
    height = legend + rows * (tile_height + gap)
    head, tail = _head(width, height, title, desc)
    parts = [
        head,
        f'<rect x="0" y="4" width="16" height="16" fill="{REACHED}" stroke="{BAR}"/>'
        f'<text x="22" y="17" fill="{TEXT}">{escape(reached_label)}</text>'
        f'<rect x="220" y="4" width="16" height="16" fill="{NOT_REACHED}" stroke="{TEXT}" '
        f'stroke-dasharray="3 2"/>'
        f'<text x="242" y="17" fill="{TEXT}">{escape(not_reached_label)}</text>',
    ]
    for i, (label, reached) in enumerate(tiles):
        x = round((i % columns) * (tile_width + gap), 1)
        y = legend + (i // columns) * (tile_height + gap)
        limit = max(int(tile_width / 7.2), 4)
        text = label if len(label) <= limit else label[: limit - 1] + "…"
        if reached:
            shape = (
                f'<rect x="{x}" y="{y}" width="{round(tile_width, 1)}" height="{tile_height}" '
                f'fill="{REACHED}"/>'
            )
            colour = "#ffffff"
        else:
            shape = (
                f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{round(tile_width - 1, 1)}" '
                f'height="{tile_height - 1}" fill="{NOT_REACHED}" stroke="{TEXT}" '
                f'stroke-dasharray="3 2"/>'
            )
            colour = TEXT
        parts.append(
            f"{shape}"
            f'<text x="{round(x + tile_width / 2, 1)}" y="{y + 19}" text-anchor="middle" '
            f'fill="{colour}" font-size="11">{escape(text)}</text>'
        )
    parts.append(tail)
    return mark_safe("".join(parts))
