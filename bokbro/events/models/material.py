"""Material for participants ("the online learning arena")."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.events.models.events import Event, Session


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


def material_upload_to(instance: Material, filename: str) -> str:
    # A random folder per file keeps the original name readable and the path unguessable;
    # files are served only through views that check access, never from a public URL.
    return f"events/material/{instance.event_id}/{secrets.token_urlsafe(12)}/{filename}"


class MaterialQuerySet(models.QuerySet["Material"]):
    def for_list(self) -> MaterialQuerySet:
        return self.select_related("session", "added_by").order_by("position", "created_at", "pk")


class Material(models.Model):
    """A file or a link shared with an event's confirmed participants (slides, recordings,
    reading lists, assignments between sessions)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="material")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material",
        verbose_name=_("session"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=255, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("material")
        ordering = ["position", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1] if self.file else ""
