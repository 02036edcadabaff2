from django.urls import path

from bokbro.publications.views import public, scanning, staff

app_name = "publications"

urlpatterns = [
    # Public: the archive, a publication, its PDF, the feed
    path("", public.archive, name="archive"),
    path("feed.atom", public.feed, name="feed"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/file/", public.file, name="file"),
    # Horizon scanning: the public list and feed, the team's quick form
    path("scanning/", scanning.scanning, name="scanning"),
    path("scanning/feed.atom", scanning.scanning_feed, name="scanning_feed"),
    path("scanning/staff/", scanning.scanning_staff, name="scanning_staff"),
    path("scanning/staff/<int:pk>/", scanning.scanning_edit, name="scanning_edit"),
    path("scanning/staff/<int:pk>/delete/", scanning.scanning_delete, name="scanning_delete"),
    # The agency's team
    path("staff/", staff.staff_list, name="staff"),
    path("staff/new/", staff.create, name="create"),
    path("staff/<int:pk>/", staff.edit, name="edit"),
    path("staff/<int:pk>/delete/", staff.delete, name="delete"),
]
