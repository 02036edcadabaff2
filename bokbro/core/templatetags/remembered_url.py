"""`{% url %}` that remembers its answers: loaded as a template builtin (settings.TEMPLATES),
it replaces Django's tag of the same name everywhere.

Django's `reverse()` costs about 80 µs, and every page's header, navigation and footer call it
about twenty times for the same few links (measured in docs/performance.md). A URL depends only
on the view name, the arguments, the current app, the URLconf and the script prefix, so the
answer is remembered under exactly those. Arguments other than strings and integers (model
instances, whose URL text could depend on more than their `str()`) are reversed every time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

SIMPLE = (str, int)


@lru_cache(maxsize=4096)
def _remembered(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: str | None,
    root_urlconf: str,
    script_prefix: str,
) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


class RememberedURLNode(URLNode):
    def render(self, context: Any) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            values = (*args, *kwargs.values())
            if all(type(value) in SIMPLE for value in values):
                url = _remembered(
                    view_name,
                    tuple(args),
                    tuple(sorted(kwargs.items())),
                    current_app,
                    get_urlconf(),
                    settings.ROOT_URLCONF,
                    get_script_prefix(),
                )
            else:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Any, token: Any) -> RememberedURLNode:
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
