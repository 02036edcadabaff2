from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.accounts.access import own_account
from bokbro.accounts.models import User
from bokbro.accounts.selectors import user_export
from bokbro.accounts.services import user_erase
from bokbro.core.forms import choice
from bokbro.directory.access import request_roles
from bokbro.directory.models import LibraryRole


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = choice(self, "language")
        # The model's blank choice ("---------") reads as the site's language here.
        options = list(cast(Iterable[tuple[str, str]], language.choices))
        language.choices = [("", gettext_lazy("The site's language")), *options[1:]]


class DeleteForm(forms.Form):
    confirm = forms.CharField(
        label=gettext_lazy("Type your e-mail address to confirm"), max_length=254
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("That is not the e-mail address of this account."))
        return value


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = own_account(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        response = redirect("accounts:me")
        if user.language:
            response.delete_cookie("bokbro_language")
        return response
    roles = LibraryRole.objects.filter(person__user=user).select_related("library")
    my_libraries = list({role.library.pk: role.library for role in roles}.values())
    return render(
        request,
        "accounts/me.html",
        {
            "form": form,
            "library_roles": roles,
            "team": user.team_memberships.select_related("agency"),
            "role_label": request_roles(request).label,
            "my_libraries": my_libraries,
            "managed_ids": request_roles(request).managed_library_ids,
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = json.dumps(user_export(user=own_account(request)), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bokbro-my-data.json"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    user = own_account(request)
    form = DeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        user_erase(user=user)
        messages.success(request, _("Your account and personal data are deleted."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})
