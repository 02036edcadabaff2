"""A teacher's class-set bookings in their account's data export and deletion (the contract's
`personal_data`; the work is in classsets/privacy.py)."""

from __future__ import annotations

from bokbro.accounts.personal import PersonalData
from bokbro.classsets.privacy import person_erase, person_export

DATA = PersonalData(key="classset_bookings", export=person_export, erase=person_erase)
