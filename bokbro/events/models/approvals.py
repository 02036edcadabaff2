"""What the approvers of places awaiting approval were told: each approver's latest digest (at
most one an hour) and which registrations each has heard of (services/approvals.py)."""

from __future__ import annotations

from django.db import models

from bokbro.events.models.registrations import Registration


class ApproverDigest(models.Model):
    """When an approver (a library manager, or the organiser where a library has none) was last
    sent the digest of places waiting for them. The row is locked and checked before a digest
    goes out, so two runs of the periodic work never send one twice."""

    email = models.EmailField(unique=True)  # lower case
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email}: {self.last_sent_at}"


class ApprovalNotice(models.Model):
    """That an approver was told, in a digest, of a registration waiting for approval."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="approval_notices"
    )
    email = models.EmailField()  # lower case
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "email"], name="approval_notice_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.email}"
