"""The sending worker: claims delivery rows in batches, sends each batch over one SMTP connection,
and marks every row the moment the server has accepted it.

- At least once: a row is `sent` only after the mail server said 250. A worker that dies
  (SIGKILL, power) leaves its batch claimed; after `NEWSLETTER_CLAIM_TIMEOUT` seconds another
  worker takes the claim over and sends what is not marked sent.
- At most once: a row marked sent is never claimed again, and a claim is one conditional
  UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock serialises it), so two
  workers never hold the same row. The row's mark (a durable commit) is written to the
  database just before the line that ends the message, so a killed worker leaves no message
  that went out unmarked, and a crash of the database server costs no duplicate while the
  worker lives (see `Mailer.send`, `Marker.collect`).
- Temporary failures (4xx, a dropped connection) are retried with exponential backoff;
  permanent ones (5xx) and rows out of attempts are recorded as failed with the reason.
- A rate per minute throttles each worker (0: as fast as the server takes them).
"""

from __future__ import annotations

import logging
import os
import queue
import re
import select
import signal
import smtplib
import socket
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formatdate
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from bokbro.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus
from bokbro.newsletter.relays import Relay
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
CLAIM = (
    f"UPDATE {Delivery._meta.db_table} SET claimed_at = %s, claimed_by = %s "  # noqa: S608
    "WHERE id IN ({ids}) RETURNING id, issue_id, email, name, language, attempts"
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

    def add(self, other: Counts) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retried += other.retried
        self.errors += other.errors

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

    def __init__(self, per_minute: float) -> None:
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


class Claimed(NamedTuple):
    """A claimed delivery row: what sending one message needs, without a model instance."""

    pk: int
    issue_id: int
    email: str
    name: str
    language: str
    attempts: int


def rows_claim(
    *,
    worker: str,
    limit: int,
    issue_id: int | None = None,
    now: datetime | None = None,
    skip_issues: set[int] | frozenset[int] = frozenset(),
) -> list[Claimed]:
    """Claim up to `limit` rows for this worker: unclaimed ones, or ones whose claim is stale.

    One short transaction: the rows are chosen with `FOR UPDATE SKIP LOCKED` (PostgreSQL; on
    SQLite the write lock serialises claims), and the UPDATE returns what sending needs."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            claimable(now=now, issue_id=issue_id)
            .exclude(issue_id__in=skip_issues)
            .order_by("issue_id", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                CLAIM.replace("{ids}", ", ".join(["%s"] * len(ids))), [now, worker, *ids]
            )
            rows = [Claimed(*row) for row in cursor.fetchall()]
    return sorted(rows, key=lambda row: (row.issue_id, row.pk))


def deliveries_claim(
    *, worker: str, limit: int, issue_id: int | None = None, now: datetime | None = None
) -> list[int]:
    """The ids of the rows `rows_claim` claimed."""
    return [row.pk for row in rows_claim(worker=worker, limit=limit, issue_id=issue_id, now=now)]


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


def _failed(delivery: Claimed, error: Exception, counts: Counts) -> None:
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
    """Marks a row sent (see `Mailer.send` for when).

    On PostgreSQL the UPDATE (autocommit, a durable commit) is written to the database in
    `begin`, right before the message's last line goes to the mail server, and its answer is
    read in `collect`, after the server's: the commit's flush to disk overlaps the server's
    work. Other databases (SQLite) run it in `confirm`, before the last line."""

    def __init__(self) -> None:
        self.pgconn = None
        self.waiting = False
        self.pk: int | None = None
        self.pipelined = connection.vendor == "postgresql" and not connection.in_atomic_block
        if self.pipelined:
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
            while self.pgconn.flush():  # (a non-blocking connection may keep some back)
                select.select([], [self.pgconn.socket], [])

    def confirm(self) -> None:
        if self.pgconn is None:
            with connection.cursor() as cursor:
                cursor.execute(MARK_SENT, [DeliveryStatus.SENT, timezone.now(), self.pk])
            return
        self.collect()

    def collect(self) -> None:
        """Read the answer of a mark written earlier (before any other query).

        If the database went away (a crash of PostgreSQL) the mark may be lost although the
        message went out: it is written again once the database is back, so the message is
        not sent twice. Only if this worker dies too before that can it be."""
        if not self.waiting:
            return
        self.waiting = False
        try:
            self._read()
        except Exception as error:
            self._mark_again(error)

    def _read(self) -> None:
        """Waits in `select`, never in libpq's blocking `get_result`."""
        from psycopg import pq

        pgconn = self.pgconn
        error = None
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [], 5)
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = (result.error_message or b"").decode(errors="replace")
        if error:
            raise DatabaseError(error)

    def _mark_again(self, error: Exception) -> None:
        # Within half the claim timeout, before another worker could take the row over.
        deadline = time.monotonic() + settings.NEWSLETTER_CLAIM_TIMEOUT / 2
        delay = 0.5
        while True:
            log.warning("Marking delivery %s sent failed (%s); trying again", self.pk, error)
            time.sleep(delay)
            try:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute(MARK_SENT, [DeliveryStatus.SENT, timezone.now(), self.pk])
                self.pgconn = connection.connection.pgconn
                return
            except Exception as again:
                if time.monotonic() + delay > deadline:
                    raise DatabaseError(f"Could not mark delivery {self.pk} sent") from again
                error, delay = again, min(delay * 2, 10)


