"""Every write of the newsletter module (STYLE.md §2): lists, subscriptions with double opt-in
and proof of consent, imports, issues, and starting a send. The sending itself is in
`sending.py`."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.tasks import enqueue_on_commit
from bokbro.directory.models import Agency
from bokbro.newsletter.models import (
    ConsentSource,
    Delivery,
    Issue,
    IssueStatus,
    ListKind,
    MailingList,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.selectors import list_recipients

# The consent text a subscriber is shown; its version is stored with each confirmation.
# Change the version whenever the text changes.
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = _(
    "We use your e-mail address only to send you the newsletters you choose, and keep it until "
    "you unsubscribe. Every newsletter has a link to unsubscribe in one click."
)
CONFIRM_MAX_AGE = 7 * 24 * 3600
SALT_CONFIRM = "newsletter.confirm"
SALT_PREFERENCES = "newsletter.preferences"
SALT_UNSUBSCRIBE = "newsletter.unsubscribe"
DELIVERY_CHUNK = 2000


class NewsletterError(Exception):
    """A rule said no; `message` is shown to the user in their language."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


# --- Signed links -----------------------------------------------------------------------------


def _sign(salt: str, *parts: Any) -> str:
    """A short signed token (links in every mail: cheap to make for 20,000 recipients)."""
    payload = ":".join(str(p) for p in parts).encode()
    value = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return signing.Signer(salt=salt).sign(value)


def _unsign(salt: str, token: str, count: int) -> list[str] | None:
    try:
        value = signing.Signer(salt=salt).unsign(token)
        payload = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    parts = payload.split(":", count - 1)
    return parts if len(parts) == count else None


def preferences_token(*, agency: Agency, email: str) -> str:
    return _sign(SALT_PREFERENCES, agency.pk, email.lower())


def preferences_from_token(token: str) -> tuple[int, str] | None:
    parts = _unsign(SALT_PREFERENCES, token, 2)
    if parts is None or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def unsubscribe_token(*, mailing_list_id: int, email: str, issue_id: int | None = None) -> str:
    return _sign(SALT_UNSUBSCRIBE, mailing_list_id, issue_id or 0, email.lower())


def unsubscribe_from_token(token: str) -> tuple[int, str, int | None] | None:
    parts = _unsign(SALT_UNSUBSCRIBE, token, 3)
    if parts is None or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return int(parts[0]), parts[2], int(parts[1]) or None


def confirm_token(subscriber_ids: Sequence[int]) -> str:
    return signing.dumps(list(subscriber_ids), salt=SALT_CONFIRM)


def confirm_from_token(token: str) -> list[int] | None:
    try:
        ids = signing.loads(token, salt=SALT_CONFIRM, max_age=CONFIRM_MAX_AGE)
        return [int(i) for i in ids]
    except (signing.BadSignature, TypeError, ValueError):
        return None


def absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_ROOT.rstrip("/") + path


# --- Lists ------------------------------------------------------------------------------------


@transaction.atomic
def list_save(
    *,
    actor: Any,
    agency: Agency,
    mailing_list: MailingList | None,
    data: dict[str, Any],
    counties: Iterable[Any] = (),
    municipalities: Iterable[Any] = (),
) -> MailingList:
    created = mailing_list is None
    if mailing_list is None:
        mailing_list = MailingList(agency=agency)
    for field in (
        "name",
        "description",
        "kind",
        "is_public",
        "from_email",
        "from_name",
        "segment_roles",
        "segment_library_kinds",
    ):
        if field in data:
            setattr(mailing_list, field, data[field])
    if mailing_list.kind == ListKind.SEGMENT:
        mailing_list.is_public = False
    mailing_list.save()
    mailing_list.segment_counties.set(counties)
    mailing_list.segment_municipalities.set(municipalities)
    audit_log(
        action="newsletter.list.created" if created else "newsletter.list.updated",
        actor=actor,
        agency=agency,
        target=mailing_list,
    )
    return mailing_list


# --- Subscribing (double opt-in) ----------------------------------------------------------------


# At most one confirmation mail per address and list in this interval.
CONFIRMATION_INTERVAL = timedelta(minutes=15)


