from django.urls import path

from bokbro.events import attendance_views, material, views

app_name = "events"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("archive/", views.archive, name="archive"),
    path("month/<int:year>/<int:month>/", views.month, name="month"),
    path("feed.ics", views.feed, name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/register-colleagues/", views.register_colleagues, name="register_colleagues"),
    path("registration/<slug:token>/", views.registration, name="registration"),
    path(
        "registration/<slug:token>/cancel/", views.registration_cancel, name="registration_cancel"
    ),
    path(
        "registration/<slug:token>/accept/", views.registration_accept, name="registration_accept"
    ),
    path(
        "registration/<slug:token>/decline/",
        views.registration_decline,
        name="registration_decline",
    ),
    path(
        "registration/<slug:token>/material/<int:material_pk>/",
        material.participant_download,
        name="material_download",
    ),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/<str:decision>/", views.approval_decide, name="approval_decide"),
    path("mine/", views.my_events, name="mine"),
    path("mine/<int:pk>/certificate.pdf", attendance_views.my_certificate, name="my_certificate"),
    path(
        "registration/<slug:token>/certificate.pdf",
        attendance_views.registration_certificate,
        name="registration_certificate",
    ),
]
