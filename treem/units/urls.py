from django.urls import path

from treem.units import views

app_name = "geo"

urlpatterns = [
    path("", views.unit_browse_view, name="unit_browse"),
    path("<uuid:unit_id>/", views.unit_detail_view, name="unit_detail"),
    path("<uuid:unit_id>/villages/new/", views.village_create_view, name="village_create"),
    path("<uuid:unit_id>/edit/", views.village_edit_view, name="village_edit"),
]
