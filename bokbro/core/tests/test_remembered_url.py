"""The remembered `{% url %}` gives the same links as Django's, for every kind of argument."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from bokbro.core.templatetags.remembered_url import RememberedURLNode, _remembered


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_tag_is_the_remembering_one_on_every_template():
    template = Template("{% url 'events:calendar' %}")
    assert isinstance(template.nodelist[0], RememberedURLNode)


def test_links_are_the_same_as_djangos_and_remembered():
    _remembered.cache_clear()
    assert render("{% url 'events:calendar' %}") == reverse("events:calendar")
    assert render("{% url 'events:month' 2026 12 %}") == reverse("events:month", args=[2026, 12])
    assert render("{% url 'events:month' year=2027 month=1 %}") == reverse(
        "events:month", args=[2027, 1]
    )
    render("{% url 'events:calendar' %}")
    assert _remembered.cache_info().hits == 1


class Slugged:
    """An argument that is neither text nor a number: its URL text is whatever str() says."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(self.value)


def test_other_arguments_are_reversed_every_time():
    _remembered.cache_clear()
    first, second = Slugged(7), Slugged(8)
    assert render("{% url 'directory:library' it %}", it=first) == reverse(
        "directory:library", args=[7]
    )
    first.value = 9  # the same object now stands for another page
    assert render("{% url 'directory:library' it %}", it=first) == reverse(
        "directory:library", args=[9]
    )
    assert render("{% url 'directory:library' it %}", it=second).endswith("/8/")
    assert _remembered.cache_info().currsize == 0


def test_as_variable_and_unknown_names_behave_as_in_django():
    assert render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    link = reverse("events:calendar")
    assert render("{% url 'events:calendar' as link %}<{{ link }}>") == f"<{link}>"
