from django.contrib import admin

from bokbro.events import models


class SessionInline(admin.TabularInline):
    model = models.Session
    extra = 0


class QuestionInline(admin.TabularInline):
    model = models.Question
    extra = 0


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "starts_at", "status", "capacity", "seats_taken"]
    list_filter = ["agency", "kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["seats_taken"]
    inlines = [SessionInline, QuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change through the services (seat accounting)."""

    list_display = ["name", "event", "status", "library", "created_at"]
    list_filter = ["status", "event__agency"]
    search_fields = ["name", "email"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
