"""The agency's list of topics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bokbro.advisory import services
from bokbro.advisory.access import topic_for_user
from bokbro.advisory.forms import TopicForm
from bokbro.advisory.selectors import topics_with_use
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


@staff_required
def topic_list(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    form = TopicForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(actor=request.user, agency=agency, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The topic is added."))
            return redirect("advisory:topics")
    topics = topics_with_use(agency)
    return render(request, "advisory/topic_list.html", {"form": form, "topics": topics})


@staff_required
def topic_edit(request: StaffRequest, pk: int) -> HttpResponse:
    topic = topic_for_user(request, pk)
    initial = {"name": topic.name, "is_active": topic.is_active}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(
                actor=request.user, agency=request.agency, topic=topic, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("advisory:topics")
    return render(request, "advisory/topic_form.html", {"form": form, "topic": topic})
