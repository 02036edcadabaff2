"""Attendance per session and course certificates."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.events.models.events import Session
from bokbro.events.models.registrations import Registration


class Attendance(models.Model):
    """Whether a confirmed participant was at one session, as staff marked it."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_unique_registration_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}: {self.present}"


# No 0/O or 1/I/L: the number is read aloud and typed in by people checking a certificate.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_number() -> str:
    chars = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _i in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


class Certificate(models.Model):
    """A course certificate (kursbevis, intyg) for one participant."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    number = models.CharField(
        _("number"), max_length=20, unique=True, default=new_certificate_number, editable=False
    )
    sessions_attended = models.PositiveIntegerField(_("sessions attended"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return self.number
