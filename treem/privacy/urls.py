"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = []

# Unusual access and breaches (treem/privacy/alerts).
from django.urls import include, path  # noqa: E402

from treem.privacy.alerts import urls as alerts_urls  # noqa: E402

urlpatterns += [path("alerts/", include(alerts_urls.alert_patterns)),
                path("breaches/", include(alerts_urls.breach_patterns))]
