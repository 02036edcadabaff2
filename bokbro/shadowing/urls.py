from django.urls import path

from bokbro.shadowing.views import applications, manage, public

app_name = "shadowing"

urlpatterns = [
    # Public: the offers; applying; one's own job shadowing
    path("", public.index, name="index"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/apply/", public.apply, name="apply"),
    path("mine/", public.mine, name="mine"),
    # An application and its agreement: the applicant, their manager, the host, the agency
    path("applications/<int:pk>/", applications.application, name="application"),
    path("applications/<int:pk>/consent/", applications.consent, name="consent"),
    path("applications/<int:pk>/decide/", applications.decide, name="decide"),
    path("applications/<int:pk>/withdraw/", applications.withdraw, name="withdraw"),
    path("applications/<int:pk>/travel/", applications.travel, name="travel"),
    path("applications/<int:pk>/report/", applications.report, name="report"),
    # Hosts and the agency's team
    path("new/", manage.create, name="create"),
    path("<int:pk>/edit/", manage.edit, name="edit"),
    path("<int:pk>/manage/", manage.manage, name="manage"),
    path("staff/", manage.overview, name="overview"),
    path("staff/job-shadowing.csv", manage.export_csv, name="export_csv"),
    path("staff/job-shadowing.xlsx", manage.export_xlsx, name="export_xlsx"),
]
