"""Internal notes never reach a library user: every advisory page, export and profile, asked
for by every role but the agency's own staff. (The role matrix checks the roles it walks; this
adds the library manager, who does see the library's profile.)"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from bokbro.advisory.tests import access

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["manager", "staff", "public", "anonymous", "outsider"])
def test_no_page_or_export_shows_internal_notes_to_a_library_user(world, client_for, role):
    site = SimpleNamespace(world=world)
    objects = access.setup(site)
    client = client_for(world.users()[role])
    for name in access.GET_EXPECTED:
        url = reverse(name, kwargs=access.url_kwargs(name, site, objects))
        response = client.get(url, follow=True)
        body = response.content.decode(errors="replace")
        assert access.INTERNAL_NOTE not in body, f"{url} as {role}"
    if role in {"manager", "staff"}:  # the one page they see here shows the summary
        url = reverse("directory:library_profile", args=[world.library.pk])
        assert access.SUMMARY in client.get(url).content.decode()


def test_staff_see_the_internal_notes(world, client_for):
    site = SimpleNamespace(world=world)
    objects = access.setup(site)
    kari = client_for(world.consultant)
    for name in ("advisory:consultation", "advisory:export_csv", "directory:library_profile"):
        url = reverse(name, kwargs=access.url_kwargs(name, site, objects))
        assert access.INTERNAL_NOTE in kari.get(url).content.decode(), url
