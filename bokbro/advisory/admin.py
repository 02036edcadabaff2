from django.contrib import admin

from bokbro.advisory import models


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name"]


@admin.register(models.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-only: consultations change through the services (rules and the audit log)."""

    list_display = ["date", "kind", "agency", "consultant", "hours"]
    list_filter = ["agency", "kind"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(models.Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "consultant", "starts_on", "ends_on"]
    list_filter = ["agency"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
