"""Parts of a page kept rendered in the cache as bytes (core/kept_parts.py): each part stands
where the page puts it, is made once per key (and release), and only when it is missing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from bokbro.core import kept_parts
from bokbro.core.kept_parts import Part, page_with_parts

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "page.html": (
                            "<title>{{ title }}</title><nav>{{ parts.crumbs }}</nav>"
                            "<main>{{ parts.content }}</main>"
                        ),
                        "_content.html": "Bøker – {{ figure }} ☰",
                        "_crumbs.html": "<a href='{{ request.path }}'>{{ title }}</a>",
                    },
                )
            ],
            "context_processors": ["django.template.context_processors.request"],
        },
    }
]

pytestmark = pytest.mark.usefixtures("_templates")


@pytest.fixture
def _templates() -> Any:
    with override_settings(TEMPLATES=TEMPLATES):
        yield


class Figures:
    """The part context, counting how often it is asked for."""

    def __init__(self, figure: int) -> None:
        self.figure = figure
        self.asked = 0

    def __call__(self) -> dict[str, Any]:
        self.asked += 1
        return {"figure": self.figure}


def page(figures: Figures, version: int = 1, title: str = "Kartlegging") -> str:
    request = RequestFactory().get("/results/")
    response = page_with_parts(
        request,
        "page.html",
        {"title": title},
        parts={
            "crumbs": Part(f"test.{version}.crumbs", "_crumbs.html"),
            "content": Part(f"test.{version}", "_content.html"),
        },
        part_context=figures,
    )
    return response.content.decode()


def test_each_part_stands_where_the_page_puts_it() -> None:
    html = page(Figures(42))
    assert html == (
        "<title>Kartlegging</title><nav><a href='/results/'>Kartlegging</a></nav>"
        "<main>Bøker – 42 ☰</main>"
    )
    assert page(Figures(42)) == html  # and the same again from the cache


def test_a_part_is_made_once_per_key() -> None:
    figures = Figures(42)
    page(figures)
    figures.figure = 43
    assert "42" in page(figures)  # kept: the key says nothing changed
    assert figures.asked == 1
    assert "43" in page(figures, version=2)  # a new version: made again
    assert figures.asked == 2


def test_only_a_missing_part_is_made() -> None:
    from django.core.cache import cache

    figures = Figures(42)
    page(figures)
    cache.delete(f"kept.{kept_parts.release()}.test.1")
    figures.figure = 43
    html = page(figures)
    assert figures.asked == 2
    assert "Bøker – 43" in html


def test_a_new_release_makes_the_parts_again(monkeypatch: Any) -> None:
    figures = Figures(42)
    page(figures)
    figures.figure = 43
    monkeypatch.setattr(kept_parts, "release", lambda: "the-next-release")
    assert "43" in page(figures)


def test_the_page_around_the_parts_is_its_own() -> None:
    """Only the page's own placeholders are replaced, not a text that looks like one."""
    html = page(Figures(42), title="<!--part x content-->")
    assert "<title>&lt;!--part x content--&gt;</title>" in html
    assert html.count("Bøker") == 1


@override_settings(DEBUG=True)
def test_with_debug_nothing_is_kept() -> None:
    figures = Figures(42)
    page(figures)
    figures.figure = 43
    assert "43" in page(figures)
    assert figures.asked == 2
