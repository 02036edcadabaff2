"""Subscribing with double opt-in and proof of consent, unsubscribing and the preference page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.directory.models import Agency
from bokbro.newsletter.links import absolute, confirm_from_token, confirm_token
from bokbro.newsletter.models import (
    ConsentSource,
    Issue,
    MailingList,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.services import NewsletterError

# The consent text a subscriber is shown; its version is stored with each confirmation.
# Change the version whenever the text changes.
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = _(
    "We use your e-mail address only to send you the newsletters you choose, and keep it until "
    "you unsubscribe. Every newsletter has a link to unsubscribe in one click."
)


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
            reverse("newsletter:confirm", args=[confirm_token([s.pk for s in pending])]), agency
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
