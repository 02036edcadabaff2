from django.urls import path

from bokbro.events import views

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
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/<str:decision>/", views.approval_decide, name="approval_decide"),
    path("mine/", views.my_events, name="mine"),
]
