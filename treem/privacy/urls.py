"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = []
