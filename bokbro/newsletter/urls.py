from django.urls import path

from bokbro.newsletter.views import issues, lists, public

app_name = "newsletter"
urlpatterns = [
    path("", public.subscribe, name="subscribe"),
    path("subscribed/", public.subscribe_sent, name="subscribe_sent"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", public.preferences, name="preferences"),
    path("archive/", public.archive, name="archive"),
    path("archive/feed.atom", public.feed, name="feed"),
    path("archive/<int:pk>/", public.issue, name="issue"),
    path("images/<slug:key>/", public.image, name="image"),
    # The agency's staff.
    path("staff/", lists.overview, name="staff"),
    path("staff/lists/new/", lists.list_create, name="list_create"),
    path("staff/lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("staff/lists/<int:pk>/edit/", lists.list_edit, name="list_edit"),
    path("staff/lists/<int:pk>/import/", lists.list_import, name="list_import"),
    path("staff/issues/new/", issues.issue_create, name="issue_create"),
    path("staff/issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("staff/issues/<int:pk>/edit/", issues.issue_edit, name="issue_edit"),
    path("staff/issues/<int:pk>/email/", issues.issue_preview_email, name="issue_email"),
    path("staff/issues/<int:pk>/test/", issues.issue_test, name="issue_test"),
    path("staff/issues/<int:pk>/schedule/", issues.issue_schedule, name="issue_schedule"),
    path(
        "staff/issues/<int:pk>/unschedule/",
        issues.issue_unschedule,
        name="issue_unschedule",
    ),
    path("staff/issues/<int:pk>/images/", issues.issue_image_add, name="issue_image_add"),
]
