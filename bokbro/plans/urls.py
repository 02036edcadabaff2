"""The plans module's pages: the plan and its register (urls_plans.py) and the follow-up and
annual report (urls_report.py), under one namespace."""

from bokbro.plans.urls_plans import urlpatterns as plan_patterns
from bokbro.plans.urls_report import urlpatterns as report_patterns

app_name = "plans"
urlpatterns = [*plan_patterns, *report_patterns]
