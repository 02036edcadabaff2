"""Each agency's newsletter goes out through its own SMTP relay (BOKBRO_SMTP_<SLUG>), others
through the install's; a malformed relay stops `manage.py check` with a clear message."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bokbro.core.tests.test_emails import free_port
from bokbro.newsletter import sending
from bokbro.newsletter.models import DeliveryStatus, IssueStatus
from bokbro.newsletter.relays import relay_parse, variable_for
from bokbro.newsletter.services import recipients
from bokbro.newsletter.tests.conftest import Sink
from bokbro.newsletter.tests.helpers import make_issue, make_list, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay_sinks():
    """Two more SMTP servers on 127.0.0.1: the relays of two agencies."""
    started = []
    for _n in range(2):
        sink = Sink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        sink.port = port  # type: ignore[attr-defined]
        started.append((sink, controller))
    try:
        yield [sink for sink, _controller in started]
    finally:
        for _sink, controller in started:
            controller.stop()


def issue_to(agency, *emails, **list_fields):
    newsletter = make_list(agency, **list_fields)
    for email in emails:
        make_subscriber(newsletter, email)
    issue = make_issue(newsletter, f"Nytt fra {agency.name}")
    recipients.issue_start(issue=issue)
    return issue


def test_each_agency_sends_through_its_own_relay_and_the_others_through_the_installs(
    world, smtp_sink, relay_sinks, settings
):
    from bokbro.directory.models import Agency

    sink_a, sink_b = relay_sinks
    third = Agency.objects.create(slug="vestland-fylke", name="Vestland", country="NO")
    settings.NEWSLETTER_SMTP_RELAYS = {
        variable_for(world.agency.slug): f"smtp://127.0.0.1:{sink_a.port}"
        "?from=nyhetsbrev@ostfold.example",
        variable_for(third.slug): f"smtp://127.0.0.1:{sink_b.port}",
    }
    ostfold = issue_to(world.agency, "a1@example.org", "a2@example.org")
    vestland = issue_to(
        third, "b1@example.org", from_email="post@vestland.example", from_name="Vestland nytt"
    )
    jonkoping = issue_to(world.other_agency, "c1@example.org")

    counts = sending.send_pending()

    assert counts.sent == 4
    assert sorted(sink_a.recipients()) == ["a1@example.org", "a2@example.org"]
    assert sink_b.recipients() == ["b1@example.org"]
    assert smtp_sink.recipients() == ["c1@example.org"]  # no relay of its own: the install's
    envelope_from, _to, message = sink_a.messages[0]
    assert envelope_from == "nyhetsbrev@ostfold.example"
    assert message["From"] == "Bibliotekutvikling Østfold <nyhetsbrev@ostfold.example>"
    assert message["Subject"] == "Nytt fra Bibliotekutvikling Østfold"
    # The list's own sender wins over the relay's and the install's.
    envelope_from, _to, message = sink_b.messages[0]
    assert envelope_from == "post@vestland.example"
    assert message["From"] == "Vestland nytt <post@vestland.example>"
    for issue in (ostfold, vestland, jonkoping):
        issue.refresh_from_db()
        assert issue.status == IssueStatus.SENT


def test_an_agency_relay_that_is_down_does_not_hold_up_the_other_agencies(
    world, smtp_sink, settings
):
    settings.NEWSLETTER_SMTP_RELAYS = {
        variable_for(world.agency.slug): f"smtp://127.0.0.1:{free_port()}?timeout=2"
    }
    ostfold = issue_to(world.agency, "a1@example.org", "a2@example.org")
    jonkoping = issue_to(world.other_agency, "c1@example.org", "c2@example.org")

    counts = sending.send_pending()

    assert sorted(smtp_sink.recipients()) == ["c1@example.org", "c2@example.org"]
    assert counts.sent == 2 and counts.retried == 1
    jonkoping.refresh_from_db()
    assert jonkoping.status == IssueStatus.SENT
    retried = ostfold.deliveries.get(attempts=1)
    assert "ConnectionRefused" in retried.error
    assert set(ostfold.deliveries.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert not ostfold.deliveries.filter(claimed_at__isnull=False).exists()


def test_relay_urls_give_host_port_encryption_and_login():
    relay = relay_parse(
        "BOKBRO_SMTP_OSTFOLD",
        "smtp+starttls://nyhetsbrev%40ostfold.no:p%C3%A5ss%3Aord@smtp.ostfold.no?from=a@ostfold.no",
    )
    assert (relay.host, relay.port, relay.use_tls, relay.use_ssl) == (
        "smtp.ostfold.no",
        587,
        True,
        False,
    )
    assert (relay.username, relay.password) == ("nyhetsbrev@ostfold.no", "påss:ord")
    assert relay.from_email == "a@ostfold.no"
    assert "påss" not in repr(relay)
    ssl = relay_parse("BOKBRO_SMTP_X", "smtps://mail.example.org")
    assert (ssl.port, ssl.use_tls, ssl.use_ssl) == (465, False, True)
    assert relay_parse("BOKBRO_SMTP_X", "smtp://mail.example.org:2525").port == 2525


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://user:hemmelig@mail.example.org", "must start with one of"),
        ("smtp+starttls://user:hemmelig@:587", "no host name"),
        ("smtp://user:hemmelig@mail.example.org:99999", "not a relay URL"),
        ("smtp://mail.example.org?from=nobody", "not an e-mail address"),
        ("smtp://mail.example.org?sender=a@b.example", "unknown parameter"),
    ],
)
def test_a_malformed_relay_stops_check_with_a_clear_message(settings, url, problem):
    settings.NEWSLETTER_SMTP_RELAYS = {"BOKBRO_SMTP_OSTFOLD": url}

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    message = str(raised.value)
    assert "newsletter.E001" in message
    assert "BOKBRO_SMTP_OSTFOLD" in message and problem in message
    assert "hemmelig" not in message


def test_a_relay_for_no_agency_is_reported_by_the_database_check(world, settings, capsys):
    settings.NEWSLETTER_SMTP_RELAYS = {
        "BOKBRO_SMTP_OSTFOLD": "smtp://mail.example.org",
        "BOKBRO_SMTP_OSTFLOD": "smtp://mail.example.org",
    }

    call_command("check", databases=["default"])

    output = capsys.readouterr().err
    assert "newsletter.W002" in output and "BOKBRO_SMTP_OSTFLOD" in output
    assert "BOKBRO_SMTP_OSTFOLD " not in output
