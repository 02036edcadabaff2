"""Following a stop by e-mail: a member of the public asks on the stop's page, confirms by the
link in the first mail (nothing else is sent before), then gets a mail a few days before each
visit and at once when a visit is cancelled or an extra one is added. Every mail has a link that
ends the following in one click (also as the mail program's List-Unsubscribe).

The reminders are periodic work (`bokbro periodic`), which may run as often as it likes, also
twice at once: a `Reminder` row per follower, visit and date, unique in the database, is made
in the same transaction that queues the mail, so a visit is never reminded twice.

The address is personal data: an unconfirmed one is deleted after `CONFIRM_DAYS`, a follower's
row when they unsubscribe or delete their account (mobile/personal.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from bokbro.core.emails import send_email
from bokbro.core.periodic import each
from bokbro.directory.models import Agency
from bokbro.mobile import selectors
from bokbro.mobile.models import ExtraVisit, Follower, Reminder, Route, Stop, Visit, new_token
from bokbro.mobile.selectors import timetable, visits_of

# A reminder goes out when a visit is this many days ahead (the first day the work runs).
REMIND_FROM_DAYS = 1
REMIND_TO_DAYS = 3
# An address not confirmed in this many days is deleted.
CONFIRM_DAYS = 7
# At most one confirmation mail per address and stop in this interval.
CONFIRMATION_INTERVAL = timedelta(minutes=15)
# Reminder rows (which hold no address) are kept this long after the visit, then deleted.
REMINDER_KEEP_DAYS = 60


def _links(follower: Follower) -> dict[str, str]:
    agency = follower.agency
    return {
        "stop_link": agency.absolute(reverse("mobile:stop", args=[follower.stop_id])),
        "unsubscribe": agency.absolute(reverse("mobile:unfollow", args=[follower.token])),
    }


def _send(follower: Follower, template: str, **context: Any) -> None:
    links = _links(follower)
    language = follower.language or follower.agency.language
    day = context.get("day")
    if day is not None:
        with translation.override(language):
            # "tirsdag 5. januar 2027", "Tuesday Jan. 5, 2027": the weekday and the date the
            # reader's language writes.
            context["when"] = f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"
    send_email(
        to=follower.email,
        template=f"mobile/{template}",
        context={"stop": follower.stop, **links, **context},
        language=language,
        agency=follower.agency,
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@transaction.atomic
def follower_request(*, agency: Agency, stop: Stop, email: str, language: str) -> bool:
    """Someone asks to follow a stop: one confirmation mail, and nothing more until it is
    confirmed. The answer on the page is the same whether or not the address already follows
    the stop (True when a mail was queued), so the form tells nobody who follows what."""
    email = email.strip()
    now = timezone.now()
    follower = Follower.objects.select_for_update().filter(stop=stop, email__iexact=email).first()
    if follower is not None and (
        follower.confirmed or follower.created_at > now - CONFIRMATION_INTERVAL
    ):
        # Following already, or a confirmation went out minutes ago: no mail, so the public
        # form cannot be used to fill a stranger's inbox.
        return False
    if follower is None:
        follower = Follower(agency=agency, stop=stop, email=email)
    follower.language = language
    follower.created_at = now
    follower.token = new_token()
    try:
        with transaction.atomic():
            follower.save()
    except IntegrityError:  # the same address asked at the same moment in another request
        return False
    link = agency.absolute(reverse("mobile:follow_confirm", args=[follower.token]))
    _send(follower, "follow_confirm", link=link)
    return True


@transaction.atomic
def follower_confirm(*, follower: Follower) -> None:
    """The link in the confirmation mail was followed (and its button pressed)."""
    locked = Follower.objects.select_for_update().get(pk=follower.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
    follower.confirmed_at = locked.confirmed_at


@transaction.atomic
def follower_unsubscribe(*, follower: Follower) -> None:
    """One click in any mail: the address is deleted with its reminders."""
    Follower.objects.filter(pk=follower.pk).delete()


def pending_delete(*, now: datetime | None = None) -> int:
    """Addresses never confirmed go after CONFIRM_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=CONFIRM_DAYS)
    deleted, _by_model = Follower.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def reminders_prune(*, now: datetime | None = None) -> int:
    cutoff = timezone.localdate(now) - timedelta(days=REMINDER_KEEP_DAYS)
    deleted, _by_model = Reminder.objects.filter(date__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class Due:
    follower: Follower
    route: Route
    day: date
    arrival: time
    departure: time
    visit: Visit | None = None
    extra: ExtraVisit | None = None


def due_reminders(*, now: datetime | None = None) -> list[Due]:
    """Each confirmed follower's visits from REMIND_FROM_DAYS to REMIND_TO_DAYS ahead that are
    not cancelled, in a fixed number of queries per agency."""
    today = timezone.localdate(now)
    first = today + timedelta(days=REMIND_FROM_DAYS)
    last = today + timedelta(days=REMIND_TO_DAYS)
    followers: dict[int, list[Follower]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for follower in Follower.objects.filter(confirmed_at__isnull=False).select_related(
        "agency", "stop"
    ):
        followers[follower.stop_id].append(follower)
        agencies[follower.agency_id] = follower.agency
    due = []
    for agency in agencies.values():
        visits = visits_of(agency).filter(stop_id__in=list(followers))
        for line in timetable(agency, visits, first, last):
            for occurrence in line.upcoming:
                due += [
                    Due(
                        follower,
                        line.visit.route,
                        occurrence.day,
                        occurrence.arrival,
                        occurrence.departure,
                        visit=line.visit,
                    )
                    for follower in followers[line.visit.stop_id]
                ]
        for extra in selectors.extras_of(agency, first, last).filter(stop_id__in=list(followers)):
            due += [
                Due(follower, extra.route, extra.date, extra.arrival, extra.departure, extra=extra)
                for follower in followers[extra.stop_id]
            ]
    return due


def _remind(item: Due) -> None:
    """One reminder, in the transaction of `each`: the unique row first, then the mail queued
    with it; a row already there (sent before, or by a run at the same moment) sends nothing."""
    _reminder, created = Reminder.objects.get_or_create(
        follower=item.follower, visit=item.visit, extra=item.extra, date=item.day
    )
    if created:
        _send(
            item.follower,
            "reminder",
            day=item.day,
            arrival=item.arrival,
            departure=item.departure,
            route=item.route,
            reason=item.extra.reason if item.extra else "",
        )


def reminders_send(*, now: datetime | None = None) -> int:
    """The periodic work: the reminders that are due, each in its own transaction. Returns how
    many were handled (sent now or found sent)."""
    return each("mobile: reminders", due_reminders(now=now), _remind)


def change_notify(
    *,
    stop_id: int,
    route: Route,
    day: date,
    arrival: time,
    departure: time,
    change: str,
    reason: str = "",
) -> int:
    """Tell the stop's confirmed followers at once that the visit on `day` is cancelled
    (`change` "cancelled") or that an extra one is added ("extra"); nothing for a day already
    past. The mails are queued when the caller's transaction commits."""
    if day < selectors.today():
        return 0
    followers = Follower.objects.filter(stop_id=stop_id, confirmed_at__isnull=False).select_related(
        "agency", "stop"
    )
    sent = 0
    for follower in followers:
        _send(
            follower,
            change,
            day=day,
            arrival=arrival,
            departure=departure,
            route=route,
            reason=reason,
        )
        sent += 1
    return sent
