"""The sending worker: claims delivery rows in batches, sends each batch over one SMTP connection,
and marks every row the moment the server has accepted it.

- At least once: a row is `sent` only after the mail server said 250. A worker that dies
  (SIGKILL, power) leaves its batch claimed; after `NEWSLETTER_CLAIM_TIMEOUT` seconds another
  worker takes the claim over and sends what is not marked sent.
- At most once: a row marked sent is never claimed again, and a claim is one conditional
  UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock serialises it), so two
  workers never hold the same row. The one message a killed worker had in flight when the
  server accepted it but before the row was marked can go out twice; it keeps its Message-ID.
- Temporary failures (4xx, a dropped connection) are retried with exponential backoff;
  permanent ones (5xx) and rows out of attempts are recorded as failed with the reason.
- A rate per minute throttles each worker (0: as fast as the server takes them).
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formatdate

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from bokbro.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus
from bokbro.newsletter.rendering import IssueRenderer
from bokbro.newsletter.services import issue_start

log = logging.getLogger(__name__)

DOT_AT_LINE_START = re.compile(rb"(?m)^\.")
# One statement per accepted message, run thousands of times a minute: plain SQL.
# (The table name comes from the model; the values are parameters.)
MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, "  # noqa: S608
    "attempts = attempts + 1, claimed_at = NULL, claimed_by = '', error = '' WHERE id = %s"
)
RETRY_BASE_SECONDS = 60
MAX_ATTEMPTS = 5


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class Counts:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    issues_started: int = 0
    issues_finished: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "newsletter_sent": self.sent,
            "newsletter_failed": self.failed,
            "newsletter_retried": self.retried,
            "newsletter_issues_started": self.issues_started,
            "newsletter_issues_finished": self.issues_finished,
        }


class Throttle:
    """At most `per_minute` messages a minute, spaced evenly (0: no limit)."""

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def issues_start_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    started = 0
    due = Issue.objects.filter(status=IssueStatus.SCHEDULED, scheduled_at__lte=now)
    for issue in due.order_by("scheduled_at"):
        started += issue_start(issue=issue, now=now)
    return started


def claimable(*, now: datetime, issue_id: int | None = None):
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    rows = Delivery.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=DeliveryStatus.PENDING,
        issue__status=IssueStatus.SENDING,
    )
    return rows.filter(issue_id=issue_id) if issue_id else rows


def deliveries_claim(
    *, worker: str, limit: int, issue_id: int | None = None, now: datetime | None = None
) -> list[int]:
    """Claim up to `limit` rows for this worker: unclaimed ones, or ones whose claim is stale."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            claimable(now=now, issue_id=issue_id)
            .order_by("issue_id", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(claimed_at=now, claimed_by=worker)
    return ids


def _permanent(error: Exception) -> bool:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _m in error.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return code is not None and 500 <= int(code) < 600


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in error.recipients.values()
        )
    code = getattr(error, "smtp_code", None)
    message = getattr(error, "smtp_error", None)
    if code is not None:
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{code} {text}"
    return f"{type(error).__name__}: {error}"[:500]


def _failed(delivery: Delivery, error: Exception, counts: Counts) -> None:
    attempts = delivery.attempts + 1
    reason = _reason(error)
    if _permanent(error) or attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            sent_at=None,
            attempts=attempts,
            error=reason,
            claimed_at=None,
            claimed_by="",
        )
        counts.failed += 1
    else:
        delay = RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            sent_at=None,
            attempts=attempts,
            error=reason,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            claimed_at=None,
            claimed_by="",
        )
        counts.retried += 1


class InDoubt(Exception):
    """The connection broke after the message's last byte went out: the server may have it."""