@transaction.atomic
def subscription_request(
    *,
    agency: Agency,
    mailing_lists: Sequence[MailingList],
    email: str,
    name: str = "",
    language: str = "",
    ip: str | None = None,
    source: str = ConsentSource.FORM,
) -> list[Subscriber]:
    """Someone asks to subscribe: a pending subscription per list and one confirmation mail.

    The answer is the same whether or not the address is already subscribed, so the form tells
    nobody who is on a list."""
    email = email.strip()
    pending: list[Subscriber] = []
    for mailing_list in mailing_lists:
        if mailing_list.agency_id != agency.pk or not mailing_list.is_public:
            raise NewsletterError(_("This list is not open for subscription."))
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(mailing_list=mailing_list, email__iexact=email)
            .first()
        )
        if subscriber is None:
            subscriber = Subscriber(agency=agency, mailing_list=mailing_list, email=email)
        elif subscriber.status == SubscriberStatus.CONFIRMED:
            continue
        elif (
            subscriber.status == SubscriberStatus.PENDING
            and subscriber.created_at > timezone.now() - CONFIRMATION_INTERVAL
        ):
            # A confirmation went out minutes ago: no second one, so the public form cannot be
            # used to fill a stranger's inbox. The answer on the page stays the same.
            continue
        subscriber.name = name or subscriber.name
        subscriber.language = language or subscriber.language
        subscriber.status = SubscriberStatus.PENDING
        subscriber.source = source
        subscriber.consent_version = CONSENT_VERSION
        subscriber.requested_ip = ip
        subscriber.created_at = timezone.now()
        subscriber.save()
        pending.append(subscriber)
    if pending:
        link = absolute(
            reverse("newsletter:confirm", args=[confirm_token([s.pk for s in pending])])
        )
        send_email(
            to=email,
            template="newsletter/confirm",
            context={"lists": [s.mailing_list for s in pending], "link": link, "name": name},
            language=language or agency.language,
            agency=agency,
        )
        audit_log(
            action="newsletter.subscription.requested",
            agency=agency,
            target=pending[0],
            data={"lists": [s.mailing_list_id for s in pending]},
        )
    return pending


@transaction.atomic
def subscription_confirm(*, token: str, ip: str | None = None) -> list[Subscriber]:
    """The link in the confirmation mail was followed: the subscriptions are confirmed, with
    the time, address, form and consent text version kept as proof."""
    ids = confirm_from_token(token)
    if ids is None:
        raise NewsletterError(_("The confirmation link is wrong or has expired."))
    now = timezone.now()
    confirmed = []
    for subscriber in Subscriber.objects.select_for_update().filter(pk__in=ids):
        if subscriber.status == SubscriberStatus.PENDING:
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.confirmed_at = now
            subscriber.confirmed_ip = ip
            subscriber.unsubscribed_at = None
            subscriber.save()
            audit_log(
                action="newsletter.subscription.confirmed",
                agency=subscriber.agency,
                target=subscriber,
            )
        if subscriber.status == SubscriberStatus.CONFIRMED:
            confirmed.append(subscriber)
    return confirmed


@transaction.atomic
def list_unsubscribe(
    *,
    mailing_list: MailingList,
    email: str,
    issue: Issue | None = None,
    source: str = ConsentSource.UNSUBSCRIBE,
) -> Subscriber:
    """Take the address off the list (on a segment list: keep it out of the segment)."""
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(mailing_list=mailing_list, email__iexact=email)
        .first()
    )
    if subscriber is None:
        subscriber = Subscriber(agency=mailing_list.agency, mailing_list=mailing_list, email=email)
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.unsubscribed_issue = issue
        subscriber.source = source if subscriber.pk is None else subscriber.source
        subscriber.save()
        audit_log(
            action="newsletter.subscription.cancelled",
            agency=mailing_list.agency,
            target=subscriber,
            data={"issue": issue.pk if issue else None},
        )
    return subscriber


@transaction.atomic
def preferences_update(
    *,
    agency: Agency,
    email: str,
    wanted: Iterable[MailingList],
    offered: Iterable[MailingList],
    ip: str | None = None,
) -> None:
    """The preference page (a signed link proves the address): subscribe to the lists ticked,
    unsubscribe from the others that were offered."""
    wanted_ids = {m.pk for m in wanted}
    now = timezone.now()
    for mailing_list in offered:
        if mailing_list.agency_id != agency.pk:
            continue
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(mailing_list=mailing_list, email__iexact=email)
            .first()
        )
        if mailing_list.pk in wanted_ids:
            if mailing_list.is_segment:
                if subscriber is not None:
                    subscriber.delete()
                continue
            if subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED:
                continue
            if subscriber is None:
                subscriber = Subscriber(agency=agency, mailing_list=mailing_list, email=email)
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.source = ConsentSource.PREFERENCES
            subscriber.consent_version = CONSENT_VERSION
            subscriber.confirmed_at = now
            subscriber.confirmed_ip = ip
            subscriber.unsubscribed_at = None
            subscriber.save()
            audit_log(action="newsletter.subscription.confirmed", agency=agency, target=subscriber)
        elif (subscriber is None and mailing_list.is_segment) or (
            subscriber is not None and subscriber.status != SubscriberStatus.UNSUBSCRIBED
        ):
            list_unsubscribe(
                mailing_list=mailing_list, email=email, source=ConsentSource.PREFERENCES
            )


