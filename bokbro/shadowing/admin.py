"""Job shadowing in the admin, read-only: every change goes through the services (the places,
the consent, the audit log) on the hosts' and applicants' pages."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.shadowing.models import Application, Offer, ProjectTravelFunding


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "host_library", "starts_on", "places", "places_taken"]
    list_filter = ["agency"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["offer", "library", "status", "starts_on"]
    list_filter = ["status"]


@admin.register(ProjectTravelFunding)
class ProjectTravelFundingAdmin(ReadOnlyAdmin):
    list_display = ["project", "granting_agency", "year", "line"]
