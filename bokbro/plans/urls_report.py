"""The follow-up of the plan per year, and the annual report (web, PDF, XLSX)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
