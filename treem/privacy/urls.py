"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver, include, path

from treem.privacy.alerts import urls as alerts_urls

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = [
    path("processing/", include("treem.privacy.processing.urls")),
    path("requests/", include("treem.privacy.requests.urls")),
    path("population/", include("treem.privacy.population.urls")),
    path("alerts/", include(alerts_urls.alert_patterns)),
    path("breaches/", include(alerts_urls.breach_patterns)),
    path("", include("treem.privacy.retention.urls")),  # retention/…
    path("", include("treem.privacy.extracts.urls")),   # extracts/…
]
