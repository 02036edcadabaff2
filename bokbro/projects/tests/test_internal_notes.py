"""Internal notes never reach anyone but the owner agency's staff: through every page of the
module, its exports and downloads, the library profile, as every role (the access matrix checks
some roles; this adds the library's own manager and the partner agency's staff)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from bokbro.projects.tests import access

pytestmark = pytest.mark.django_db


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def test_internal_notes_reach_no_one_outside_the_owners_staff(world, client_for):
    objects = access.setup(SimpleNamespace(world=world))
    site = SimpleNamespace(world=world)
    clients = {
        "manager": client_for(world.manager),
        "other_manager": client_for(world.other_manager),
        "staff": client_for(world.staff),
        "public": client_for(world.public),
        "anonymous": client_for(None),
        "partner agency": client_for(world.outsider, host="jonkoping.testserver"),
    }
    urls = [
        reverse(name, kwargs=access.url_kwargs(name, site, objects)) for name in access.GET_EXPECTED
    ]
    urls += [
        f"/directory/libraries/{world.library.pk}/profile/",
        f"/directory/municipalities/no/{world.municipality.code}/profile/",
        f"/directory/libraries/{world.library.pk}/",
    ]
    seen = 0
    for who, client in clients.items():
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                seen += 1
                assert access.INTERNAL_NOTE not in body(response), f"{who} sees it at {url}"
    assert seen > 20

    # The owner's staff do see them, on the project page only (not in the CSV export; the XLSX
    # export is read back in test_staff.py).
    kari = client_for(world.consultant)
    project = objects["project"]
    assert access.INTERNAL_NOTE in body(kari.get(f"/projects/staff/{project.pk}/"))
    assert access.INTERNAL_NOTE not in body(kari.get("/projects/staff/projects.csv"))
