"""A participant's registrations in their account's data export and deletion (the contract's
`personal_data`; the work is in events/services/privacy.py)."""

from __future__ import annotations

from bokbro.accounts.personal import PersonalData
from bokbro.events.services.privacy import person_erase, person_export

DATA = PersonalData(key="event_registrations", export=person_export, erase=person_erase)
