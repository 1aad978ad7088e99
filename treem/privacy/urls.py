"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = [
    path("processing/", include("treem.privacy.processing.urls")),
    path("requests/", include("treem.privacy.requests.urls")),
    path("population/", include("treem.privacy.population.urls")),
    path("", include("treem.privacy.retention.urls")),  # retention/…
    path("", include("treem.privacy.extracts.urls")),   # extracts/…
]
