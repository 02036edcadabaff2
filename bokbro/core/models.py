"""The audit log: every service that changes data with rules writes one entry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_target(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))

    def for_list(self) -> AuditEntryQuerySet:
        return self.select_related("actor", "agency")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.CASCADE,
        related_name="audit_entries",
        null=True,
        blank=True,
        verbose_name=_("agency"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class RateCount(models.Model):
    """How many times `name` (a limit and whom it counts: "registration:client:203.0.113.7")
    was used in one fixed period, the one that ends at `ends` (seconds since the epoch);
    core/ratelimits.py. The periodic work deletes the rows of periods that ended."""

    name = models.CharField(max_length=200)
    ends = models.BigIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "ends"], name="core_ratecount_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} until {self.ends}: {self.count}"


class OutgoingMail(models.Model):
    """One rendered message waiting for delivery (core.emails.send_email writes it, in the
    caller's transaction; core.tasks.deliver_email sends it and deletes it).

    The task queue's rows, and the results it keeps, hold only this row's id: a message's
    recipients, text and personal links live here, and only until the mail is handed to the
    mail server. A row left by a delivery that failed is deleted by the periodic work after
    `MAIL_FAILURES_KEEP_DAYS` (core/housekeeping.py)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipients = models.JSONField(default=list)
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField(blank=True, default="")
    from_email = models.TextField(blank=True, default="")
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename", "content" (base64), "mimetype"}]
    attachments = models.JSONField(default=list, blank=True)
    # core.mail.addresses.Refusal as [handler, object_id], or null.
    refusal = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.subject}"
