from django.urls import path

from bokbro.projects import staff_views, views

app_name = "projects"

urlpatterns = [
    # Public pages
    path("", views.project_list, name="list"),
    path("completed/", views.completed, name="completed"),
    path("<int:pk>/", views.detail, name="detail"),
    # The agency's staff (and, read-only, partner agencies' staff)
    path("staff/", staff_views.project_list, name="staff_list"),
    path("staff/projects.csv", staff_views.export_csv, name="export_csv"),
    path("staff/projects.xlsx", staff_views.export_xlsx, name="export_xlsx"),
    path("staff/new/", staff_views.project_create, name="create"),
    path("staff/funders/", staff_views.funders, name="funders"),
    path("staff/funders/<int:pk>/", staff_views.funder_edit, name="funder_edit"),
    path("staff/<int:pk>/", staff_views.project_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff_views.project_edit, name="edit"),
    path("staff/<int:pk>/documents/new/", staff_views.document_add, name="document_add"),
    path(
        "staff/<int:pk>/documents/<int:document_pk>/",
        staff_views.document_download,
        name="document_download",
    ),
    path(
        "staff/<int:pk>/documents/<int:document_pk>/remove/",
        staff_views.document_remove,
        name="document_remove",
    ),
    path("staff/<int:pk>/<slug:part>/new/", staff_views.part_create, name="part_create"),
    path("staff/<int:pk>/<slug:part>/<int:item_pk>/", staff_views.part_edit, name="part_edit"),
    path(
        "staff/<int:pk>/<slug:part>/<int:item_pk>/delete/",
        staff_views.part_delete,
        name="part_delete",
    ),
]
