from django.contrib import admin

from bokbro.core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through a service (rules, the audit log, files leaving
    storage): the admin shows them to operators and never becomes a way around the service."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "agency", "target_repr"]
    list_filter = ["agency"]
    search_fields = ["action", "target_repr"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
