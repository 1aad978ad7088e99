from django.urls import path

from treem.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("<uuid:indicator_id>/", views.indicator_view, name="indicator"),
]
