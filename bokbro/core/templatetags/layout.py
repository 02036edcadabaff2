"""The layout's kept parts (core/layout.py): `{% site_menus %}` and `{% site_footer %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from bokbro.core import layout

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menus(context: Any) -> SafeString:
    return layout.menus(context.get("request"), context.get("roles"))


@register.simple_tag(takes_context=True)
def site_footer(context: Any) -> SafeString:
    return layout.footer(context.get("agency"))
