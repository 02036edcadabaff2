"""The agency's lists: subscriber lists and segments drawn from the directory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.newsletter.models import (
    ListKind,
    MailingList,
)


@transaction.atomic
def list_save(
    *,
    actor: Actor,
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
