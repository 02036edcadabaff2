"""Read-only admin view of the report introductions: they change through the services (the audit
log), on the report's own page."""

from django.contrib import admin

from bokbro.reports import models


@admin.register(models.ReportText)
class ReportTextAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "section", "updated_at"]
    list_filter = ["agency", "year"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
