"""The follow-up of the plan per year, and the annual report (web, PDF, XLSX)."""

from django.urls import path

from bokbro.reports import views

# Under /plans/ like the plan pages they follow up (their addresses have not changed), in a
# namespace of their own.
app_name = "reports"
urlpatterns = [
    path("followup/", views.followup, name="followup"),
    path("report/<int:year>/", views.report, name="report"),
    path("report/<int:year>/texts/", views.report_texts, name="report_texts"),
    path("report/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("report/<int:year>/report.xlsx", views.report_xlsx, name="report_xlsx"),
]
