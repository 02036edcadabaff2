"""Surveys, the framework and plans in the admin, read-only: they change through the services
(the audit log, the anonymity rules) on the staff pages. Answers, drafts and invitations are not
in the admin at all (core/tests/test_admin.py says why)."""

from django.contrib import admin

from bokbro.competence import models
from bokbro.core.admin import ReadOnlyAdmin


@admin.register(models.Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "kind", "status", "anonymous", "closes_on"]
    list_filter = ["agency", "kind", "status"]
    list_select_related = ["agency"]
    exclude = ["open_token"]


@admin.register(models.CompetenceArea)
class CompetenceAreaAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "order"]
    list_filter = ["agency"]


@admin.register(models.Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "starts_year", "ends_year"]
    list_filter = ["agency"]
