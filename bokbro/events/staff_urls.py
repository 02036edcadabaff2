from django.urls import path

from bokbro.events import staff_views as views

app_name = "events_staff"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/copy/", views.event_copy, name="copy"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/participants/register/", views.participant_register, name="register"),
    path(
        "<int:pk>/participants/<int:registration_pk>/<slug:action>/",
        views.participant_action,
        name="participant_action",
    ),
    path("<int:pk>/participants.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/participants.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/email/", views.participants_email, name="email"),
]
