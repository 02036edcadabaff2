from __future__ import annotations

from typing import Any

from django.db import models

from bokbro.core.models import AuditEntry


def audit_log(
    *,
    action: str,
    actor: Any = None,
    agency: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did what to which object.

    `action` is a dotted code such as `directory.library.updated`."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        data=data or {},
    )
