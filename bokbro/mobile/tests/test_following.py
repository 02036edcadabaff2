"""Following a stop by e-mail: asked on the stop's page, confirmed by the link in the mail (and
nothing sent before), a reminder a few days before each visit — never two for one visit — a
mail at once on a cancellation, and one click in any mail to stop."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.utils import timezone

from bokbro.accounts.personal import personal_data
from bokbro.mobile import following, selectors, services
from bokbro.mobile.models import Follower, Reminder
from bokbro.mobile.periodic import run as periodic_run
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
EMAIL = "kari.lesehest@example.org"
# Tuesdays, weekly, from 5 January 2027.
FIRST_TUESDAY = date(2027, 1, 5)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


@pytest.fixture
def bus(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2027, 1, 1))
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.stop = make_stop(world, "Torvet")
    world.visit = make_visit(
        world,
        world.route,
        world.stop,
        rule="FREQ=WEEKLY",
        starts_on=FIRST_TUESDAY,
        ends_on=date(2027, 6, 1),
    )
    return world


@pytest.fixture
def reader(client_for: Any) -> Any:
    """A member of the public reading the pages in English."""
    return client_for(None, language="en")


@pytest.fixture
def mails(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], list[Any]]:
    """The mails an action sends (queued after its commit)."""

    def run(action: Callable[[], Any]) -> list[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return run


def link_in(message: Any, name: str) -> str:
    """The path of a link in the mail's text: "stop" (unsubscribe) or "" (confirm)."""
    found = re.search(rf"https?://[^/\s]+(/mobile-library/follow/[\w-]+/{name})\s", message.body)
    assert found, message.body
    return found.group(1)


def confirm_link(message: Any) -> str:
    return link_in(message, "")


def ask(reader: Any, bus: Any, mails: Any, email: str = EMAIL) -> tuple[Any, list[Any]]:
    box: list[Any] = []

    def post() -> None:
        box.append(reader.post(f"/mobile-library/stops/{bus.stop.pk}/follow/", {"email": email}))

    sent = mails(post)
    return box[0], sent


def followed(reader: Any, bus: Any, mails: Any) -> Follower:
    """Asked on the page and confirmed by the link in the mail."""
    response, sent = ask(reader, bus, mails)
    assert response.status_code == 302
    link = confirm_link(sent[0])
    assert "Yes, follow this stop" in reader.get(link).content.decode()
    assert reader.post(link).status_code == 302
    return Follower.objects.get(email=EMAIL)


def test_the_stop_page_has_the_follow_form(bus: Any, reader: Any) -> None:
    page = reader.get(f"/mobile-library/stops/{bus.stop.pk}/").content.decode()
    assert f'action="/mobile-library/stops/{bus.stop.pk}/follow/"' in page
    assert 'name="email"' in page


def test_nothing_but_the_confirmation_is_sent_until_the_link_is_followed(
    bus: Any, reader: Any, mails: Any
) -> None:
    response, sent = ask(reader, bus, mails)
    assert response.status_code == 302
    assert "Check your e-mail" in reader.get(response["Location"]).content.decode()
    assert [m.to for m in sent] == [[EMAIL]]
    assert "Torvet" in sent[0].subject
    # Two days before a visit: no reminder to an address not confirmed.
    assert mails(lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=2)))) == []

    link = confirm_link(sent[0])
    assert reader.get(link).status_code == 200
    assert Follower.objects.get().confirmed_at is None  # a mail scanner's GET confirms nothing
    reader.post(link)
    assert "Thank you!" in reader.get(link).content.decode()
    reminders = mails(lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=2))))
    assert [m.to for m in reminders] == [[EMAIL]]


def test_a_reminder_comes_once_one_to_three_days_before_each_visit(
    bus: Any, reader: Any, mails: Any
) -> None:
    followed(reader, bus, mails)
    four_days_before = mails(
        lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=4)))
    )
    assert four_days_before == []
    first = mails(lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=3))))
    assert len(first) == 1
    assert "on Tuesday Jan. 5, 2027, 10:50–11:05" in first[0].body
    assert "10:50" in first[0].body
    # The work runs again that day and the next two: no second mail for the same visit.
    for days in (3, 2, 1):
        assert (
            mails(
                lambda d=days: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=d)))
            )
            == []
        )
    assert Reminder.objects.count() == 1
    # The week after, the next visit.
    following_week = mails(
        lambda: following.reminders_send(now=at(FIRST_TUESDAY + timedelta(days=5)))
    )
    assert len(following_week) == 1


def test_the_database_holds_one_reminder_per_visit_and_date(bus: Any) -> None:
    follower = Follower.objects.create(
        agency=bus.agency, stop=bus.stop, email=EMAIL, confirmed_at=timezone.now()
    )
    Reminder.objects.create(follower=follower, visit=bus.visit, date=FIRST_TUESDAY)
    with pytest.raises(IntegrityError):
        Reminder.objects.create(follower=follower, visit=bus.visit, date=FIRST_TUESDAY)


