"""The layout's menus and footer are kept rendered per process (core/layout.py): each visitor
still gets the menus of their own role and the footer of the current agency details, and the
roles behind them are read in one statement."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from bokbro.directory.access import roles_for
from bokbro.directory.models import AgencyRole, LibraryRole, LibraryRoleKind, TeamMember
from bokbro.directory.tenancy import forget_hosts

pytestmark = pytest.mark.django_db

STAFF_LINK = 'href="/competence/staff/"'
APPROVALS_LINK = 'href="/events/approvals/"'
AUDIT_LINK = 'href="/staff/audit/"'


def _page(client: Any, path: str = "/directory/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_gets_its_own_menus_whoever_came_first(world, client_for):
    # The same page, one visitor after another: the menus kept for one are not shown to the next.
    for user, staff, manager, admin in [
        (world.admin, True, True, True),
        (world.consultant, True, True, False),
        (world.manager, False, True, False),
        (world.staff, False, False, False),
        (world.public, False, False, False),
        (None, False, False, False),
        (world.admin, True, True, True),
    ]:
        html = _page(client_for(user))
        assert (STAFF_LINK in html) is staff, user
        assert (APPROVALS_LINK in html) is manager, user
        assert (AUDIT_LINK in html) is admin, user
        assert ('id="site-nav-work"' in html) is manager, user


def test_the_menus_mark_the_page_and_the_section(world, client_for):
    client = client_for(world.consultant)
    html = _page(client, "/competence/staff/")
    assert f'{STAFF_LINK} aria-current="page"' in html
    html = _page(client, "/competence/staff/surveys/new/")
    assert f'{STAFF_LINK} aria-current="true"' in html
    html = _page(client, "/directory/")
    assert 'href="/directory/" aria-current="page"' in html
    assert "aria-current" not in html.split(STAFF_LINK)[1].split(">")[0]


def test_the_menus_follow_the_language(world, client_for):
    assert "Administrer arrangementer" in _page(client_for(world.consultant, language="nb"))
    assert "Manage events" in _page(client_for(world.consultant, language="en"))


def test_a_change_of_role_shows_on_the_next_page(world, client_for):
    client = client_for(world.consultant)
    assert STAFF_LINK in _page(client)
    TeamMember.objects.filter(user=world.consultant).update(user=None)
    assert STAFF_LINK not in _page(client)
    assert client.get("/competence/staff/").status_code == 403


def test_the_footer_shows_the_agencys_details_as_they_are_now(world, client_for):
    client = client_for(None)
    assert "Storgata 1" not in _page(client)
    world.agency.street_address = "Storgata 1"
    world.agency.save()
    forget_hosts()
    html = _page(client)
    assert re.search(r"<footer.*Storgata 1.*</footer>", html, re.S)


@override_settings(DEBUG=True)
def test_with_debug_the_menus_are_rendered_each_time(world, client_for):
    assert STAFF_LINK in _page(client_for(world.consultant))


def test_roles_are_read_in_one_statement(world):
    world.consultant.refresh_from_db()  # no roles remembered on the object
    with CaptureQueriesContext(connection) as queries:
        roles = roles_for(world.consultant, world.agency)
    assert len(queries) == 1
    assert roles.agency_role == AgencyRole.CONSULTANT


def test_roles_are_the_team_place_and_the_library_roles(world):
    def fresh(user: Any, agency: Any) -> Any:
        user.refresh_from_db()
        return roles_for(user, agency)

    assert fresh(world.admin, world.agency).is_admin
    assert not fresh(world.admin, world.other_agency).is_staff  # another agency's site
    assert not fresh(world.outsider, world.agency).is_staff
    manager = fresh(world.manager, world.agency)
    assert manager.managed_library_ids == {world.library.pk}
    assert manager.library_ids == {world.library.pk}
    LibraryRole.objects.create(
        person=world.manager_person, library=world.other_library, role=LibraryRoleKind.STAFF
    )
    manager = fresh(world.manager, None)  # no agency for the host: the library roles still count
    assert manager.agency_role is None
    assert manager.managed_library_ids == {world.library.pk}
    assert manager.library_ids == {world.library.pk, world.other_library.pk}
    assert fresh(world.public, world.agency).label == "public"


def test_the_language_buttons_mark_the_language_shown(world, client_for):
    for language in ("nb", "en", "nb"):
        html = _page(client_for(None, language=language))
        assert f'value="{language}" lang="{language}" aria-current="true"' in html
        assert html.count('aria-current="true">') == 1


def test_a_new_accent_colour_brings_the_agencys_style_sheet(world, client_for):
    client = client_for(None)
    assert "/agency.css" not in _page(client)
    world.agency.accent_colour = "#7a1f5c"
    world.agency.look_version += 1
    world.agency.save()
    forget_hosts()
    assert f"/agency.css?v={world.agency.look_version}" in _page(client)


def _field(html: str, form_class: str, name: str) -> str:
    form = html[html.index(f'class="{form_class}"') :]
    return re.search(rf'name="{name}" value="([^"]*)"', form)[1]  # type: ignore[index]


def test_the_quick_scan_form_is_each_visitors_own(world, client_for):
    """The form is kept rendered for the whole team; the CSRF token and the page to return to
    are put in for each request, never the previous visitor's."""
    seen = []
    for user, path in [
        (world.consultant, "/staff/events/"),
        (world.admin, "/competence/staff/?tab=plans&x=<b>"),
        (world.consultant, "/directory/"),
    ]:
        html = _page(client_for(user), path)
        token = _field(html, "quick-scan__form", "csrfmiddlewaretoken")
        # The same token as the page's other forms (the language switcher's).
        assert token == _field(html, "language-switcher", "csrfmiddlewaretoken")
        back = unescape(_field(html, "quick-scan__form", "next"))
        assert back == path.replace("<", "%3C").replace(">", "%3E")
        assert not any(old in html for old in seen)
        seen.append(token)


