"""Newsletters in the admin, read-only: lists, subscriptions (with their proof of consent),
issues and their sending change only through the services, on the staff pages and the
subscriber's own links."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.newsletter import models


@admin.register(models.MailingList)
class MailingListAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "kind", "is_public", "created_at"]
    list_filter = ["agency", "kind", "is_public"]
    list_select_related = ["agency"]
    search_fields = ["name"]


@admin.register(models.Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    list_display = ["email", "mailing_list", "status", "source", "created_at", "confirmed_at"]
    list_filter = ["agency", "status", "source"]
    list_select_related = ["mailing_list"]
    search_fields = ["email", "name"]


@admin.register(models.Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["subject", "mailing_list", "status", "scheduled_at", "sent_at"]
    list_filter = ["agency", "status"]
    list_select_related = ["mailing_list"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"


@admin.register(models.Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    # One row per recipient of every issue: searched by address, never listed whole by issue.
    list_display = ["email", "issue", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["issue"]
    search_fields = ["email"]
    show_full_result_count = False


@admin.register(models.IssueImage)
class IssueImageAdmin(ReadOnlyAdmin):
    list_display = ["issue", "alt", "position"]
    list_select_related = ["issue"]
    search_fields = ["alt", "issue__subject"]
