from django.urls import path, register_converter

from bokbro.directory import manager_views, views


class CountryConverter:
    regex = "no|se"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value.lower()


class CodeConverter:
    """An official county or municipality number: digits only."""

    regex = "[0-9]{1,4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CountryConverter, "country")
register_converter(CodeConverter, "code")

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("<country:country>/<code:code>/", views.county_detail, name="county"),
    path(
        "municipalities/<country:country>/<code:code>/",
        views.municipality_detail,
        name="municipality",
    ),
    path(
        "municipalities/<country:country>/<code:code>/profile/",
        views.municipality_profile,
        name="municipality_profile",
    ),
    path("libraries/", views.library_list, name="library_list"),
    path("libraries/new/", views.library_create, name="library_create"),
    path("libraries/<int:pk>/", views.library_detail, name="library"),
    path("libraries/<int:pk>/edit/", views.library_edit, name="library_edit"),
    path("libraries/<int:pk>/profile/", views.library_profile, name="library_profile"),
    path("libraries/<int:pk>/details/", manager_views.library_details, name="library_details"),
    path("libraries/<int:pk>/people/", manager_views.library_people, name="library_people"),
    path(
        "libraries/<int:pk>/people/add/",
        manager_views.library_colleague_add,
        name="library_colleague_add",
    ),
    path(
        "libraries/<int:pk>/people/<int:person_pk>/remove/",
        manager_views.library_colleague_remove,
        name="library_colleague_remove",
    ),
    path(
        "libraries/<int:pk>/pending/<int:pending_pk>/confirm/",
        manager_views.library_pending_confirm,
        name="library_pending_confirm",
    ),
    path(
        "libraries/<int:pk>/pending/<int:pending_pk>/dismiss/",
        manager_views.library_pending_dismiss,
        name="library_pending_dismiss",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:pk>/roles/", views.person_role_add, name="person_role_add"),
    path(
        "people/<int:pk>/roles/<int:role_pk>/remove/",
        views.person_role_remove,
        name="person_role_remove",
    ),
]
