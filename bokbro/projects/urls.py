from django.urls import path

from bokbro.projects.views import documents, funders, parts, projects, public

app_name = "projects"

urlpatterns = [
    # Public pages
    path("", public.project_list, name="list"),
    path("completed/", public.completed, name="completed"),
    path("<int:pk>/", public.detail, name="detail"),
    # The agency's staff (and, read-only, partner agencies' staff)
    path("staff/", projects.project_list, name="staff_list"),
    path("staff/projects.csv", projects.export_csv, name="export_csv"),
    path("staff/projects.xlsx", projects.export_xlsx, name="export_xlsx"),
    path("staff/new/", projects.project_create, name="create"),
    path("staff/funders/", funders.funders, name="funders"),
    path("staff/funders/<int:pk>/", funders.funder_edit, name="funder_edit"),
    path("staff/<int:pk>/", projects.project_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", projects.project_edit, name="edit"),
    path("staff/<int:pk>/documents/new/", documents.document_add, name="document_add"),
    path(
        "staff/<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "staff/<int:pk>/documents/<int:document_pk>/remove/",
        documents.document_remove,
        name="document_remove",
    ),
    path("staff/<int:pk>/<slug:part>/new/", parts.part_create, name="part_create"),
    path("staff/<int:pk>/<slug:part>/<int:item_pk>/", parts.part_edit, name="part_edit"),
    path(
        "staff/<int:pk>/<slug:part>/<int:item_pk>/delete/",
        parts.part_delete,
        name="part_delete",
    ),
]