def test_the_quick_scan_forms_token_is_accepted(world, client_for):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.consultant)
    html = _page(client, "/directory/")
    answer = client.post(
        "/publications/scanning/staff/",
        {
            "csrfmiddlewaretoken": _field(html, "quick-scan__form", "csrfmiddlewaretoken"),
            "url": "https://example.org/rapport",
            "title": "Ny rapport",
            "next": _field(html, "quick-scan__form", "next"),
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/directory/"


def test_the_header_is_each_visitors_own(world, client_for):
    """The header's top is kept rendered; who is signed in, has a work menu or is on their own
    page, and the forms' CSRF token and page to return to, are each visitor's own."""
    seen: list[str] = []
    for user, path, signed_in, work_menu, own_page in [
        (None, "/directory/", False, False, False),
        (world.consultant, "/directory/?q=a&b=<c>", True, True, False),
        (world.manager, "/me/", True, True, True),
        (world.staff, "/directory/", True, False, False),
        (world.consultant, "/me/", True, True, True),
        (None, "/events/", False, False, False),
    ]:
        html = _page(client_for(user), path)
        top = html[html.index('class="container site-header__top"') : html.index("</header>")]
        assert ("Sign out" in top or "Logg ut" in top) is signed_in, user
        assert ("site-nav site-nav-work" in top) is work_menu, user
        assert ('aria-current="page">Min side' in top) is own_page, user
        # The page's one token in every form, the header's too (the language switcher, and
        # signing out).
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
        assert len(set(tokens)) == 1
        assert top.count(f'name="csrfmiddlewaretoken" value="{tokens[0]}"') == 1 + signed_in
        assert unescape(_field(html, "language-switcher", "next")) == path.replace(
            "<", "%3C"
        ).replace(">", "%3E")
        assert not any(old in html for old in seen)
        seen.append(tokens[0])


def test_the_header_shows_the_agencys_name_and_logo_as_they_are_now(world, client_for):
    client = client_for(None)
    assert "Kulturnett Østfold" not in _page(client)
    assert "agency-logo" not in _page(client)
    world.agency.display_name = "Kulturnett Østfold"
    world.agency.logo.name = "agency-logos/logo.svg"
    world.agency.look_version += 1
    world.agency.save()
    forget_hosts()
    html = _page(client)
    assert '<span class="site-header__name">Kulturnett Østfold</span>' in html
    assert f'src="/agency-logo?v={world.agency.look_version}"' in html
