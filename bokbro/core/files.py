"""Uploaded files: the one check of what comes in, and their removal with the row that holds them.

`check_upload(upload, types=…, …)` is the check every module's forms use for files (material,
project documents, plans): the type by its name, the size, and that the content is what the name
says.

`delete_files_with(Model, "file")` connects a `post_delete` handler: however the row goes (a
service removing it, a cascade from its parent, the admin), the file is deleted from storage
once the deletion is committed — never before, so a rolled-back deletion keeps its file. A module
declares its file fields in its contract (`files = (Files("Material", "file"),)`), and
`bokbro.core.modules.Module.ready()` connects them.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404
from django.utils import formats
from django.utils.translation import gettext as _

MAX_FILE_SIZE = 20 * 1024 * 1024
ZIP = b"PK\x03\x04"


def _zip_with(names: tuple[str, ...]) -> Any:
    def check(upload: Any) -> bool:
        try:
            with zipfile.ZipFile(upload) as archive:
                listed = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return all(any(n == name or n.startswith(name) for n in listed) for name in names)

    return check


def _open_document(mimetype: str) -> Any:
    def check(upload: Any) -> bool:
        try:
            with zipfile.ZipFile(upload) as archive:
                return archive.read("mimetype").decode("ascii", "replace").strip() == mimetype
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False

    return check


def _plain_text(upload: Any) -> bool:
    head = upload.read(8192)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine; other bytes are not.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


# What may be shared, by extension: the first bytes it must start with, and a closer look.
ALLOWED_TYPES: dict[str, tuple[bytes | None, Any]] = {
    "pdf": (b"%PDF-", None),
    "docx": (ZIP, _zip_with(("[Content_Types].xml", "word/"))),
    "pptx": (ZIP, _zip_with(("[Content_Types].xml", "ppt/"))),
    "xlsx": (ZIP, _zip_with(("[Content_Types].xml", "xl/"))),
    "odt": (ZIP, _open_document("application/vnd.oasis.opendocument.text")),
    "odp": (ZIP, _open_document("application/vnd.oasis.opendocument.presentation")),
    "txt": (None, _plain_text),
    "png": (b"\x89PNG\r\n\x1a\n", None),
    "jpg": (b"\xff\xd8\xff", None),
    "jpeg": (b"\xff\xd8\xff", None),
    "mp4": (None, lambda upload: upload.read(12)[4:8] == b"ftyp"),
}
ALLOWED_LIST = "PDF, DOCX, PPTX, XLSX, ODT, ODP, TXT, PNG, JPG, MP4"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def looks_like(upload: Any, ext: str) -> bool:
    """Whether the file's content matches its extension (the browser's type is not trusted)."""
    signature, check = ALLOWED_TYPES[ext]
    try:
        upload.seek(0)
        if signature is not None and upload.read(len(signature)) != signature:
            return False
        upload.seek(0)
        return check is None or bool(check(upload))
    finally:
        upload.seek(0)


def check_upload(upload: Any, *, types: Iterable[str], type_list: str, refusal: str) -> Any:
    """The one check of an uploaded file (material, project documents, plans): its type by its
    name, its size (at most 20 MB) and that its content is what its name says. `refusal` is the
    message for a type not in `types`, with a `%(types)s` placeholder for `type_list`."""
    if not upload:
        return upload
    ext = extension(upload.name)
    if ext not in types or ext not in ALLOWED_TYPES:
        raise forms.ValidationError(refusal % {"types": type_list})
    if upload.size > MAX_FILE_SIZE:
        raise forms.ValidationError(
            _("The file is %(size)s; it can be at most 20 MB.")
            % {"size": formats.number_format(upload.size / 1024 / 1024, 1) + " MB"}
        )
    if not looks_like(upload, ext):
        raise forms.ValidationError(
            _("The file's content is not %(type)s, as its name says. Save it again as %(type)s.")
            % {"type": ext.upper()}
        )
    return upload


def delete_files_with(model: type[models.Model], *field_names: str) -> None:
    def handler(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        for name in field_names:
            file = getattr(instance, name)
            if file:
                path, storage = file.name, file.storage
                transaction.on_commit(functools.partial(storage.delete, path))

    post_delete.connect(
        handler, sender=model, weak=False, dispatch_uid=f"files:{model._meta.label}"
    )


PICTURE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}


def picture_response(file: Any, *, public: bool = True) -> Any:
    """A stored picture (a cover, an article's picture) for an <img>: `MEDIA_ROOT` is never served
    directly (docs/operations.md), so each module's view checks who may see the picture's page and
    hands the file over through this. Only picture types are sent, with their own content type and
    `nosniff`, so an upload cannot be served as a page; 404 when the file is missing."""
    name = (file.name if file else "") or ""
    content_type = PICTURE_TYPES.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if content_type is None:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=600"
    return response
