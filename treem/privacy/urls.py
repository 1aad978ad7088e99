"""The privacy pages, each sub-domain's from its own urls module."""

from django.urls import URLPattern, URLResolver
from django.urls import include as _include  # noqa: I001 - one line per sub-domain's include
from django.urls import path as _path

app_name = "privacy"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += [_path("population/", _include("treem.privacy.population.urls"))]
