"""The population-database pages, under /privacy/population/."""

from django.urls import URLPattern, path

from treem.privacy.population import views

urlpatterns: list[URLPattern] = [
    path("", views.population_home_view, name="population_home"),
    path("export/", views.population_export_view, name="population_export"),
    path("batches/<uuid:check_id>/", views.population_batch_view, name="population_batch"),
    path("batches/<uuid:check_id>/file/", views.population_batch_file_view,
         name="population_batch_file"),
    path("batches/<uuid:check_id>/import/", views.population_import_view,
         name="population_import"),
    path("batches/<uuid:check_id>/left/", views.population_left_view, name="population_left"),
    path("children/<uuid:child_id>/lookup/", views.population_lookup_view,
         name="population_lookup"),
]
