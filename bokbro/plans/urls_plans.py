"""The agency's plan, the municipal plan register and the annual dialogues."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
