from django.urls import path

from bokbro.networks.views import manage, meetings, public

app_name = "networks"

urlpatterns = [
    # Public: the networks and each network's page; joining and leaving
    path("", public.index, name="index"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/join/", public.join, name="join"),
    path("<int:pk>/leave/", public.leave, name="leave"),
    # Members only: documents, meeting notes, the member list
    path("<int:pk>/members/", public.material, name="material"),
    path("<int:pk>/documents/<int:document_pk>/", public.document, name="document"),
    # The coordinators and the agency's team
    path("new/", manage.create, name="create"),
    path("<int:pk>/manage/", manage.manage, name="manage"),
    path("<int:pk>/edit/", manage.edit, name="edit"),
    path("<int:pk>/manage/members/", manage.member_set, name="member_set"),
    path("<int:pk>/manage/members.csv", manage.members_csv, name="members_csv"),
    path("<int:pk>/manage/members/<int:membership_pk>/decide/", manage.decide, name="decide"),
    path(
        "<int:pk>/manage/members/<int:membership_pk>/remove/",
        manage.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/manage/documents/new/", manage.document_add, name="document_add"),
    path(
        "<int:pk>/manage/documents/<int:document_pk>/remove/",
        manage.document_remove,
        name="document_remove",
    ),
    path("<int:pk>/manage/mail/", manage.mail, name="mail"),
    path("<int:pk>/manage/meetings/new/", meetings.meeting_add, name="meeting_add"),
    path(
        "<int:pk>/manage/meetings/<int:meeting_pk>/invite/",
        meetings.meeting_invite,
        name="meeting_invite",
    ),
    path(
        "<int:pk>/manage/meetings/<int:meeting_pk>/notes/",
        meetings.meeting_notes,
        name="meeting_notes",
    ),
]
