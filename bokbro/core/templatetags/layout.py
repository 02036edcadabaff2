"""The layout's kept parts (core/layout.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from bokbro.core import layout

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menus(context: Any) -> SafeString:
    return layout.menus(context.get("request"), context.get("roles"))


@register.simple_tag(takes_context=True)
def site_footer(context: Any) -> SafeString:
    return layout.footer(context.get("agency"))


@register.simple_tag(takes_context=True)
def site_head(context: Any) -> SafeString:
    return layout.head(context.get("agency"))


@register.simple_tag(takes_context=True)
def language_list(context: Any) -> SafeString:
    return layout.language_list(context.get("current_language") or settings.LANGUAGE_CODE)
