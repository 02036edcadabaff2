"""What the plans module's services share: setting changed values, a replaced document, the
audit entry, and the checks of ownership and region."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def values_of(fields: DataclassInstance) -> dict[str, Any]:
    """A frozen dataclass of a service's input as field name -> value (not copied)."""
    return {field.name: getattr(fields, field.name) for field in dataclasses.fields(fields)}


def apply_changes(obj: Any, data: Mapping[str, object]) -> list[str]:
    """Set the values on `obj`; the names of the fields that changed."""
    changed = []
    for name, value in data.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:
            current = None
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def drop_file_later(file: Any) -> None:
    """Delete a replaced or removed file from storage once the change is committed."""
    if file:
        name, storage = file.name, file.storage
        transaction.on_commit(lambda: storage.delete(name))


def apply_document(obj: Any, document: Any) -> bool:
    """`document`: an upload to store, False to remove the file, None to keep it."""
    if document is None:
        return False
    old = obj.document if obj.document else None
    if document is False:
        if old is None:
            return False
        obj.document = None
    else:
        obj.document = document
    if old is not None:
        drop_file_later(old)
    return True


def log_action(
    action: str, *, actor: Actor | None, agency: Agency, target: models.Model, **data: Any
) -> None:
    audit_log(action=action, actor=actor, agency=agency, target=target, data=data)


def check_own(agency: Agency, obj_agency_id: int) -> None:
    if obj_agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))


def check_municipality(agency: Agency, municipality: Municipality | None) -> None:
    if municipality is None or municipality.county_id not in agency_county_ids(agency):
        raise ValidationError({"municipality": _("Choose a municipality in your agency's region.")})
