"""The fund's needs pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