# --- Importing subscribers ----------------------------------------------------------------------


@dataclass
class ImportProblem:
    line: int
    message: str


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    added: int
    already: int
    skipped_unsubscribed: int


def parse_subscriber_csv(text: str) -> list[tuple[int, str, str]]:
    """(line, email, name) per row; raises ImportRejected listing every bad or repeated address
    with its line. A first row whose first cell is not an address is a header."""
    problems: list[ImportProblem] = []
    rows: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for line, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [c.strip() for c in cells]
        if not cells or not any(cells):
            continue
        email, name = cells[0], (cells[1] if len(cells) > 1 else "")
        if line == 1 and "@" not in email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ImportProblem(
                    line, str(_("“%(email)s” is not an e-mail address.") % {"email": email})
                )
            )
            continue
        key = email.lower()
        if key in seen:
            problems.append(
                ImportProblem(
                    line,
                    str(
                        _("%(email)s is already on line %(first)s.")
                        % {"email": email, "first": seen[key]}
                    ),
                )
            )
            continue
        seen[key] = line
        rows.append((line, email, name[:200]))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected([ImportProblem(0, str(_("The file has no addresses.")))])
    return rows


@transaction.atomic
def subscribers_import(
    *, actor: Any, agency: Agency, mailing_list: MailingList, text: str
) -> ImportResult:
    """Import a CSV (address, name): all or nothing. Addresses that unsubscribed earlier stay
    unsubscribed; the staff member importing vouches for the others' consent."""
    if mailing_list.agency_id != agency.pk or mailing_list.is_segment:
        raise NewsletterError(_("Addresses can only be imported to a subscriber list."))
    rows = parse_subscriber_csv(text)
    existing = {
        email.lower(): status
        for email, status in mailing_list.subscribers.values_list("email", "status")
    }
    now = timezone.now()
    new = []
    already = skipped = 0
    for _line, email, name in rows:
        status = existing.get(email.lower())
        if status == SubscriberStatus.UNSUBSCRIBED:
            skipped += 1
        elif status is not None:
            already += 1
        else:
            new.append(
                Subscriber(
                    agency=agency,
                    mailing_list=mailing_list,
                    email=email,
                    name=name,
                    status=SubscriberStatus.CONFIRMED,
                    source=ConsentSource.IMPORT,
                    consent_version=f"import:{actor.pk if actor else ''}",
                    confirmed_at=now,
                )
            )
    Subscriber.objects.bulk_create(new, batch_size=1000)
    audit_log(
        action="newsletter.subscribers.imported",
        actor=actor,
        agency=agency,
        target=mailing_list,
        data={"added": len(new), "already": already, "skipped": skipped},
    )
    return ImportResult(added=len(new), already=already, skipped_unsubscribed=skipped)


# --- Issues -----------------------------------------------------------------------------------


@transaction.atomic
def issue_save(
    *,
    actor: Any,
    agency: Agency,
    issue: Issue | None,
    data: dict[str, Any],
    events: Iterable[Any] = (),
) -> Issue:
    created = issue is None
    if issue is None:
        issue = Issue(agency=agency, created_by=actor if actor else None)
    elif not Issue.objects.select_for_update().get(pk=issue.pk).is_editable:
        raise NewsletterError(_("An issue that is being sent or has been sent can't be changed."))
    mailing_list = data.get("mailing_list", getattr(issue, "mailing_list", None))
    if mailing_list is None or mailing_list.agency_id != agency.pk:
        raise NewsletterError(_("Choose one of your lists."))
    for field in ("mailing_list", "subject", "intro", "body", "is_archived"):
        if field in data:
            setattr(issue, field, data[field])
    issue.save()
    issue.events.set(events)
    audit_log(
        action="newsletter.issue.created" if created else "newsletter.issue.updated",
        actor=actor,
        agency=agency,
        target=issue,
    )
    return issue


