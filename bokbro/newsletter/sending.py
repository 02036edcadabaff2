"""The sending loop: claims delivery rows in batches, hands each message to the agency's relay
(`core.mail.transport`) and marks a row sent once the server has accepted its message.

- At least once: a row is marked `sent` only after the mail server answered 250 to its
  message. A loop that dies (SIGKILL, power) holds its rows by a lease it no longer renews; after
  `NEWSLETTER_LEASE_SECONDS` another loop claims them and sends what is not marked sent.
- Duplicates only in flight: the only messages sent twice are those a loop had handed to the
  server but not yet marked when it died (one per loop), or the one it was sending when its
  connection broke. They carry the same Message-ID (the delivery row's: issue and recipient).
- A claim is one short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock
  serialises it), so two live loops never hold the same row.
- Parallelism comes from running several loops at once: one `issue_send` task per connection
  (`NEWSLETTER_CONNECTIONS`, tasks.py) for as many `bokbro worker` processes as are running.
- Temporary failures (4xx, a lost connection) are retried with exponential backoff; permanent
  ones (5xx) and rows out of attempts are recorded as failed with the reason.
- The rate per minute is shared among an issue's loops (0: as fast as the server takes them).

docs/newsletter.md ("The sending guarantee") states all this for operators.

Size: the sending loop and the guarantee it keeps, read top to bottom in one place.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formatdate
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from bokbro.core.mail.transport import (
    Answer,
    BackendTransport,
    ConnectionLost,
    SmtpServer,
    SmtpTransport,
    Transport,
)
from bokbro.core.periodic import each
from bokbro.newsletter.marks import Marks
from bokbro.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus
from bokbro.newsletter.relays import Relay
from bokbro.newsletter.rendering import IssueRenderer
from bokbro.newsletter.services.recipients import issue_start

log = logging.getLogger(__name__)

# The ORM has no UPDATE … RETURNING: the claim and what sending needs, in one statement.
CLAIM = (
    f"UPDATE {Delivery._meta.db_table} SET claimed_at = %s, claimed_by = %s "  # noqa: S608
    "WHERE id IN ({ids}) RETURNING id, issue_id, email, name, language, attempts"
)
RETRY_BASE_SECONDS = 60
MAX_ATTEMPTS = 5
# A loop renews its lease before a message once this many seconds have passed since the last
# renewal, so a message starts at most this long after one (far inside the lease).
RENEW_EVERY = 1.0
# How long a loop with nothing to claim waits before looking again while other loops still hold
# rows (their holder may be dead: its lease then runs out and this loop takes them).
WAIT_FOR_OTHERS = 0.5


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class Counts:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    issues_started: int = 0
    issues_finished: int = 0

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


class _KillSwitch:
    """Fault injection for the tests of the sending guarantee (tests/test_kill_resume.py): with
    BOKBRO_TEST_KILL_AFTER_ACCEPTED=N in its environment, a process SIGKILLs itself right after
    the server accepted its N-th message, before the row is marked (the weakest point); with
    BOKBRO_TEST_KILL_AFTER_MARKED=N, right after its N-th mark was handed over (on PostgreSQL
    sent to the server, its answer not yet read, and committed there without waiting for the
    disk: the mark must outlive the process). Unset (always, outside those tests) it does
    nothing."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.count = 0

    def reached(self) -> None:
        if not self.after:
            return
        self.count += 1
        if self.count == self.after:
            os.kill(os.getpid(), signal.SIGKILL)


KILL_AFTER_ACCEPTED = _KillSwitch(int(os.environ.get("BOKBRO_TEST_KILL_AFTER_ACCEPTED") or 0))
KILL_AFTER_MARKED = _KillSwitch(int(os.environ.get("BOKBRO_TEST_KILL_AFTER_MARKED") or 0))


def issues_start_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    started: list[int] = []
    due = Issue.objects.filter(status=IssueStatus.SCHEDULED, scheduled_at__lte=now)
    each(
        "newsletter: start scheduled issues",
        due.order_by("scheduled_at"),
        lambda issue: started.append(issue_start(issue=issue, now=now)),
    )
    return sum(started)


def senders_per_issue() -> int:
    """How many loops send one issue at once, each over its own connection: on PostgreSQL
    `NEWSLETTER_CONNECTIONS` (never more than the rate per minute), on SQLite one (one writer
    at a time)."""
    if connection.vendor != "postgresql":
        return 1
    senders = max(1, settings.NEWSLETTER_CONNECTIONS)
    rate = settings.NEWSLETTER_RATE_PER_MINUTE
    return min(senders, rate) if rate > 0 else senders


def lease_start(now: datetime) -> datetime:
    """A lease renewed before this moment has run out."""
    return now - timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)


