"""Networks in the admin, read-only: every change goes through the services (the audit log, the
membership rule) on the coordinators' pages."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.networks import models


@admin.register(models.Network)
class NetworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "joining"]
    list_filter = ["agency", "joining"]
    search_fields = ["name"]


@admin.register(models.Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "network", "status", "is_coordinator"]
    list_filter = ["status", "is_coordinator"]
    list_select_related = ["person", "network"]


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "added_at"]
    list_select_related = ["network"]


@admin.register(models.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["event", "network", "notes_published_at"]
    list_select_related = ["event", "network"]
