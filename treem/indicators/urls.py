from django.urls import path

from treem.indicators import views

app_name = "indicators"

urlpatterns = [
    path("entry/", views.entry_view, name="entry"),
    path("figures/<uuid:figure_id>/history/", views.figure_history_view, name="figure_history"),
]