def claimable(*, now: datetime, issue_id: int | None = None):
    rows = Delivery.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease_start(now)),
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
    """Claim up to `limit` rows for this worker: unclaimed ones, or ones whose lease ran out.

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


def held_by_others(*, worker: str, issue_id: int | None, skip_issues: set[int]) -> bool:
    """Whether another loop holds a live lease on rows this loop could otherwise send."""
    rows = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        issue__status=IssueStatus.SENDING,
        claimed_at__gte=lease_start(timezone.now()),
    ).exclude(Q(claimed_by=worker) | Q(issue_id__in=skip_issues))
    return (rows.filter(issue_id=issue_id) if issue_id else rows).exists()


class Lease:
    """The rows of a batch this loop still holds.

    The lease is `claimed_at`: renewed (set to now) before a message whenever `RENEW_EVERY`
    has passed, so a live loop keeps its rows and a dead loop's rows are claimable again
    `NEWSLETTER_LEASE_SECONDS` after its last renewal. A loop that stalled longer than the
    lease finds on renewing that another took rows over, and leaves them to it."""

    def __init__(self, worker: str, rows: list[Claimed], marks: Marks) -> None:
        self.worker = worker
        self.held = {row.pk for row in rows}
        self.renewed_at = time.monotonic()
        self.marks = marks

    def holds(self, pk: int) -> bool:
        if time.monotonic() - self.renewed_at >= RENEW_EVERY:
            self.renew()
        return pk in self.held

    def renew(self) -> None:
        self.marks.wait()
        mine = Delivery.objects.filter(
            pk__in=self.held, claimed_by=self.worker, status=DeliveryStatus.PENDING
        )
        if mine.update(claimed_at=timezone.now()) != len(self.held):
            self.held &= set(mine.values_list("pk", flat=True))
        self.renewed_at = time.monotonic()

    def done(self, pk: int) -> None:
        self.held.discard(pk)

    def release(self) -> None:
        """Rows not dealt with (their relay broke) are left for the next round at once."""
        self.marks.wait()
        if self.held:
            Delivery.objects.filter(
                pk__in=self.held, claimed_by=self.worker, status=DeliveryStatus.PENDING
            ).update(claimed_at=None, claimed_by="")
            self.held.clear()


def transport_for(relay: Relay | None) -> Transport:
    """The agency's relay, else the install's SMTP server (`EMAIL_*`), else the install's
    mail backend (console, file, the tests' outbox)."""
    if relay is not None:
        return SmtpTransport(relay.server())
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return SmtpTransport(SmtpServer.from_settings())
    return BackendTransport(get_connection(fail_silently=False))


class Transports:
    """A transport per relay in use, each opened on first use and kept for the loop's run.
    A relay whose connection was lost is left alone for the rest of the run (other agencies'
    issues, on other relays, go on)."""

    def __init__(self) -> None:
        self.by_relay: dict[Relay | None, Transport] = {}
        self.broken: set[Relay | None] = set()

    def for_relay(self, relay: Relay | None) -> Transport:
        if relay not in self.by_relay:
            self.by_relay[relay] = transport_for(relay)
        return self.by_relay[relay]

    def lost(self, relay: Relay | None) -> None:
        self.broken.add(relay)

    def broken_issues(self, renderers: dict[int, IssueRenderer]) -> set[int]:
        return {pk for pk, renderer in renderers.items() if renderer.relay in self.broken}

    def close(self) -> None:
        for transport in self.by_relay.values():
            transport.close()


def renderer_for(renderers: dict[int, IssueRenderer], issue_id: int, marks: Marks) -> IssueRenderer:
    if issue_id not in renderers:
        marks.wait()
        issue = Issue.objects.select_related("agency", "mailing_list").get(pk=issue_id)
        renderers[issue_id] = IssueRenderer(issue)
    return renderers[issue_id]


def message_send(
    *, row: Claimed, renderer: IssueRenderer, transport: Transport, date: str
) -> Answer:
    """Build one recipient's message and hand it to the server; the server's answer."""
    message = renderer.raw_for(
        email=row.email,
        name=row.name,
        language=row.language,
        delivery_id=row.pk,
        date=date,
    )
    return transport.send(sender=renderer.envelope_from, recipient=row.email, message=message)


@contextmanager
def asynchronous_commits() -> Iterator[None]:
    """On PostgreSQL, the loop's commits do not wait for their flush to disk
    (`synchronous_commit = off` for this connection while the loop runs).

    Waiting for a disk flush per message was 40 % of a loop's time (docs/performance.md,
    2026-12-05). Without it the guarantee still holds (docs/newsletter.md, "The sending
    guarantee"): a commit is done in PostgreSQL's memory when it returns, so a killed worker
    loses nothing; only a crash of PostgreSQL itself (or of its machine) can lose the commits
    of the last three `wal_writer_delay`s (0.6 s by default), and a lost mark means its message is
    sent again, with the same Message-ID. The other writes of the loop are as harmless to lose:
    a claim or a lease renewal (the rows come free), a retry or failure mark (the message is
    tried again). A commit that waits for its flush (the issue's `sent`, after the loop; any
    other session's) flushes every commit before it, since the log is written in order."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        # A connection that broke (or a transaction that failed) resets it itself.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def mark_failed(
    row: Claimed, reason: str, *, permanent: bool, counts: Counts, marks: Marks
) -> None:
    """Failed for good (permanent, or out of attempts), or pending again after a backoff."""
    marks.wait()
    attempts = row.attempts + 1
    released = {"attempts": attempts, "error": reason, "claimed_at": None, "claimed_by": ""}
    if permanent or attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED, sent_at=None, **released
        )
        counts.failed += 1
    else:
        delay = RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        Delivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.PENDING,
            sent_at=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            **released,
        )
        counts.retried += 1


def answer_record(row: Claimed, answer: Answer, counts: Counts, marks: Marks) -> None:
    if answer.accepted:
        KILL_AFTER_ACCEPTED.reached()
        # Autocommit outside a transaction: the mark commits on its own, visible to every other
        # loop, and survives this process once `add` returns (marks.py says why).
        marks.add(row.pk, at=timezone.now())
        KILL_AFTER_MARKED.reached()
        counts.sent += 1
    else:
        mark_failed(row, str(answer), permanent=answer.permanent, counts=counts, marks=marks)


def batch_send(
    *,
    rows: list[Claimed],
    worker: str,
    throttle: Throttle,
    renderers: dict[int, IssueRenderer],
    counts: Counts,
    transports: Transports,
    marks: Marks,
) -> None:
    """Send claimed rows one by one, marking each once the server has accepted it."""
    date = formatdate(localtime=True)
    lease = Lease(worker, rows, marks)
    try:
        for row in rows:
            renderer = renderer_for(renderers, row.issue_id, marks)
            if renderer.relay in transports.broken:
                continue  # released below, for the next run
            throttle.wait()
            if not lease.holds(row.pk):
                continue  # taken over while this loop stalled
            try:
                answer = message_send(
                    row=row,
                    renderer=renderer,
                    transport=transports.for_relay(renderer.relay),
                    date=date,
                )
            except ConnectionLost as error:
                # The server may have the message: sent again later, with the same Message-ID.
                log.warning("Newsletter relay connection lost: %s", error)
                mark_failed(row, str(error), permanent=False, counts=counts, marks=marks)
                transports.lost(renderer.relay)
            else:
                answer_record(row, answer, counts, marks)
            lease.done(row.pk)
    finally:
        lease.release()


def issues_finish() -> int:
    """Issues with no row left waiting are sent."""
    finished: list[int] = []

    def finish(issue: Issue) -> None:
        if not issue.deliveries.filter(status=DeliveryStatus.PENDING).exists():
            finished.append(
                Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
                    status=IssueStatus.SENT, finished_at=timezone.now()
                )
            )

    each("newsletter: finish issues", Issue.objects.filter(status=IssueStatus.SENDING), finish)
    return sum(finished)


def send_pending(
    *,
    worker: str | None = None,
    issue_id: int | None = None,
    batch_size: int | None = None,
    rate_per_minute: float | None = None,
) -> Counts:
    """Start scheduled issues that are due, then send until nothing is left to claim.

    One loop, over one connection per relay. More loops at once (several task workers, or
    `newsletter_send` processes) send more at once; each claims its own batches. The rate
    (`NEWSLETTER_RATE_PER_MINUTE`) is shared among the loops an issue gets
    (`senders_per_issue`); `rate_per_minute` sets this loop's own."""
    worker = worker or worker_name()
    if rate_per_minute is None:
        rate_per_minute = settings.NEWSLETTER_RATE_PER_MINUTE / senders_per_issue()
    started = issues_start_due()
    counts = _send_loop(
        worker=worker,
        issue_id=issue_id,
        batch_size=batch_size or settings.NEWSLETTER_BATCH_SIZE,
        throttle=Throttle(rate_per_minute),
    )
    counts.issues_started = started
    counts.issues_finished = issues_finish()
    return counts


def _send_loop(*, worker: str, issue_id: int | None, batch_size: int, throttle: Throttle) -> Counts:
    """Claim a batch and send it, until nothing is claimable and no other loop holds rows (a
    dead loop's rows come free when its lease runs out, and this loop sends them)."""
    counts = Counts()
    renderers: dict[int, IssueRenderer] = {}
    marks = Marks()
    with closing(Transports()) as transports, asynchronous_commits():
        while True:
            skip_issues = transports.broken_issues(renderers)
            rows = rows_claim(
                worker=worker, limit=batch_size, issue_id=issue_id, skip_issues=skip_issues
            )
            if rows:
                batch_send(
                    rows=rows,
                    worker=worker,
                    throttle=throttle,
                    renderers=renderers,
                    counts=counts,
                    transports=transports,
                    marks=marks,
                )
            elif held_by_others(worker=worker, issue_id=issue_id, skip_issues=skip_issues):
                time.sleep(WAIT_FOR_OTHERS)
            else:
                return counts


def issues_needing_a_worker(*, now: datetime | None = None) -> list[int]:
    """Issues being sent with claimable rows and no live lease: nobody is working on them
    (every loop sending them died, or retries came due)."""
    now = now or timezone.now()
    ids = set(claimable(now=now).values_list("issue_id", flat=True).distinct())
    live = set(
        Delivery.objects.filter(
            issue_id__in=ids, status=DeliveryStatus.PENDING, claimed_at__gte=lease_start(now)
        )
        .values_list("issue_id", flat=True)
        .distinct()
    )
    return sorted(ids - live)
