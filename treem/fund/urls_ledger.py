"""The fund's ledger pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
