from django.urls import path

from bokbro.newsletter import staff_views, views

app_name = "newsletter"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("subscribed/", views.subscribe_sent, name="subscribe_sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("archive/", views.archive, name="archive"),
    path("archive/feed.atom", views.feed, name="feed"),
    path("archive/<int:pk>/", views.issue, name="issue"),
    path("images/<slug:key>/", views.image, name="image"),
    # The agency's staff.
    path("staff/", staff_views.overview, name="staff"),
    path("staff/lists/new/", staff_views.list_create, name="list_create"),
    path("staff/lists/<int:pk>/", staff_views.list_detail, name="list_detail"),
    path("staff/lists/<int:pk>/edit/", staff_views.list_edit, name="list_edit"),
    path("staff/lists/<int:pk>/import/", staff_views.list_import, name="list_import"),
    path("staff/issues/new/", staff_views.issue_create, name="issue_create"),
    path("staff/issues/<int:pk>/", staff_views.issue_detail, name="issue_detail"),
    path("staff/issues/<int:pk>/edit/", staff_views.issue_edit, name="issue_edit"),
    path("staff/issues/<int:pk>/email/", staff_views.issue_preview_email, name="issue_email"),
    path("staff/issues/<int:pk>/test/", staff_views.issue_test, name="issue_test"),
    path("staff/issues/<int:pk>/schedule/", staff_views.issue_schedule, name="issue_schedule"),
    path(
        "staff/issues/<int:pk>/unschedule/",
        staff_views.issue_unschedule,
        name="issue_unschedule",
    ),
    path("staff/issues/<int:pk>/images/", staff_views.issue_image_add, name="issue_image_add"),
]
