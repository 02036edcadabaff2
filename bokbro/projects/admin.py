"""Projects in the admin, read-only: every part of a project changes through the services (the
funders' rules, the audit log, documents leaving storage), on the staff pages."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.projects import models


@admin.register(models.Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "status", "starts_on", "ends_on", "is_published"]
    list_filter = ["agency", "status", "is_published"]
    list_select_related = ["agency"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"


@admin.register(models.Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["project", "role", "library", "municipality", "agency"]
    list_filter = ["role"]
    list_select_related = ["project", "library", "municipality", "agency"]
    search_fields = ["project__title", "library__name", "municipality__name"]


@admin.register(models.Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]


@admin.register(models.Funder)
class FunderAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "is_own", "min_own_share", "min_applied"]
    list_filter = ["agency", "is_own"]
    list_select_related = ["agency"]
    search_fields = ["name"]


@admin.register(models.FundingLine)
class FundingLineAdmin(ReadOnlyAdmin):
    list_display = ["project", "funder", "year", "applied", "granted", "reported"]
    list_filter = ["year"]
    list_select_related = ["project", "funder"]
    search_fields = ["project__title", "funder__name"]


@admin.register(models.StatusReport)
class StatusReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "year", "funder", "due_on", "submitted_on"]
    list_filter = ["year"]
    list_select_related = ["project", "funder"]
    search_fields = ["project__title"]


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "kind", "size", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
