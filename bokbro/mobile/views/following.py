"""Following a stop by e-mail (mobile/following.py): the form on the stop's page, the
confirmation behind the link in the first mail (GET shows a button and POST confirms, so mail
scanners that open links confirm nothing) and the one-click unsubscribe of every mail."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from bokbro.core.ratelimits import address_refusal, address_wait
from bokbro.core.types import AgencyRequest
from bokbro.mobile import following
from bokbro.mobile.access import public_object
from bokbro.mobile.forms import FollowForm
from bokbro.mobile.models import Follower, Stop


def follow(request: AgencyRequest, pk: int) -> HttpResponse:
    stop = public_object(request, Stop.objects.all(), pk)
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = address_wait(form.cleaned_data["email"])
        if wait is not None:
            form.add_error("email", address_refusal(wait))
        else:
            following.follower_request(
                agency=stop.agency,
                stop=stop,
                email=form.cleaned_data["email"],
                language=request.LANGUAGE_CODE,
            )
            return redirect("mobile:follow_sent", pk=stop.pk)
    return render(request, "mobile/follow.html", {"stop": stop, "form": form})


def follow_sent(request: AgencyRequest, pk: int) -> HttpResponse:
    stop = public_object(request, Stop.objects.all(), pk)
    return render(request, "mobile/follow_sent.html", {"stop": stop})


def _follower(token: str) -> Follower:
    found = Follower.objects.select_related("stop", "agency").filter(token=token).first()
    if found is None:
        raise Http404
    return found


def follow_confirm(request: AgencyRequest, token: str) -> HttpResponse:
    """The link is the key, on any of the install's host names (mails link to the agency's)."""
    follower = _follower(token)
    expired = timezone.now() - timedelta(days=following.CONFIRM_DAYS)
    if not follower.confirmed and follower.created_at < expired:
        raise Http404
    if request.method == "POST":
        following.follower_confirm(follower=follower)
        return redirect("mobile:follow_confirm", token=token)
    return render(request, "mobile/follow_confirm.html", {"follower": follower})


@csrf_exempt
def unfollow(request: AgencyRequest, token: str) -> HttpResponse:
    """The link in every mail. A mail program's one-click POST (RFC 8058) carries no CSRF token;
    the random link is the credential, and it can only end the following."""
    follower = _follower(token)
    if request.method == "POST":
        stop_pk = follower.stop_id
        following.follower_unsubscribe(follower=follower)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You no longer follow this stop."), content_type="text/plain")
        return redirect("mobile:unfollowed", pk=stop_pk)
    return render(request, "mobile/unfollow.html", {"follower": follower})


def unfollowed(request: AgencyRequest, pk: int) -> HttpResponse:
    stop = public_object(request, Stop.objects.all(), pk)
    return render(request, "mobile/unfollowed.html", {"stop": stop})
