from django.contrib import admin
from django.urls import include, path

from bokbro.api import api
from bokbro.core.modules import declared

urlpatterns = [
    path("", include("bokbro.core.urls")),
    # Each module's pages, where its contract mounts them (bokbro.core.modules).
    *(
        path(mount.prefix, include(f"{module.name}.{mount.target}"))
        for module, mounts in declared("urls")
        for mount in mounts
    ),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "bokbro.core.views.bad_request"
handler403 = "bokbro.core.views.permission_denied"
handler404 = "bokbro.core.views.page_not_found"
handler500 = "bokbro.core.views.server_error"
