"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = []

from treem.privacy.extracts import urls as extract_urls  # noqa: E402 - each sub-domain's own
from treem.privacy.retention import urls as retention_urls  # noqa: E402

urlpatterns += retention_urls.urlpatterns
urlpatterns += extract_urls.urlpatterns
