"""Subscribing with double opt-in, the proof of consent, unsubscribing, the preference page and
the import of addresses."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bokbro.newsletter import links, selectors
from bokbro.newsletter.models import ConsentSource, ListKind, Subscriber, SubscriberStatus
from bokbro.newsletter.services import personal_data, subscriptions
from bokbro.newsletter.tests.helpers import make_list, make_subscriber

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    found = re.search(r"http://\S+/newsletter/confirm/\S+/", message.body)
    assert found is not None
    return found.group(0)


def test_a_subscription_starts_only_when_confirmed_and_keeps_the_proof(
    world, client_for, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency, "Nyhetsbrev")
    make_list(world.agency, "Internt", is_public=False)
    client = client_for(None, language="nn")

    page = client.get("/newsletter/")
    assert "Nyhetsbrev" in page.content.decode()
    assert "Internt" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletter/",
            {"email": "aisha@example.org", "name": "Aisha", "lists": [newsletter.pk]},
        )

    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="aisha@example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.language == "nn"
    assert subscriber.requested_ip == "127.0.0.1"
    (message,) = mail.outbox
    assert message.to == ["aisha@example.org"]
    link = confirmation_link(message).removeprefix("http://ostfold.testserver:8000")

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert client.post(link).status_code == 302

    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.confirmed_ip == "127.0.0.1"
    assert subscriber.source == ConsentSource.FORM
    assert subscriber.consent_version == subscriptions.CONSENT_VERSION


def test_the_form_tells_nobody_who_is_already_subscribed(
    world, client_for, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "kari@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            "/newsletter/", {"email": "KARI@example.org", "lists": [newsletter.pk]}
        )

    assert response.status_code == 302
    assert response["Location"] == "/newsletter/subscribed/"
    assert mail.outbox == []
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_a_changed_or_foreign_link_is_not_found(world, client_for):
    newsletter = make_list(world.agency)
    pending = make_subscriber(newsletter, "a@example.org", status=SubscriberStatus.PENDING)
    token = links.confirm_token([pending.pk])
    client = client_for(None)

    assert client.get(f"/newsletter/confirm/{token[:-1]}x/").status_code == 404
    unsubscribe = links.unsubscribe_token(mailing_list_id=newsletter.pk, email="a@example.org")
    # A link of one kind is no key to another.
    assert client.get(f"/newsletter/confirm/{unsubscribe}/").status_code == 404
    assert client.get(f"/newsletter/preferences/{unsubscribe}/").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 404


def test_unsubscribing_from_the_page_and_resubscribing_on_the_preference_page(world, client_for):
    newsletter = make_list(world.agency, "Nyhetsbrev")
    schools = make_list(world.agency, "Skolebibliotek")
    managers = make_list(
        world.agency, "Biblioteksjefer", kind=ListKind.SEGMENT, segment_roles=["manager"]
    )
    make_subscriber(newsletter, "ola@fredrikstad.example")
    client = client_for(None)
    token = links.unsubscribe_token(mailing_list_id=newsletter.pk, email="ola@fredrikstad.example")

    page = client.get(f"/newsletter/unsubscribe/{token}/")
    assert "Nyhetsbrev" in page.content.decode()
    client.post(f"/newsletter/unsubscribe/{token}/")
    assert Subscriber.objects.get(mailing_list=newsletter).status == SubscriberStatus.UNSUBSCRIBED

    token = links.preferences_token(agency=world.agency, email="ola@fredrikstad.example")
    preferences = f"/newsletter/preferences/{token}/"
    page = client.get(preferences).content.decode()
    assert "Skolebibliotek" in page and "Nyhetsbrev" in page
    response = client.post(preferences, {"lists": [schools.pk, newsletter.pk]})
    assert response.status_code == 302
    statuses = dict(
        Subscriber.objects.filter(email="ola@fredrikstad.example").values_list(
            "mailing_list__name", "status"
        )
    )
    assert statuses == {"Nyhetsbrev": "confirmed", "Skolebibliotek": "confirmed"}
    assert Subscriber.objects.get(mailing_list=schools).source == ConsentSource.PREFERENCES

    # Off the segment too: the manager's address stays out of its issues.
    subscriptions.list_unsubscribe(mailing_list=managers, email="ola@fredrikstad.example")
    assert selectors.list_recipients(managers) == [("marte@sarpsborg.example", "Marte Sjef", "nb")]


def test_an_import_with_a_bad_or_repeated_address_imports_nothing_and_names_the_lines(
    world, client_for
):
    newsletter = make_list(world.agency)
    csv = "e-post;navn\nkari@example.org;Kari\nikke-en-adresse;Ola\nKARI@example.org;Kari igjen\n"

    response = client_for(world.consultant).post(
        f"/newsletter/staff/lists/{newsletter.pk}/import/",
        {"file": SimpleUploadedFile("liste.csv", csv.encode())},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 3" in page or "Linje 3" in page
    assert "ikke-en-adresse" in page
    assert "Line 4" in page or "Linje 4" in page
    assert Subscriber.objects.count() == 0


def test_an_import_adds_new_addresses_and_leaves_out_those_who_unsubscribed(world, client_for):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "gone@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    make_subscriber(newsletter, "here@example.org")
    csv = "new@example.org,Ny\nGONE@example.org\nhere@example.org\n"

    response = client_for(world.consultant).post(
        f"/newsletter/staff/lists/{newsletter.pk}/import/",
        {"file": SimpleUploadedFile("liste.csv", csv.encode())},
    )

    assert response.status_code == 302
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses == {
        "new@example.org": "confirmed",
        "gone@example.org": "unsubscribed",
        "here@example.org": "confirmed",
    }
    new = Subscriber.objects.get(email="new@example.org")
    assert new.source == ConsentSource.IMPORT and new.name == "Ny"


def test_the_services_export_and_erase_an_address(world):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "Aisha@fredrikstad.example", name="Aisha")

    exported = personal_data.subscriber_export(email="aisha@fredrikstad.example")
    assert exported[0]["list"] == newsletter.name
    assert exported[0]["status"] == "confirmed"

    assert personal_data.subscriber_erase(email="aisha@fredrikstad.example") == 1
    assert Subscriber.objects.count() == 0


def test_my_page_export_and_account_deletion_include_subscriptions(world, client_for):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, world.staff.email.upper(), name="Aisha")
    make_subscriber(newsletter, "someone.else@example.org", name="Else")
    client = client_for(world.staff)

    data = json.loads(client.get("/me/export/").content)
    assert [row["list"] for row in data["newsletter_subscriptions"]] == [newsletter.name]
    assert "someone.else@example.org" not in json.dumps(data)

    client.post("/me/delete/", {"confirm": world.staff.email})
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone.else@example.org"]


def test_the_form_sends_one_confirmation_per_quarter_hour_whatever_is_typed_in(
    world, client_for, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency, "Nyhetsbrev")
    client = client_for(None)
    form = {"email": "victim@example.org", "name": "", "lists": [newsletter.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert client.post("/newsletter/", form).status_code == 302
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]

    Subscriber.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/", form)
    assert len(mail.outbox) == 2  # asking again later sends the link again
