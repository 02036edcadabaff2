"""Uploaded files leave storage with the row that holds them.

`delete_files_with(Model, "file")` connects a `post_delete` handler: however the row goes (a
service removing it, a cascade from its parent, the admin), the file is deleted from storage
once the deletion is committed — never before, so a rolled-back deletion keeps its file.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete


def delete_files_with(model: type[models.Model], *field_names: str) -> None:
    def handler(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        for name in field_names:
            file = getattr(instance, name)
            if file:
                path, storage = file.name, file.storage
                transaction.on_commit(lambda path=path, storage=storage: storage.delete(path))

    post_delete.connect(
        handler, sender=model, weak=False, dispatch_uid=f"files:{model._meta.label}"
    )
