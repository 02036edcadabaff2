"""Follow-ups of a consultation, and each consultant's own list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.advisory import services
from bokbro.advisory.access import consultation_for_user, follow_up_for_user
from bokbro.advisory.forms import FollowUpForm
from bokbro.advisory.models import FollowUp
from bokbro.advisory.selectors import follow_ups_of
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


@staff_required
@require_POST
def follow_up_add(request: StaffRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_user(request, pk)
    form = FollowUpForm(request.POST, agency=request.agency)
    if form.is_valid():
        try:
            services.follow_up_create(
                actor=request.user,
                agency=request.agency,
                consultation=consultation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up is added."))
    else:
        messages.error(
            request,
            _("The follow-up was not added: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("advisory:consultation", consultation.pk)


@staff_required
@require_POST
def follow_up_done(request: StaffRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_user(request, pk)
    done = request.POST.get("done", "1") == "1"
    services.follow_up_set_done(
        actor=request.user, agency=request.agency, follow_up=follow_up, done=done
    )
    if done:
        messages.success(request, _("The follow-up is marked as done."))
    else:
        messages.success(request, _("The follow-up is open again."))
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("advisory:my_follow_ups")
    return redirect("advisory:consultation", follow_up.consultation_id)


@staff_required
def follow_up_edit(request: StaffRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_user(request, pk)
    agency = request.agency
    instance = FollowUp.objects.get(pk=follow_up.pk)
    form = FollowUpForm(request.POST or None, instance=instance, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(
                actor=request.user, agency=agency, follow_up=follow_up, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("advisory:consultation", follow_up.consultation_id)
    return render(request, "advisory/follow_up_form.html", {"form": form, "follow_up": follow_up})


@staff_required
def my_follow_ups(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    today = timezone.localdate()
    show_done = request.GET.get("show") == "done"
    follow_ups = follow_ups_of(agency=agency, owner_id=request.user.pk, done=show_done)
    return render(
        request,
        "advisory/my_follow_ups.html",
        {"follow_ups": follow_ups, "today": today, "show_done": show_done},
    )
