"""Events: courses, course series, conferences, network meetings, fairs, webinars, study trips.

The models by feature: `events.py` (the event, its sessions, questions and topics),
`registrations.py` (registrations and the libraries' quota use), `approvals.py` (what the
approvers of places awaiting approval were told), `material.py`, `economy.py` and
`attendance.py` (attendance and certificates). They are all imported here: Django finds
them here, and so do callers (`from bokbro.events.models import Event`) and the migrations
(`bokbro.events.models.new_token`).

Seat accounting lives in the database. `Event.seats_taken` counts the registrations that hold a
seat (confirmed, waiting for a manager's approval, or offered a freed seat) and a CHECK
constraint keeps it at or under `capacity`; `LibraryQuotaUse.taken` does the same per library
against the quota copied onto the row. Services change both only while holding the event's row
lock (`select_for_update`; SQLite runs writes as IMMEDIATE transactions), so the constraints are
the safety net, not the mechanism.
"""

from bokbro.events.models.approvals import ApprovalNotice, ApproverDigest
from bokbro.events.models.attendance import (
    CERTIFICATE_ALPHABET,
    Attendance,
    Certificate,
    new_certificate_number,
)
from bokbro.events.models.economy import BudgetCategory, BudgetKind, BudgetLine, Payer
from bokbro.events.models.events import (
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventQuerySet,
    EventStatus,
    InvitationRole,
    Promotion,
    Question,
    QuestionKind,
    Session,
    Topic,
)
from bokbro.events.models.material import (
    Material,
    MaterialKind,
    MaterialQuerySet,
    material_upload_to,
)
from bokbro.events.models.registrations import (
    ACTIVE,
    SEAT_HOLDING,
    LibraryQuotaUse,
    Registration,
    RegistrationQuerySet,
    RegistrationStatus,
    SeatPool,
    SessionPlace,
    SessionPlaceQuerySet,
    SessionPlaceStatus,
    new_token,
)

__all__ = [
    "ACTIVE",
    "CERTIFICATE_ALPHABET",
    "SEAT_HOLDING",
    "ApprovalNotice",
    "ApproverDigest",
    "Attendance",
    "Audience",
    "BudgetCategory",
    "BudgetKind",
    "BudgetLine",
    "Certificate",
    "Event",
    "EventFormat",
    "EventKind",
    "EventQuerySet",
    "EventStatus",
    "InvitationRole",
    "LibraryQuotaUse",
    "Material",
    "MaterialKind",
    "MaterialQuerySet",
    "Payer",
    "Promotion",
    "Question",
    "QuestionKind",
    "Registration",
    "RegistrationQuerySet",
    "RegistrationStatus",
    "SeatPool",
    "Session",
    "SessionPlace",
    "SessionPlaceQuerySet",
    "SessionPlaceStatus",
    "Topic",
    "material_upload_to",
    "new_certificate_number",
    "new_token",
]
