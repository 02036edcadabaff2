from django.urls import path

from bokbro.publications.views import public, staff

app_name = "publications"

urlpatterns = [
    # Public: the archive, a publication, its PDF, the feed
    path("", public.archive, name="archive"),
    path("feed.atom", public.feed, name="feed"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/file/", public.file, name="file"),
    # The agency's team
    path("staff/", staff.staff_list, name="staff"),
    path("staff/new/", staff.create, name="create"),
    path("staff/<int:pk>/", staff.edit, name="edit"),
    path("staff/<int:pk>/delete/", staff.delete, name="delete"),
]
