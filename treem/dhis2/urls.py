from django.urls import path

from treem.dhis2 import views

app_name = "dhis2"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("<uuid:province_id>/", views.mapping_view, name="mapping"),
    path("<uuid:province_id>/template/", views.template_view, name="template"),
    path("<uuid:province_id>/export/", views.export_view, name="export"),
]
