from django.urls import path

from treem.indicators import entry_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("<uuid:indicator_id>/", views.indicator_view, name="indicator"),
    path("targets/", views.target_list_view, name="target_list"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
    path("catalogue/<uuid:set_id>/", views.set_detail_view, name="set_detail"),
    path("targets/template/", views.target_template_view, name="target_template"),
    path("entry/", entry_views.entry_view, name="entry"),
    path("figures/<uuid:figure_id>/history/", entry_views.figure_history_view,
         name="figure_history"),
]