class Mailer:
    """One SMTP connection to one relay (the agency's, or the install's `EMAIL_*` one), kept
    open across batches. Other backends (console, the tests' outbox) get Django message
    objects."""

    def __init__(self, relay: Relay | None = None) -> None:
        self.relay = relay
        self.backend = relay.backend() if relay else get_connection(fail_silently=False)
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
        delivery: Claimed,
        date: str,
        marker: Marker,
    ) -> None:
        """Send one message, marking its row sent as its last line goes out.

        The server takes responsibility for a message when it receives the line with the
        single dot that ends it. On PostgreSQL the row's mark (an autocommit UPDATE, durably
        committed) is written to the database just before that line is written to the mail
        server, with nothing that waits in between, and both answers are read afterwards. A
        worker killed at any moment has therefore either not finished the message (the server
        drops it; the row is unmarked and sent again) or has sent the mark with it: the
        database commits a statement it has received even if the client dies. (On SQLite the
        mark is committed just before the last line.) A crash of the database server while
        the commit is being flushed could lose the mark of the message in flight: the worker
        writes it again when the database is back (`Marker.collect`)."""
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
        # MAIL and RCPT written directly for plain addresses (smtplib's `mail()` and `rcpt()`
        # parse each address again with the `email` package: a tenth of the worker's time).
        sender = renderer.envelope_from
        if sender.isascii() and delivery.email.isascii() and "<" not in delivery.email:
            smtp.putcmd("mail", f"FROM:<{sender}>")
            code, answer = smtp.getreply()
            if code == 250:
                smtp.putcmd("rcpt", f"TO:<{delivery.email}>")
                rcpt_code, rcpt_answer = smtp.getreply()
        else:
            code, answer = smtp.mail(sender)
            if code == 250:
                rcpt_code, rcpt_answer = smtp.rcpt(delivery.email)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        if rcpt_code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({delivery.email: (rcpt_code, rcpt_answer)})
        smtp.putcmd("data")
        code, answer = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, answer)
        body = DOT_AT_LINE_START.sub(b"..", raw)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        marker.begin(delivery.pk)
        if not marker.pipelined:
            marker.confirm()
        # PostgreSQL: the mark went to the database just now, and the last line follows at
        # once; the commit is flushed while the server takes the message, and both answers
        # are awaited after.
        try:
            smtp.send(b".\r\n")
            code, answer = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise InDoubt(str(error)) from error
        marker.collect()
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)


class Mailers:
    """A `Mailer` per relay in use, each opened on first use and kept for the worker's run."""

    def __init__(self) -> None:
        self.by_relay: dict[Relay | None, Mailer] = {}

    def for_renderer(self, renderer: IssueRenderer) -> Mailer:
        if renderer.relay not in self.by_relay:
            self.by_relay[renderer.relay] = Mailer(renderer.relay)
        return self.by_relay[renderer.relay]

    def broken_issues(self, renderers: dict[int, IssueRenderer]) -> set[int]:
        """Issues whose relay went away in this run: left for the next run (other agencies'
        issues, on other relays, go on)."""
        broken = {relay for relay, mailer in self.by_relay.items() if mailer.broken}
        return {pk for pk, renderer in renderers.items() if renderer.relay in broken}

    def reset(self) -> None:
        for mailer in self.by_relay.values():
            mailer.reset()


def _connection_lost(delivery: Claimed, error: Exception, counts: Counts, mailer: Mailer) -> None:
    """The connection is gone (or never came): this row is retried later, the rest of the
    batch is released for the next round."""
    _failed(delivery, error, counts)
    counts.errors.append(_reason(error))
    mailer.lost()


def renderer_for(renderers: dict[int, IssueRenderer], issue_id: int) -> IssueRenderer:
    if issue_id not in renderers:
        issue = Issue.objects.select_related("agency", "mailing_list").get(pk=issue_id)
        renderers[issue_id] = IssueRenderer(issue)
    return renderers[issue_id]


def batch_send(
    *,
    rows: list[Claimed],
    worker: str,
    throttle: Throttle,
    renderers: dict[int, IssueRenderer],
    counts: Counts,
    mailers: Mailers,
) -> None:
    """Send claimed rows, marking each as sent just before the server accepts it."""
    date = formatdate(localtime=True)
    marker = Marker()
    for row in rows:
        renderer_for(renderers, row.issue_id).rendered(
            row.language or renderers[row.issue_id].agency.language
        )
    reached = _send_each(rows, renderers, date, marker, throttle, counts, mailers)
    if reached < len(rows):
        # Rows not reached (a connection broke) are released for the next round.
        Delivery.objects.filter(
            pk__in=[row.pk for row in rows[reached:]],
            status=DeliveryStatus.PENDING,
            claimed_by=worker,
        ).update(claimed_at=None, claimed_by="")