class Marker:
    """Marks a row sent, in two steps around the end of the message (see `Mailer.send`).

    On PostgreSQL the UPDATE (autocommit) is written to the connection in `begin` and its
    answer read in `confirm`, so the round trip overlaps sending the message body. Other
    databases run it in `confirm`."""

    def __init__(self) -> None:
        self.pgconn = None
        self.waiting = False
        self.pk: int | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            connection.ensure_connection()
            self.pgconn = connection.connection.pgconn
            self.sql = MARK_SENT.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3")

    def begin(self, pk: int) -> None:
        self.pk = pk
        if self.pgconn is not None:
            self.pgconn.send_query_params(
                self.sql.encode(),
                [
                    DeliveryStatus.SENT.encode(),
                    timezone.now().isoformat().encode(),
                    str(pk).encode(),
                ],
            )
            self.waiting = True

    def confirm(self) -> None:
        if self.pgconn is None:
            with connection.cursor() as cursor:
                cursor.execute(MARK_SENT, [DeliveryStatus.SENT, timezone.now(), self.pk])
            return
        self.collect()

    def collect(self) -> None:
        """Read the answer of a mark written earlier (before any other query)."""
        if not self.waiting:
            return
        self.waiting = False
        from psycopg import pq

        error = None
        while (result := self.pgconn.get_result()) is not None:
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = (result.error_message or b"").decode(errors="replace")
        if error:
            raise DatabaseError(error)


class Mailer:
    """One SMTP connection (Django's backend: host, TLS, login from settings), kept open across
    batches. Other backends (console, the tests' outbox) get Django message objects."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.is_smtp = hasattr(self.backend, "connection")
        self.broken = False

    def reset(self) -> None:
        if self.is_smtp:
            try:
                self.backend.close()
            except (OSError, smtplib.SMTPException):
                self.backend.connection = None

    def lost(self) -> None:
        self.broken = True
        self.reset()

    def send(
        self,
        renderer: IssueRenderer,
        delivery: Delivery,
        date: str,
        marker: Marker,
        raw: bytes | None = None,
    ) -> None:
        """Send one message; the row is marked sent before the message's final line.

        The server takes responsibility for a message when it receives the line with the
        single dot that ends it. The row is marked (and the mark committed) just before that
        line goes out, so a worker killed at any moment either has not finished the message
        (the server drops it; the row is unmarked and sent again) or has marked it. Only a
        kill in the instant between the commit and writing the last five bytes would lose a
        message, instead of sending it twice."""
        if not self.is_smtp:
            message = renderer.message_for(
                email=delivery.email,
                name=delivery.name,
                language=delivery.language,
                delivery_id=delivery.pk,
                connection=self.backend,
            )
            self.backend.send_messages([message])
            marker.begin(delivery.pk)
            marker.confirm()
            return
        if raw is None:
            raw = renderer.raw_for(
                email=delivery.email,
                name=delivery.name,
                language=delivery.language,
                delivery_id=delivery.pk,
                date=date,
            )
        if self.backend.connection is None:
            self.backend.open()
            # The message's last line is a small write right after the body: without this,
            # Nagle's algorithm holds it until the server's delayed ACK (40 ms a message).
            sock = getattr(self.backend.connection, "sock", None)
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp = self.backend.connection
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(renderer.envelope_from)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, answer, renderer.envelope_from)
        code, answer = smtp.rcpt(delivery.email)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({delivery.email: (code, answer)})
        smtp.putcmd("data")
        code, answer = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, answer)
        body = DOT_AT_LINE_START.sub(b"..", raw)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        marker.begin(delivery.pk)
        smtp.send(body)
        marker.confirm()
        try:
            smtp.send(b".\r\n")
            code, answer = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise InDoubt(str(error)) from error
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)


def _connection_lost(delivery: Delivery, error: Exception, counts: Counts, mailer: Mailer) -> None:
    """The connection is gone (or never came): this row is retried later, the rest of the
    batch is released for the next round."""
    _failed(delivery, error, counts)
    counts.errors.append(_reason(error))
    mailer.lost()


def batch_send(
    *,
    ids: list[int],
    worker: str,
    throttle: Throttle,
    renderers: dict[int, IssueRenderer],
    counts: Counts,
    mailer: Mailer,
) -> None:
    """Send claimed rows, marking each as sent as soon as the server has accepted it."""
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING, claimed_by=worker)
        .select_related("issue", "issue__agency", "issue__mailing_list")
        .order_by("pk")
    )
    date = formatdate(localtime=True)
    marker = Marker()
    for delivery in deliveries:
        renderer = renderers.get(delivery.issue_id)
        if renderer is None:
            renderer = renderers[delivery.issue_id] = IssueRenderer(delivery.issue)
        renderer.rendered(delivery.language or renderer.agency.language)
    # The messages are built in a second thread while this one waits for the SMTP server and
    # the database (the templates were rendered above: building needs no database).
    with ThreadPoolExecutor(max_workers=1) as builder:
        raws = [
            builder.submit(
                renderers[d.issue_id].raw_for,
                email=d.email,
                name=d.name,
                language=d.language,
                delivery_id=d.pk,
                date=date,
            )
            if mailer.is_smtp
            else None
            for d in deliveries
        ]
        _send_each(deliveries, raws, renderers, date, marker, throttle, counts, mailer)
    # Rows not reached (the connection broke) are released for the next round.
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING, claimed_by=worker).update(
        claimed_at=None, claimed_by=""
    )


def _send_each(
    deliveries: list[Delivery],
    raws: list[Future | None],
    renderers: dict[int, IssueRenderer],
    date: str,
    marker: Marker,
    throttle: Throttle,
    counts: Counts,
    mailer: Mailer,
) -> None:
    for delivery, raw in zip(deliveries, raws, strict=True):
        renderer = renderers[delivery.issue_id]
        throttle.wait()
        try:
            mailer.send(renderer, delivery, date, marker, raw.result() if raw else None)
        except InDoubt as error:
            # Marked sent, and the server may have it: not sent again (no duplicate), but
            # shown to staff with the reason.
            marker.collect()
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED,
                claimed_at=None,
                claimed_by="",
                error=f"In doubt: the connection broke as the message ended ({error}).",
            )
            counts.failed += 1
            mailer.lost()
            break
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
            marker.collect()
            _connection_lost(delivery, error, counts, mailer)
            break
        except smtplib.SMTPException as error:  # the server refused this message
            marker.collect()
            _failed(delivery, error, counts)
            continue
        except OSError as error:  # (SMTPException is an OSError too: keep this one last)
            marker.collect()
            _connection_lost(delivery, error, counts, mailer)
            break
        except BaseException:
            marker.collect()
            raise
        counts.sent += 1


@contextmanager
def fast_commits():
    """On PostgreSQL, a row's "sent" mark need not wait for the disk: a killed worker loses
    nothing the server has acknowledged; only a crash of the database server itself could lose
    the last instant of marks (and resend those messages)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def issues_finish() -> int:
    """Issues with no row left waiting are sent."""
    finished = 0
    for issue in Issue.objects.filter(status=IssueStatus.SENDING):
        if not issue.deliveries.filter(status=DeliveryStatus.PENDING).exists():
            finished += Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
                status=IssueStatus.SENT, finished_at=timezone.now()
            )
    return finished


