"""Material for participants — the "online learning arena": staff share files and links per
event and session; confirmed participants reach them from their personal link and the event
page. Files are served only through views that check access, never from a public media URL."""

from __future__ import annotations

import mimetypes
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core.files import ALLOWED_LIST, ALLOWED_TYPES, check_upload
from bokbro.core.forms import model_choice
from bokbro.directory.access import staff_required
from bokbro.events import services
from bokbro.events.access import event_for_user, registration_for_token
from bokbro.events.models import Event, Material, MaterialKind, RegistrationStatus, Session


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{when}: {obj.title}" if obj.title else when


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you share?"),
        choices=MaterialKind.choices,
        initial=MaterialKind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("At most 20 MB. Allowed types: %(types)s.")
        % {"types": ALLOWED_LIST},
    )
    url = forms.URLField(
        label=gettext_lazy("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("For example a recording, a reading list or a shared document."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    session = SessionChoiceField(
        label=gettext_lazy("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole event"),
    )
    tell_participants = forms.BooleanField(
        label=gettext_lazy("Tell the confirmed participants by e-mail"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "session").queryset = event.sessions.order_by("starts_at", "pk")
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_TYPES)

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data.get("file"),
            types=ALLOWED_TYPES,
            type_list=ALLOWED_LIST,
            refusal=_("Files of this type cannot be shared. Allowed types: %(types)s."),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == MaterialKind.FILE and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the file to share."))
        if kind == MaterialKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Write the link to share."))
        return data

    @property
    def file_to_choose_again(self) -> bool:
        """A browser never fills in a file field again; the page says so after other errors."""
        return bool(self.errors and self.files.get("file") and "file" not in self.errors)


# --- Staff -------------------------------------------------------------------------------------


def _material_page(request: HttpRequest, event: Event, form: MaterialForm) -> HttpResponse:
    return render(
        request,
        "events/material/staff.html",
        {
            "event": event,
            "form": form,
            "material_list": list(event.material.for_list()),
            "confirmed": event.registrations.filter(
                status=RegistrationStatus.CONFIRMED, anonymised=False
            ).count(),
        },
    )


@staff_required
def material(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    if request.method != "POST":
        return _material_page(request, event, MaterialForm(event=event))
    form = MaterialForm(request.POST, request.FILES, event=event)
    if not form.is_valid():
        return _material_page(request, event, form)
    data = form.cleaned_data
    services.material_add(
        actor=request.user,
        agency=request.agency,  # type: ignore[attr-defined]
        event=event,
        title=data["title"],
        kind=data["kind"],
        file=data["file"],
        url=data["url"],
        description=data["description"],
        session=data["session"],
        tell_participants=data["tell_participants"],
    )
    messages.success(request, _("The material is shared with the confirmed participants."))
    return redirect("events_staff:material", event.pk)


def _material_for_staff(event: Event, material_pk: int) -> Material:
    return get_object_or_404(Material, pk=material_pk, event=event)


@staff_required
@require_POST
def material_remove(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    item = _material_for_staff(event, material_pk)
    services.material_remove(actor=request.user, agency=request.agency, material=item)  # type: ignore[attr-defined]
    messages.success(request, _("“%(title)s” is removed.") % {"title": item.title})
    return redirect("events_staff:material", event.pk)


def file_response(item: Material) -> FileResponse:
    if item.kind != MaterialKind.FILE or not item.file:
        raise Http404
    try:
        handle = default_storage.open(str(item.file.name), "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=item.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def material_download(request: HttpRequest, pk: int, material_pk: int) -> HttpResponseBase:
    event = event_for_user(request, pk, write=True)
    return file_response(_material_for_staff(event, material_pk))


# --- Participants ------------------------------------------------------------------------------


def material_for_participant(registration: Any) -> list[Material]:
    """The material a registration may see: all of the event's, once it is confirmed."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return []
    return list(Material.objects.for_list().filter(event_id=registration.event_id))


def participant_download(request: HttpRequest, token: str, material_pk: int) -> HttpResponseBase:
    registration = registration_for_token(token)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    item = get_object_or_404(Material, pk=material_pk, event_id=registration.event_id)
    return file_response(item)
