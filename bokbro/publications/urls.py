from django.urls import path

from bokbro.publications.views import magazine, public, scanning, staff

app_name = "publications"

urlpatterns = [
    # Public: the archive, a publication, its PDF, the feed
    path("", public.archive, name="archive"),
    path("feed.atom", public.feed, name="feed"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/file/", public.file, name="file"),
    path("<int:pk>/cover/", public.cover, name="cover"),
    # Horizon scanning: the public list and feed, the team's quick form
    path("scanning/", scanning.scanning, name="scanning"),
    path("scanning/feed.atom", scanning.scanning_feed, name="scanning_feed"),
    path("scanning/staff/", scanning.scanning_staff, name="scanning_staff"),
    path("scanning/staff/newsletter/", scanning.scanning_newsletter, name="scanning_newsletter"),
    path("scanning/staff/<int:pk>/", scanning.scanning_edit, name="scanning_edit"),
    path("scanning/staff/<int:pk>/delete/", scanning.scanning_delete, name="scanning_delete"),
    # The magazine: published issues, articles, the print PDF and the feed; the team's pages
    path("magazine/", magazine.issues, name="issues"),
    path("magazine/feed.atom", magazine.feed, name="magazine_feed"),
    path("magazine/<int:pk>/", magazine.issue, name="issue"),
    path("magazine/<int:pk>/print.pdf", magazine.print_pdf, name="issue_pdf"),
    path("magazine/<int:pk>/<int:article_pk>/", magazine.article, name="article"),
    path(
        "magazine/<int:pk>/<int:article_pk>/pictures/<int:picture_pk>/",
        magazine.picture,
        name="picture",
    ),
    path("magazine/staff/", magazine.staff_issues, name="staff_issues"),
    path("magazine/staff/<int:pk>/", magazine.issue_edit, name="issue_edit"),
    path("magazine/staff/<int:pk>/new/", magazine.article_add, name="article_add"),
    path("magazine/staff/<int:pk>/announce/", magazine.issue_announce, name="issue_announce"),
    path("magazine/staff/<int:pk>/<int:article_pk>/", magazine.article_edit, name="article_edit"),
    path(
        "magazine/staff/<int:pk>/<int:article_pk>/delete/",
        magazine.article_delete,
        name="article_delete",
    ),
    path(
        "magazine/staff/<int:pk>/<int:article_pk>/pictures/<int:picture_pk>/",
        magazine.picture_edit,
        name="picture_edit",
    ),
    path(
        "magazine/staff/<int:pk>/<int:article_pk>/pictures/<int:picture_pk>/delete/",
        magazine.picture_delete,
        name="picture_delete",
    ),
    # The agency's team
    path("staff/", staff.staff_list, name="staff"),
    path("staff/new/", staff.create, name="create"),
    path("staff/<int:pk>/", staff.edit, name="edit"),
    path("staff/<int:pk>/delete/", staff.delete, name="delete"),
]