def send_pending(
    *,
    worker: str | None = None,
    issue_id: int | None = None,
    batch_size: int | None = None,
    rate_per_minute: int | None = None,
    max_seconds: float | None = None,
) -> Counts:
    """Start scheduled issues that are due, then send until nothing is claimable (or time is up)."""
    worker = worker or worker_name()
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    rate = settings.NEWSLETTER_RATE_PER_MINUTE if rate_per_minute is None else rate_per_minute
    throttle = Throttle(rate)
    if rate > 0:
        # A batch must be done well within the claim timeout, or another worker would take
        # over rows this one is still sending: at most half the timeout at this rate.
        batch_size = max(1, min(batch_size, rate * settings.NEWSLETTER_CLAIM_TIMEOUT // 120))
    counts = Counts()
    counts.issues_started = issues_start_due()
    renderers: dict[int, IssueRenderer] = {}
    mailer = Mailer()
    started = time.monotonic()
    try:
        with fast_commits():
            while max_seconds is None or time.monotonic() - started < max_seconds:
                ids = deliveries_claim(worker=worker, limit=batch_size, issue_id=issue_id)
                if not ids:
                    break
                batch_send(
                    ids=ids,
                    worker=worker,
                    throttle=throttle,
                    renderers=renderers,
                    counts=counts,
                    mailer=mailer,
                )
                if mailer.broken:
                    break  # the server went away: try again on the next run
    finally:
        mailer.reset()
    counts.issues_finished = issues_finish()
    return counts


def issues_needing_a_worker(*, now: datetime | None = None) -> list[int]:
    """Issues being sent with claimable rows and no live claim: nobody is working on them
    (a worker died, or retries came due)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    ids = set(claimable(now=now).values_list("issue_id", flat=True).distinct())
    live = set(
        Delivery.objects.filter(
            issue_id__in=ids, status=DeliveryStatus.PENDING, claimed_at__gte=stale
        )
        .values_list("issue_id", flat=True)
        .distinct()
    )
    return sorted(ids - live)
