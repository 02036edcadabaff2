"""Issue 12: who "Register colleagues" lists is the library's people as its manager keeps
them; someone registering without an account is not listed on their word alone."""

from __future__ import annotations

import pytest

from bokbro.directory.models import LibraryRole, PendingColleague
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def test_a_colleague_the_manager_adds_is_offered_in_register_colleagues(world, client_for):
    manager = client_for(world.manager, language="en")
    event = make_event(world.agency, capacity=10)
    manager.post(
        f"/directory/libraries/{world.library.pk}/people/add/",
        {"name": "Nina Ny", "email": "nina@fredrikstad.example", "role": "staff"},
        follow=True,  # the page saying so, read before the next one
    )
    page = manager.get(f"/events/{event.pk}/register-colleagues/").content.decode()
    assert "Nina Ny" in page

    nina = LibraryRole.objects.get(person__email="nina@fredrikstad.example").person
    manager.post(f"/directory/libraries/{world.library.pk}/people/{nina.pk}/remove/", follow=True)
    page = manager.get(f"/events/{event.pk}/register-colleagues/").content.decode()
    assert "Nina Ny" not in page


def test_registering_without_an_account_waits_for_the_manager(world, client_for):
    event = make_event(world.agency, capacity=10)
    response = client_for(None).post(
        f"/events/{event.pk}/register/",
        {"name": "Nils Ny", "email": "nils@fredrikstad.example", "library": world.library.pk},
    )
    assert response.status_code == 302
    # Only once the address is shown to be theirs (the link in the mail confirms the place).
    assert not PendingColleague.objects.exists()
    token = event.registrations.get().token
    client_for(None).post(f"/events/registration/{token}/confirm/")
    assert PendingColleague.objects.filter(library=world.library).count() == 1
    manager = client_for(world.manager, language="en")
    other_event = make_event(world.agency, capacity=10, title="Neste kurs")
    page = manager.get(f"/events/{other_event.pk}/register-colleagues/").content.decode()
    assert "Nils Ny" not in page  # not the library's staff yet

    pending = PendingColleague.objects.get()
    manager.post(
        f"/directory/libraries/{world.library.pk}/pending/{pending.pk}/confirm/", follow=True
    )
    page = manager.get(f"/events/{other_event.pk}/register-colleagues/").content.decode()
    assert "Nils Ny" in page


def test_a_signed_in_person_or_a_colleague_registered_by_the_manager_asks_nothing(
    world, client_for
):
    event = make_event(world.agency, capacity=10)
    client_for(world.public).post(
        f"/events/{event.pk}/register/",
        {"name": "Vanlig Bruker", "email": world.public.email, "library": world.library.pk},
    )
    client_for(world.manager).post(
        f"/events/{event.pk}/register-colleagues/", {"people": [world.staff_person.pk]}
    )
    assert not PendingColleague.objects.exists()
