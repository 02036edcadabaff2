"""Every write of the newsletter module (STYLE.md §2), one file per feature: lists (lists),
subscriptions with double opt-in and proof of consent (subscriptions), imports (imports),
issues (issues), fixing an issue's recipients when its sending starts (recipients) and an
address's personal data (personal_data). The sending itself is in `sending.py`; the signed
links in `links.py`."""

from __future__ import annotations

from typing import Any


class NewsletterError(Exception):
    """A rule said no; `message` is shown to the user in their language."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message
