"""A user's newsletter subscriptions in their data export and account deletion."""

from __future__ import annotations

from bokbro.accounts.personal import PersonalData
from bokbro.newsletter.services.personal_data import subscriber_erase, subscriber_export


def _export(addresses: list[str]) -> list[dict]:
    return [row for address in addresses for row in subscriber_export(email=address)]


def _erase(addresses: list[str]) -> None:
    for address in addresses:
        subscriber_erase(email=address)


DATA = PersonalData(key="newsletter_subscriptions", export=_export, erase=_erase)
