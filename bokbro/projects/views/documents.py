"""A project's documents: added by the owning agency, downloaded by the staff of the owning and
the partner agencies."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.projects.access import document_for_user, project_for_user
from bokbro.projects.forms import (
    DocumentForm,
)
from bokbro.projects.services import documents as services
from bokbro.projects.views.common import form_page

# --- Documents ---------------------------------------------------------------------------------


@staff_required
def document_add(request: StaffRequest, pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                actor=request.user,
                agency=site_agency(request),
                project=project,
                title=data["title"],
                kind=data["kind"],
                file=data["file"],
                report=data["report"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document is stored."))
            return redirect(f"{project.get_staff_url()}#documents-heading")
    return form_page(
        request,
        {
            "project": project,
            "form": form,
            "page_title": _("Add a document"),
            "cancel_url": f"{project.get_staff_url()}#documents-heading",
            "submit": _("Upload"),
            "multipart": True,
        },
    )


@staff_required
def document_download(request: StaffRequest, pk: int, document_pk: int) -> HttpResponseBase:
    project = project_for_user(request, pk)
    document = document_for_user(request, project, document_pk)
    try:
        handle = default_storage.open(document.file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def document_remove(request: StaffRequest, pk: int, document_pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    document = document_for_user(request, project, document_pk)
    services.document_remove(actor=request.user, agency=site_agency(request), document=document)
    messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect(f"{project.get_staff_url()}#documents-heading")
