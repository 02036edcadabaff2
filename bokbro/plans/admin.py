"""Read-only admin views: plans, municipal plans and dialogues change through the services (their
rules and the audit log), on the staff pages."""

from django.contrib import admin

from bokbro.plans import models


class ReadOnly(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(models.Plan)
class PlanAdmin(ReadOnly):
    list_display = ["title", "agency", "kind", "starts_year", "ends_year", "is_published"]
    list_filter = ["agency", "kind", "is_published"]
    search_fields = ["title"]


@admin.register(models.MunicipalPlan)
class MunicipalPlanAdmin(ReadOnly):
    list_display = ["municipality", "title", "agency", "starts_year", "ends_year"]
    list_filter = ["agency"]
    search_fields = ["title", "municipality__name"]


@admin.register(models.Dialogue)
class DialogueAdmin(ReadOnly):
    list_display = ["municipality", "year", "date", "agency"]
    list_filter = ["agency", "year"]