def _send_each(
    rows: list[Claimed],
    renderers: dict[int, IssueRenderer],
    date: str,
    marker: Marker,
    throttle: Throttle,
    counts: Counts,
    mailers: Mailers,
) -> int:
    """Send the rows in order; returns how many were dealt with (the rest are released)."""
    for done, delivery in enumerate(rows):
        renderer = renderers[delivery.issue_id]
        mailer = mailers.for_renderer(renderer)
        throttle.wait()
        try:
            mailer.send(renderer, delivery, date, marker)
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
            return done + 1
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
            marker.collect()
            _connection_lost(delivery, error, counts, mailer)
            return done + 1
        except smtplib.SMTPException as error:  # the server refused this message
            marker.collect()
            _failed(delivery, error, counts)
            continue
        except OSError as error:  # (SMTPException is an OSError too: keep this one last)
            marker.collect()
            _connection_lost(delivery, error, counts, mailer)
            return done + 1
        except BaseException:
            marker.collect()
            raise
        counts.sent += 1
    return len(rows)


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
    connections: int | None = None,
) -> Counts:
    """Start scheduled issues that are due, then send until nothing is claimable (or time is up).

    On PostgreSQL the worker sends over `NEWSLETTER_CONNECTIONS` SMTP connections at once, a
    process each (forked, with its own database connection). Each message waits for its row's
    durable commit before its last line (see `Mailer.send`); PostgreSQL writes the commits of
    the processes waiting together with one flush to disk, so the flush no longer sets the
    pace. Processes, not threads: between the commit and the last line a thread could wait
    milliseconds for Python's interpreter lock, and a kill in that wait would lose the
    message. The processes die with their parent (Linux), so a killed worker is one unit.
    (SQLite has one writer at a time, and inside a transaction, as in tests, other
    connections could not see the rows: one process.)"""
    worker = worker or worker_name()
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    rate = settings.NEWSLETTER_RATE_PER_MINUTE if rate_per_minute is None else rate_per_minute
    if rate > 0:
        # A batch must be done well within the claim timeout, or another worker would take
        # over rows this one is still sending: at most half the timeout at this rate.
        batch_size = max(1, min(batch_size, rate * settings.NEWSLETTER_CLAIM_TIMEOUT // 120))
    counts = Counts()
    counts.issues_started = issues_start_due()
    processes = max(1, connections or settings.NEWSLETTER_CONNECTIONS)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        processes = 1
    if rate > 0:
        processes = min(processes, rate)
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    options = {
        "issue_id": issue_id,
        "batch_size": batch_size,
        # The rate is the worker's: each process gets its share.
        "rate": rate / processes,
        "max_seconds": max_seconds,
    }
    if processes == 1:
        del options["max_seconds"]
        counts.add(_send_loop(worker=worker, **options, deadline=deadline))
    else:
        for child in _in_processes(worker, processes, options):
            counts.add(child)
    counts.issues_finished = issues_finish()
    return counts


def _in_processes(worker: str, processes: int, options: dict[str, Any]) -> list[Counts]:
    import multiprocessing

    from django.db import connections

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()  # each child opens its own
    children = [
        context.Process(target=_child, args=(results, f"{worker}-{n}", options), daemon=True)
        for n in range(processes)
    ]
    for child in children:
        child.start()
    answers: list[Any] = []
    while len(answers) < processes:
        try:
            answers.append(results.get(timeout=1))
        except queue.Empty:
            if not any(child.is_alive() for child in children) and results.empty():
                break
    for child in children:
        child.join()
    failures = [answer for answer in answers if isinstance(answer, str)]
    if len(answers) < processes:
        failures.append(f"{processes - len(answers)} died")
    if failures:
        raise RuntimeError("A newsletter sending process failed: " + "; ".join(failures))
    return answers


def _child(results: Any, worker: str, options: dict[str, Any]) -> None:
    """A sending process: dies with its parent, sends, reports its counts."""
    _die_with_parent()
    try:
        max_seconds = options.pop("max_seconds")
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        results.put(_send_loop(worker=worker, deadline=deadline, **options))
    except BaseException as error:
        results.put(f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before we got here
        os._exit(1)


def _send_loop(
    *,
    worker: str,
    issue_id: int | None,
    batch_size: int,
    rate: float,
    deadline: float | None,
) -> Counts:
    """Claim a batch, send it, until nothing is claimable (or the deadline has passed)."""
    throttle = Throttle(rate)
    counts = Counts()
    renderers: dict[int, IssueRenderer] = {}
    mailers = Mailers()
    skip_issues: set[int] = set()
    try:
        while deadline is None or time.monotonic() < deadline:
            rows = rows_claim(
                worker=worker, limit=batch_size, issue_id=issue_id, skip_issues=skip_issues
            )
            if not rows:
                break
            batch_send(
                rows=rows,
                worker=worker,
                throttle=throttle,
                renderers=renderers,
                counts=counts,
                mailers=mailers,
            )
            # A relay that went away is tried again on the next run.
            skip_issues |= mailers.broken_issues(renderers)
    finally:
        mailers.reset()
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
