from __future__ import annotations

from django import template

from bokbro.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.filter(name="audit_action")
def audit_action(action: str) -> str:
    """The readable, translated name of an audit action code."""
    from bokbro.core.audit import action_label

    return action_label(action)
