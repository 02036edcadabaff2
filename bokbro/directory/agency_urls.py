from django.urls import path

from bokbro.directory import agency_views as views

app_name = "agency"
urlpatterns = [
    path("team/", views.team, name="team"),
    path("agency.css", views.style, name="style"),
    path("agency-logo", views.logo, name="logo"),
    path("staff/audit/", views.audit_log_list, name="audit_log"),
    path("staff/agency/", views.agency_edit, name="agency_edit"),
    path("staff/team/", views.team_manage, name="team_manage"),
    path("staff/team/new/", views.team_member_create, name="team_member_create"),
    path("staff/team/<int:pk>/edit/", views.team_member_edit, name="team_member_edit"),
    path("staff/team/<int:pk>/delete/", views.team_member_delete, name="team_member_delete"),
]