@transaction.atomic
def issue_schedule(*, actor: Any, agency: Agency, issue: Issue, when: datetime | None) -> Issue:
    """Send at `when`, or now (None): recipients are fixed when sending starts."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk, agency=agency)
    if not locked.is_editable:
        raise NewsletterError(_("The issue is already being sent."))
    now = timezone.now()
    if when is None or when <= now:
        issue_start(issue=locked, now=now, actor=actor)
        from bokbro.newsletter.tasks import issue_send_enqueue

        issue_send_enqueue(issue_id=locked.pk)
    else:
        locked.status = IssueStatus.SCHEDULED
        locked.scheduled_at = when
        locked.save(update_fields=["status", "scheduled_at", "updated_at"])
        audit_log(
            action="newsletter.issue.scheduled",
            actor=actor,
            agency=agency,
            target=locked,
            data={"at": when.isoformat()},
        )
    return locked


@transaction.atomic
def issue_unschedule(*, actor: Any, agency: Agency, issue: Issue) -> Issue:
    updated = Issue.objects.filter(pk=issue.pk, agency=agency, status=IssueStatus.SCHEDULED).update(
        status=IssueStatus.DRAFT, scheduled_at=None
    )
    if not updated:
        raise NewsletterError(_("The issue is not scheduled."))
    audit_log(action="newsletter.issue.unscheduled", actor=actor, agency=agency, target=issue)
    issue.refresh_from_db()
    return issue


def issue_start(*, issue: Issue, now: datetime | None = None, actor: Any = None) -> bool:
    """Fix the recipients of an issue: one delivery row per address, then status `sending`.

    Claimed with a conditional UPDATE, so two workers starting the same scheduled issue create
    its deliveries once. Runs inside the caller's transaction (or its own)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Issue.objects.filter(
            pk=issue.pk, status__in=[IssueStatus.DRAFT, IssueStatus.SCHEDULED]
        ).update(status=IssueStatus.SENDING, sent_at=now)
        if not claimed:
            return False
        mailing_list = MailingList.objects.select_related("agency").get(pk=issue.mailing_list_id)
        recipients = list_recipients(mailing_list)
        Delivery.objects.bulk_create(
            [
                Delivery(issue_id=issue.pk, email=email, name=name[:200], language=language)
                for email, name, language in recipients
            ],
            batch_size=DELIVERY_CHUNK,
        )
        Issue.objects.filter(pk=issue.pk).update(recipients_count=len(recipients))
        audit_log(
            action="newsletter.issue.sent",
            actor=actor,
            agency=mailing_list.agency,
            target=issue,
            data={"recipients": len(recipients)},
        )
    issue.refresh_from_db()
    return True


def issue_send_test(*, actor: Any, issue: Issue, email: str) -> None:
    """One copy to the staff member, rendered exactly as subscribers get it."""
    from bokbro.core.tasks import deliver_email
    from bokbro.newsletter.rendering import IssueRenderer

    language = getattr(actor, "language", "") or issue.agency.language
    renderer = IssueRenderer(issue)
    message = renderer.message_for(email=email, name="", language=language, test=True)
    enqueue_on_commit(
        deliver_email,
        to=[email],
        subject=message.subject,
        text=message.body,
        html=message.alternatives[0][0] if message.alternatives else None,
        from_email=message.from_email,
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
    )
    audit_log(
        action="newsletter.issue.tested",
        actor=actor,
        agency=issue.agency,
        target=issue,
    )


@transaction.atomic
def issue_image_add(*, actor: Any, issue: Issue, file: Any, alt: str, caption: str = "") -> Any:
    from bokbro.newsletter.models import IssueImage

    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if not locked.is_editable:
        raise NewsletterError(_("An issue that is being sent or has been sent can't be changed."))
    image = IssueImage(issue=locked, alt=alt, caption=caption, position=locked.images.count())
    image.file.save(file.name, file, save=False)
    image.save()
    audit_log(action="newsletter.issue.updated", actor=actor, agency=locked.agency, target=locked)
    return image


# --- Personal data ----------------------------------------------------------------------------


def subscriber_export(*, email: str) -> list[dict[str, Any]]:
    """What the newsletter module holds about an address (for the user's data export)."""
    rows = Subscriber.objects.filter(email__iexact=email).select_related("mailing_list", "agency")
    return [
        {
            "agency": s.agency.name,
            "list": s.mailing_list.name,
            "status": s.status,
            "name": s.name,
            "language": s.language,
            "signed_up": s.created_at.isoformat(),
            "source": s.source,
            "consent_version": s.consent_version,
            "requested_ip": s.requested_ip,
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "confirmed_ip": s.confirmed_ip,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
        }
        for s in rows
    ]


@transaction.atomic
def subscriber_erase(*, email: str) -> int:
    """Forget an address: its subscriptions and its delivery rows (issue counts stay)."""
    deleted, _detail = Subscriber.objects.filter(email__iexact=email).delete()
    for delivery in Delivery.objects.filter(email__iexact=email).only("pk"):
        Delivery.objects.filter(pk=delivery.pk).update(
            email=f"erased-{delivery.pk}@invalid.invalid", name=""
        )
    return deleted