def test_no_reminder_for_a_cancelled_visit(bus: Any, reader: Any, mails: Any) -> None:
    followed(reader, bus, mails)
    services.visit_cancel(
        actor=bus.consultant, agency=bus.agency, visit=bus.visit, day=FIRST_TUESDAY, reason=""
    )
    assert mails(lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=2)))) == []


def test_a_cancellation_is_mailed_at_once_with_its_reason_and_a_one_click_unsubscribe(
    bus: Any, reader: Any, mails: Any
) -> None:
    followed(reader, bus, mails)
    Follower.objects.create(agency=bus.agency, stop=bus.stop, email="venter@example.org")

    sent = mails(
        lambda: services.visit_cancel(
            actor=bus.consultant,
            agency=bus.agency,
            visit=bus.visit,
            day=date(2027, 1, 12),
            reason="Bussen er på verksted",
        )
    )
    assert [m.to for m in sent] == [[EMAIL]]  # not the address never confirmed
    assert "Bussen er på verksted" in sent[0].body
    unsubscribe = link_in(sent[0], "stop/")
    assert sent[0].extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Changing the reason of the same cancellation sends nothing more.
    again = mails(
        lambda: services.visit_cancel(
            actor=bus.consultant,
            agency=bus.agency,
            visit=bus.visit,
            day=date(2027, 1, 12),
            reason="Sjåføren er syk",
        )
    )
    assert again == []

    # The mail program's one-click POST, without a CSRF token.
    response = reader.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follower.objects.filter(email=EMAIL).exists()
    assert mails(lambda: following.reminders_send(now=at(FIRST_TUESDAY - timedelta(days=2)))) == []


def test_unsubscribe_from_the_page_asks_first(bus: Any, reader: Any, mails: Any) -> None:
    follower = followed(reader, bus, mails)
    url = f"/mobile-library/follow/{follower.token}/stop/"
    assert "Stop following" in reader.get(url).content.decode()
    assert Follower.objects.filter(pk=follower.pk).exists()
    response = reader.post(url)
    assert response.status_code == 302
    assert "no longer follow" in reader.get(response["Location"]).content.decode()
    assert not Follower.objects.exists()
    assert reader.get(url).status_code == 404


def test_asking_again_sends_no_second_mail_and_says_the_same(
    bus: Any, reader: Any, mails: Any
) -> None:
    first, sent = ask(reader, bus, mails)
    assert len(sent) == 1
    again, sent_again = ask(reader, bus, mails, email=EMAIL.upper())
    assert sent_again == []  # a confirmation went out minutes ago
    assert again["Location"] == first["Location"]
    assert Follower.objects.count() == 1


def test_the_address_is_rate_limited(bus: Any, reader: Any, mails: Any, settings: Any) -> None:
    settings.MAIL_RATE_PER_ADDRESS = "1/3600"
    ask(reader, bus, mails)
    response, sent = ask(reader, bus, mails)
    assert response.status_code == 200
    assert sent == []
    assert "too many e-mails" in response.content.decode()


def test_an_address_never_confirmed_is_deleted_after_a_week(
    bus: Any, reader: Any, mails: Any
) -> None:
    _response, sent = ask(reader, bus, mails)
    link = confirm_link(sent[0])
    Follower.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert reader.get(link).status_code == 404
    periodic_run(now=timezone.now())
    assert not Follower.objects.exists()


def test_the_follower_is_in_the_data_export_and_gone_with_the_account(
    bus: Any, reader: Any, mails: Any
) -> None:
    followed(reader, bus, mails)
    data = personal_data()["mobile_followers"]
    exported = data.export([EMAIL.upper()])
    assert exported[0]["stop"] == str(bus.stop)
    assert exported[0]["email"] == EMAIL
    data.erase([EMAIL])
    assert not Follower.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
)
def test_parallel_runs_of_the_periodic_work_send_one_reminder(transactional_db: Any) -> None:
    from bokbro.conftest import make_world
    from bokbro.events.tests.test_concurrency import run_parallel

    world = make_world()
    bus = make_vehicle(world)
    route = make_route(world, bus)
    stop = make_stop(world, "Torvet")
    make_visit(world, route, stop, rule="FREQ=WEEKLY", starts_on=FIRST_TUESDAY, ends_on=None)
    for n in range(5):
        Follower.objects.create(
            agency=world.agency,
            stop=stop,
            email=f"leser{n}@example.org",
            confirmed_at=timezone.now(),
        )
    mail.outbox.clear()
    now = at(FIRST_TUESDAY - timedelta(days=2))
    jobs = [functools.partial(following.reminders_send, now=now) for _ in range(8)]
    results = run_parallel(jobs, workers=8)
    assert all(isinstance(r, int) for r in results), results
    assert Reminder.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"leser{n}@example.org" for n in range(5))


def test_a_stop_without_visits_soon_gets_no_mail(bus: Any) -> None:
    Follower.objects.create(
        agency=bus.agency, stop=bus.stop, email=EMAIL, confirmed_at=timezone.now()
    )
    assert following.due_reminders(now=at(date(2027, 7, 1))) == []
    assert following.due_reminders(now=at(FIRST_TUESDAY - timedelta(days=1)))[0].arrival == time(
        10, 50
    )
