"""Class sets in the admin, read-only: titles, sets and bookings change through the services
(the booking rule under the title's lock, the audit log) on the staff pages. Settings and the
holiday periods are the agency's rules, set here by an operator."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bokbro.classsets import models
from bokbro.core.admin import ReadOnlyAdmin


@admin.register(models.Settings)
class SettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "default_weeks", "max_weeks", "hold_hours", "replacement_price"]


@admin.register(models.HolidayPeriod)
class HolidayPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "starts_on", "ends_on"]
    list_filter = ["agency"]


@admin.register(models.Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]


@admin.register(models.Title)
class TitleAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "isbn", "agency", "language"]
    list_filter = ["agency", "language", "easy_to_read"]
    search_fields = ["title", "author", "isbn"]


@admin.register(models.ClassSet)
class ClassSetAdmin(ReadOnlyAdmin):
    list_display = ["title", "copies", "home_library"]
    list_select_related = ["title", "home_library"]


@admin.register(models.Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["title", "copies", "starts_on", "ends_on", "school", "status"]
    list_filter = ["agency", "status"]
    list_select_related = ["title", "school"]
    date_hierarchy = "starts_on"


@admin.register(models.Loss)
class LossAdmin(ReadOnlyAdmin):
    list_display = ["class_set", "copies", "price", "created_at"]
    list_select_related = ["class_set", "class_set__title"]


@admin.register(models.Basket)
class BasketAdmin(ReadOnlyAdmin):
    list_display = ["pk", "agency", "created_at"]
    list_filter = ["agency"]


@admin.register(models.QueueEntry)
class QueueEntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "copies", "starts_on", "ends_on", "status", "created_at"]
    list_filter = ["agency", "status"]
    list_select_related = ["title"]


class RouteLibraryInline(admin.TabularInline):
    model = models.RouteLibrary
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.CourierRoute)
class CourierRouteAdmin(ReadOnlyAdmin):
    """Routes change on the staff pages (a library on one route per agency, audited)."""

    list_display = ["name", "agency", "weekday"]
    list_filter = ["agency"]
    inlines = [RouteLibraryInline]
