"""The mobile library in the admin, read-only: timetables change through the services (the
rules of a visit, the audit log), on the staff pages or by import."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.mobile import models


@admin.register(models.Vehicle)
class VehicleAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "operator"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(models.Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ["name", "vehicle", "agency"]
    list_filter = ["agency"]
    list_select_related = ["vehicle", "agency"]
    search_fields = ["name", "vehicle__name"]


@admin.register(models.Stop)
class StopAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "kind", "municipality", "agency"]
    list_filter = ["agency", "kind"]
    list_select_related = ["municipality", "agency"]
    search_fields = ["name", "community"]


@admin.register(models.Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["stop", "route", "arrival", "departure", "rule", "starts_on", "ends_on"]
    list_filter = ["agency"]
    list_select_related = ["stop", "route__vehicle"]
    search_fields = ["stop__name", "route__name"]


@admin.register(models.Cancellation)
class CancellationAdmin(ReadOnlyAdmin):
    list_display = ["visit", "date", "reason"]
    list_select_related = ["visit__stop"]
    date_hierarchy = "date"


@admin.register(models.SchoolHoliday)
class SchoolHolidayAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "starts_on", "ends_on"]
    list_filter = ["agency"]


@admin.register(models.Follower)
class FollowerAdmin(ReadOnlyAdmin):
    list_display = ["stop", "agency", "created_at", "confirmed_at"]
    list_filter = ["agency"]
    list_select_related = ["stop", "agency"]
    search_fields = ["email"]


@admin.register(models.Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["visit", "date", "sent_at"]
    list_select_related = ["visit__stop"]
    date_hierarchy = "date"


@admin.register(models.ExtraVisit)
class ExtraVisitAdmin(ReadOnlyAdmin):
    list_display = ["stop", "route", "date", "arrival", "departure", "reason"]
    list_filter = ["agency"]
    list_select_related = ["stop", "route__vehicle"]
    date_hierarchy = "date"


@admin.register(models.Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "starts_on", "ends_on", "publish_on"]
    list_filter = ["agency"]


@admin.register(models.VisitCount)
class VisitCountAdmin(ReadOnlyAdmin):
    list_display = ["visit", "date", "loans", "returns", "visitors"]
    list_filter = ["agency"]
    list_select_related = ["visit__stop"]
    date_hierarchy = "date"


@admin.register(models.PauseKinds)
class PauseKindsAdmin(ReadOnlyAdmin):
    list_display = ["agency", "kinds"]
