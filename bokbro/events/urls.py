from django.urls import path

from bokbro.events.views import attendance, material, public, registration

app_name = "events"
urlpatterns = [
    path("", public.calendar, name="calendar"),
    path("archive/", public.archive, name="archive"),
    path("month/<int:year>/<int:month>/", public.month, name="month"),
    path("feed.ics", public.feed, name="feed"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/event.ics", public.event_ics, name="ics"),
    path("<int:pk>/register/", registration.register, name="register"),
    path(
        "<int:pk>/register-colleagues/",
        registration.register_colleagues,
        name="register_colleagues",
    ),
    path("<int:pk>/register/sent/", registration.register_sent, name="register_sent"),
    path("registration/<slug:token>/", registration.registration, name="registration"),
    path(
        "registration/<slug:token>/cancel/",
        registration.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "registration/<slug:token>/sessions/",
        registration.registration_sessions,
        name="registration_sessions",
    ),
    path(
        "registration/<slug:token>/confirm/",
        registration.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "registration/<slug:token>/accept/",
        registration.registration_accept,
        name="registration_accept",
    ),
    path(
        "registration/<slug:token>/decline/",
        registration.registration_decline,
        name="registration_decline",
    ),
    path(
        "registration/<slug:token>/material/<int:material_pk>/",
        material.participant_download,
        name="material_download",
    ),
    path("approvals/", registration.approvals, name="approvals"),
    path(
        "approvals/<int:pk>/<str:decision>/", registration.approval_decide, name="approval_decide"
    ),
    path("mine/", registration.my_events, name="mine"),
    path("mine/<int:pk>/certificate.pdf", attendance.my_certificate, name="my_certificate"),
    path(
        "registration/<slug:token>/certificate.pdf",
        attendance.registration_certificate,
        name="registration_certificate",
    ),
]
