"""The follow-up of the plan per year, and the annual report (web, PDF, XLSX)."""

from django.urls import path

from bokbro.plans import report_views

urlpatterns = [
    path("followup/", report_views.followup, name="followup"),
    path("report/<int:year>/", report_views.report, name="report"),
    path("report/<int:year>/texts/", report_views.report_texts, name="report_texts"),
    path("report/<int:year>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("report/<int:year>/report.xlsx", report_views.report_xlsx, name="report_xlsx"),
]
