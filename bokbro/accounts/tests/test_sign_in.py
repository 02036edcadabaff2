"""Signing in with a code sent by e-mail, through allauth's real views and Bokbro's mail queue."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from bokbro.accounts.models import User
from bokbro.directory.models import AgencyRole, Person, TeamMember

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def code_from(message: Any) -> str:
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


def request_code(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/confirm/"
    return response


def signed_in_user(client: Client) -> User | None:
    response = client.get("/me/")
    user = response.wsgi_request.user
    return user if response.status_code == 200 and isinstance(user, User) else None


def test_existing_user_signs_in_with_the_code_from_the_mail(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/accounts/login/code/", {"email": "kari@ostfold.example"})
    assert response["Location"] == "/accounts/login/code/confirm/"
    # The mail goes out through Bokbro's task queue once the transaction has committed.
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@ostfold.example"]
    response = client.post("/accounts/login/code/confirm/", {"code": code_from(message)})

    assert response.status_code == 302
    assert signed_in_user(client) == world.consultant


def test_sign_in_links_the_directory_person_and_team_entry_with_the_address(
    world, django_capture_on_commit_callbacks
):
    user = User.objects.create_user(email="nina@ostfold.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    person = Person.objects.create(name="Nina Ny", email="Nina@Ostfold.example")
    member = TeamMember.objects.create(
        agency=world.agency,
        name="Nina Ny",
        email="nina@ostfold.example",
        role=AgencyRole.CONSULTANT,
    )
    client = Client()
    assert client.get("/directory/people/").status_code == 302

    request_code(client, "nina@ostfold.example", django_capture_on_commit_callbacks)
    client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[0])})

    person.refresh_from_db()
    member.refresh_from_db()
    assert person.user == user
    assert member.user == user
    assert client.get("/directory/people/").status_code == 200


def test_wrong_code_shows_an_error_and_does_not_sign_in(world, django_capture_on_commit_callbacks):
    client = Client()
    request_code(client, "kari@ostfold.example", django_capture_on_commit_callbacks)
    right = code_from(mail.outbox[0])
    wrong = "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"

    response = client.post("/accounts/login/code/confirm/", {"code": wrong})

    assert response.status_code == 200
    assert 'data-field="validation"' in response.content.decode()
    assert signed_in_user(client) is None


def test_sign_in_code_mail_is_in_the_agency_language(world, django_capture_on_commit_callbacks):
    norwegian, swedish = Client(), Client(HTTP_HOST="jonkoping.testserver")

    request_code(norwegian, "kari@ostfold.example", django_capture_on_commit_callbacks)
    request_code(swedish, "johan@jonkoping.example", django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "Innloggingskode"
    assert mail.outbox[1].subject == "Inloggningskod"
    assert "Biblioteksutveckling Jönköping" in mail.outbox[1].body


def test_sign_in_code_mail_is_in_the_language_the_user_chose(
    world, django_capture_on_commit_callbacks
):
    world.consultant.language = "sv"
    world.consultant.save()

    request_code(Client(), "kari@ostfold.example", django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "Inloggningskod"


def test_a_new_address_signs_up_with_a_code(world, django_capture_on_commit_callbacks):
    client = Client(HTTP_HOST="jonkoping.testserver")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "ny.lantagare@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.lantagare@example.se"]
    # The mail is in the language of the agency whose site the visitor used.
    assert "kod" in message.body.lower()
    assert "code" not in message.subject.lower()

    response = client.post(response["Location"], {"code": code_from(message)})

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and user.email == "ny.lantagare@example.se"
    assert EmailAddress.objects.get(email="ny.lantagare@example.se").verified
    assert user.language == "sv"


def test_a_signed_in_user_reaches_two_factor_settings(world, client_for):
    response = client_for(world.admin).get("/accounts/2fa/")

    assert response.status_code == 200


def test_createadmin_makes_a_verified_agency_administrator(world):
    out = StringIO()

    call_command(
        "createadmin",
        "sjef@ostfold.example",
        "--name",
        "Ny Sjef",
        "--agency",
        "ostfold",
        stdout=out,
    )

    user = User.objects.get(email="sjef@ostfold.example")
    assert EmailAddress.objects.get(user=user).verified
    member = TeamMember.objects.get(agency=world.agency, user=user)
    assert member.role == AgencyRole.ADMIN
    assert "sjef@ostfold.example" in out.getvalue()
    assert not user.is_superuser


def test_createadmin_administrator_can_open_the_audit_log(world, client_for):
    call_command("createadmin", "sjef@ostfold.example", "--agency", "ostfold", stdout=StringIO())
    user = User.objects.get(email="sjef@ostfold.example")

    assert client_for(user).get("/staff/audit/").status_code == 200


def test_createadmin_with_superuser_also_opens_django_admin(world, client_for):
    call_command("createadmin", "drift@example.org", "--superuser", stdout=StringIO())
    user = User.objects.get(email="drift@example.org")

    assert user.is_superuser and user.is_staff
    assert client_for(user).get("/admin/").status_code == 200


def test_createadmin_names_the_agencies_when_the_slug_is_wrong(world):
    with pytest.raises(CommandError, match=r"jonkoping, ostfold|ostfold, jonkoping"):
        call_command("createadmin", "x@example.org", "--agency", "nowhere", stdout=StringIO())

    assert not User.objects.filter(email="x@example.org").exists()
