"""The layout's kept parts (core/layout.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from bokbro.core import layout

register = template.Library()


def _place(context: Any) -> layout.Place:
    """The language and URL settings, read once for the page's layout tags."""
    found = context.render_context.get("layout_place")
    if found is None:
        found = context.render_context["layout_place"] = layout.place()
    return found


@register.simple_tag(takes_context=True)
def site_menus(context: Any) -> SafeString:
    return layout.menus(context.get("request"), context.get("roles"), _place(context))


@register.simple_tag(takes_context=True)
def site_footer(context: Any) -> SafeString:
    return layout.footer(context.get("agency"), _place(context))


@register.simple_tag(takes_context=True)
def site_head(context: Any) -> SafeString:
    return layout.head(context.get("agency"), _place(context))


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> SafeString:
    return layout.header(
        context["request"],
        agency=context.get("agency"),
        roles=context.get("roles"),
        user=context.get("user"),
        current_language=context.get("current_language") or settings.LANGUAGE_CODE,
        csrf_token=context.get("csrf_token"),
        where=_place(context),
    )


@register.simple_tag(takes_context=True)
def quick_scan(context: Any) -> SafeString:
    return layout.quick_scan(context["request"], context.get("csrf_token"), _place(context))
