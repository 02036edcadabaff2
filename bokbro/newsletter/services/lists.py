"""The agency's lists: subscriber lists and segments drawn from the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, County, Municipality
from bokbro.newsletter.models import ListKind, MailingList


@dataclass(frozen=True, kw_only=True)
class ListFields:
    """A list as the staff's form gives it (the defaults are the model's)."""

    name: str
    description: str = ""
    kind: str = ListKind.SUBSCRIBERS
    is_public: bool = True
    from_email: str = ""
    from_name: str = ""
    # A segment: the directory's people with these roles, at libraries of these kinds, in these
    # counties and municipalities (empty: any).
    segment_roles: tuple[str, ...] = ()
    segment_library_kinds: tuple[str, ...] = ()
    segment_counties: tuple[County, ...] = ()
    segment_municipalities: tuple[Municipality, ...] = ()


@transaction.atomic
def list_save(
    *, actor: Actor, agency: Agency, mailing_list: MailingList | None, fields: ListFields
) -> MailingList:
    created = mailing_list is None
    if mailing_list is None:
        mailing_list = MailingList(agency=agency)
    mailing_list.name = fields.name
    mailing_list.description = fields.description
    mailing_list.kind = fields.kind
    mailing_list.is_public = fields.is_public and fields.kind != ListKind.SEGMENT
    mailing_list.from_email = fields.from_email
    mailing_list.from_name = fields.from_name
    mailing_list.segment_roles = list(fields.segment_roles)
    mailing_list.segment_library_kinds = list(fields.segment_library_kinds)
    mailing_list.save()
    mailing_list.segment_counties.set(fields.segment_counties)
    mailing_list.segment_municipalities.set(fields.segment_municipalities)
    audit_log(
        action="newsletter.list.created" if created else "newsletter.list.updated",
        actor=actor,
        agency=agency,
        target=mailing_list,
    )
    return mailing_list
