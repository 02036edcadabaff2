from django.contrib import admin
from django.urls import include, path

from bokbro.api import api

urlpatterns = [
    path("", include("bokbro.core.urls")),
    path("directory/", include("bokbro.directory.urls")),
    path("staff/events/", include("bokbro.events.staff_urls")),
    path("events/", include("bokbro.events.urls")),
    path("advisory/", include("bokbro.advisory.urls")),
    path("projects/", include("bokbro.projects.urls")),
    path("newsletter/", include("bokbro.newsletter.urls")),
    path("plans/", include("bokbro.plans.urls")),
    path("me/", include("bokbro.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "bokbro.core.views.bad_request"
handler403 = "bokbro.core.views.permission_denied"
handler404 = "bokbro.core.views.page_not_found"
handler500 = "bokbro.core.views.server_error"
