from django.contrib import admin

from bokbro.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "agency", "target_repr"]
    list_filter = ["agency"]
    search_fields = ["action", "target_repr"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
