from django.urls import path

from bokbro.events.views import attendance, economy, material, participants, seats, staff

app_name = "events_staff"
urlpatterns = [
    path("", staff.event_list, name="list"),
    path("new/", staff.event_create, name="create"),
    path("<int:pk>/", staff.event_detail, name="detail"),
    path("<int:pk>/edit/", staff.event_edit, name="edit"),
    path("<int:pk>/publish/", staff.event_publish, name="publish"),
    path("<int:pk>/copy/", staff.event_copy, name="copy"),
    path("<int:pk>/cancel/", staff.event_cancel, name="cancel"),
    path("<int:pk>/participants/", participants.participants, name="participants"),
    path("<int:pk>/participants/register/", participants.participant_register, name="register"),
    path(
        "<int:pk>/participants/<int:registration_pk>/<slug:action>/",
        participants.participant_action,
        name="participant_action",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/",
        participants.session_places,
        name="session_places",
    ),
    path("<int:pk>/participants.csv", participants.export_csv, name="export_csv"),
    path("<int:pk>/participants.xlsx", participants.export_xlsx, name="export_xlsx"),
    path("<int:pk>/email/", participants.participants_email, name="email"),
    path("<int:pk>/seats/", seats.seats, name="seats"),
    path("<int:pk>/seats/until/", seats.group_seats_until, name="group_seats_until"),
    path("<int:pk>/seats/<int:pool_pk>/", seats.seat_pool_edit, name="seat_pool_edit"),
    path("<int:pk>/seats/<int:pool_pk>/delete/", seats.seat_pool_delete, name="seat_pool_delete"),
    path("<int:pk>/material/", material.material, name="material"),
    path(
        "<int:pk>/material/<int:material_pk>/remove/",
        material.material_remove,
        name="material_remove",
    ),
    path(
        "<int:pk>/material/<int:material_pk>/download/",
        material.material_download,
        name="material_download",
    ),
    path("<int:pk>/economy/", economy.economy, name="economy"),
    path("<int:pk>/economy/<int:line_pk>/edit/", economy.budget_line_edit, name="budget_line_edit"),
    path(
        "<int:pk>/economy/<int:line_pk>/delete/",
        economy.budget_line_delete,
        name="budget_line_delete",
    ),
    path("economy/<int:year>/", economy.economy_year, name="economy_year"),
    path("economy/<int:year>.csv", economy.economy_year_csv, name="economy_year_csv"),
    path("economy/<int:year>.xlsx", economy.economy_year_xlsx, name="economy_year_xlsx"),
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "<int:pk>/attendance/<int:session_pk>/",
        attendance.attendance,
        name="attendance_session",
    ),
    path(
        "<int:pk>/attendance/<int:session_pk>/<int:registration_pk>/",
        attendance.attendance_mark,
        name="attendance_mark",
    ),
    path("<int:pk>/attendance.pdf", attendance.attendance_pdf, name="attendance_pdf"),
    path(
        "<int:pk>/certificates/issue/",
        attendance.certificates_issue,
        name="certificates_issue",
    ),
    path(
        "<int:pk>/certificates/<int:registration_pk>.pdf",
        attendance.certificate_download,
        name="certificate",
    ),
    path("<int:pk>/evaluation/send/", attendance.evaluation_send, name="evaluation_send"),
]
