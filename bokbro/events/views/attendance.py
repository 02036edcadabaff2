"""After the event: staff mark attendance per session (on a phone too), print the attendance
list, issue certificates and send the evaluation; participants download their certificates.
Every change is a service call (services/attendance.py)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.core.types import Actor, AgencyRequest, StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user, registration_for_staff, registration_for_token
from bokbro.events.certificates import (
    attendance_list_pdf,
    certificate_filename,
    certificate_pdf,
    pdf_response,
)
from bokbro.events.models import (
    Attendance,
    Certificate,
    Event,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.events.services import attendance as services

# --- Marking attendance --------------------------------------------------------------------------


def _current_session(sessions: list[Session]) -> Session:
    """The latest session that has started (the one being marked today), else the first."""
    now = timezone.now()
    started = [s for s in sessions if s.starts_at <= now]
    return started[-1] if started else sessions[0]


@staff_required
def attendance(request: StaffRequest, pk: int, session_pk: int | None = None) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    sessions = list(event.sessions.all())
    if not sessions:
        raise Http404
    session: Session | None
    if session_pk is None:
        session = _current_session(sessions)
    else:
        session = next((s for s in sessions if s.pk == session_pk), None)
        if session is None:
            raise Http404
    registrations = list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised=False)
        .select_related("library")
        .order_by("name", "pk")
    )
    marks = dict(
        Attendance.objects.filter(session=session).values_list("registration_id", "present")
    )
    rows = [(r, marks.get(r.pk)) for r in registrations]
    return render(
        request,
        "events/staff/attendance.html",
        {
            "event": event,
            "sessions": sessions,
            "session": session,
            "session_number": sessions.index(session) + 1,
            "rows": rows,
            **_counts(event, session),
        },
    )


def _counts(event: Event, session: Session) -> dict[str, int]:
    marks = Attendance.objects.filter(
        session=session,
        registration__status=RegistrationStatus.CONFIRMED,
        registration__anonymised=False,
    )
    return {
        "confirmed": event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, anonymised=False
        ).count(),
        "present": marks.filter(present=True).count(),
        "absent": marks.filter(present=False).count(),
    }


@staff_required
@require_POST
def attendance_mark(
    request: StaffRequest, pk: int, session_pk: int, registration_pk: int
) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    session = get_object_or_404(Session, pk=session_pk, event=event)
    registration = registration_for_staff(request, event, registration_pk)
    present = request.POST.get("present") == "1"
    error = None
    try:
        services.attendance_mark(
            actor=request.user,
            agency=request.agency,
            registration=registration,
            session=session,
            present=present,
        )
    except services.FollowUpError as exc:
        error = str(exc.message)
    if request.htmx:
        mark = (
            Attendance.objects.filter(registration=registration, session=session)
            .values_list("present", flat=True)
            .first()
        )
        return render(
            request,
            "events/staff/_attendance_mark_partial.html",
            {
                "event": event,
                "session": session,
                "registration": registration,
                "mark": mark,
                "error": error,
                **_counts(event, session),
            },
        )
    if error:
        messages.error(request, error)
    elif present:
        messages.success(request, _("%(name)s is marked present.") % {"name": registration.name})
    else:
        messages.success(request, _("%(name)s is marked absent.") % {"name": registration.name})
    url = reverse("events_staff:attendance_session", args=[event.pk, session.pk])
    return redirect(f"{url}#attendance-{registration.pk}")


@staff_required
def attendance_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    filename = f"attendance-{event.pk}-{slugify(event.title)[:50] or 'event'}.pdf"
    return pdf_response(attendance_list_pdf(event), filename)


# --- Certificates and the evaluation -------------------------------------------------------------


@staff_required
@require_POST
def certificates_issue(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    try:
        issued = services.certificates_issue(
            actor=request.user,
            agency=request.agency,
            event=event,
        )
    except services.FollowUpError as exc:
        messages.error(request, str(exc.message))
    else:
        if issued:
            messages.success(
                request,
                ngettext(
                    "%(count)s certificate is issued, and the participant is told by e-mail.",
                    "%(count)s certificates are issued, and the participants are told by e-mail.",
                    len(issued),
                )
                % {"count": len(issued)},
            )
        else:
            messages.info(
                request, _("No new certificates: everyone who qualifies already has one.")
            )
    return redirect("events_staff:detail", event.pk)


@staff_required
def certificate_download(request: StaffRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    registration = registration_for_staff(request, event, registration_pk)
    return _certificate_response(registration)


@staff_required
@require_POST
def evaluation_send(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    try:
        sent = services.evaluation_send(
            actor=request.user,
            agency=request.agency,
            event=event,
        )
    except services.FollowUpError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext(
                "The evaluation is on its way to %(count)s participant.",
                "The evaluation is on its way to %(count)s participants.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("events_staff:detail", event.pk)


# --- Participants' downloads ---------------------------------------------------------------------


def _certificate_response(registration: Registration) -> HttpResponse:
    certificate = (
        Certificate.objects.select_related("registration__event__agency", "registration__library")
        .filter(registration=registration, registration__anonymised=False)
        .first()
    )
    if certificate is None:
        raise Http404
    return pdf_response(
        certificate_pdf(certificate), certificate_filename(certificate.registration)
    )


def registration_certificate(request: AgencyRequest, token: str) -> HttpResponse:
    """The certificate through the personal link: the link is the credential."""
    registration = registration_for_token(token)
    if registration is None:
        raise Http404
    return _certificate_response(registration)


def own_registrations(user: Actor) -> QuerySet[Registration]:
    """Registrations made by the user or under one of their verified e-mail addresses."""
    emails = set(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    match = Q(user=user)
    for email in emails:
        match |= Q(email__iexact=email)
    return Registration.objects.filter(match)


@login_required
def my_certificate(request: StaffRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(own_registrations(request.user), pk=pk)
    return _certificate_response(registration)
