"""Whether a mail can be written to an address at all, and what became of one that could not.

Forms and the API refuse such addresses (Django's EmailValidator), but rows from before, from an
import or from a path that did not check may still hold one. Such an address must not stop the
sending (`core.tasks.deliver_email`): it is reported to the owner of the row instead (a
`Refusal`), as is a recipient the mail server refuses."""

from __future__ import annotations

import logging
from typing import NamedTuple

from django.core.mail.message import sanitize_address
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class Refusal(NamedTuple):
    """Who to tell when the address is refused: a function `(object_id, reason)` by its dotted
    path (a plain value, so a queued task can carry it) and the id of the row it marks."""

    handler: str
    object_id: int


def unwritable(address: str, encoding: str = "utf-8") -> str | None:
    """Why no mail can carry this address (None: it can): a control character, a form the
    mail library cannot parse, or a mailbox name outside ASCII (SMTP without SMTPUTF8)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in address):
        return "The address contains a control character."
    try:
        sanitize_address(address, encoding)
    except ValueError as error:  # (UnicodeError and BadHeaderError are ValueErrors)
        return f"The address cannot be written in a message: {type(error).__name__}."
    mailbox = address.rpartition("@")[0]
    if not mailbox.isascii():
        return "The mailbox name has characters SMTP cannot carry (no SMTPUTF8)."
    return None


def without_address(reason: str, address: str) -> str:
    """The server's answer without the address in it (the row keeps the address already)."""
    return " ".join(reason.replace(f"<{address}>", "").replace(address, "").split())


def report(refusal: Refusal | list[object] | None, reason: str) -> None:
    """Tell the owner of the row, or log that there is none to tell."""
    if not refusal:
        log.warning("mail not delivered, address refused: %s", reason)
        return
    handler, object_id = refusal
    if not str(handler).startswith("bokbro."):
        raise ValueError(f"not a Bokbro refusal handler: {handler}")
    log.warning("mail not delivered, address refused (%s %s): %s", handler, object_id, reason)
    import_string(str(handler))(int(str(object_id)), reason)
