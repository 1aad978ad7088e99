from django.urls import path

from treem.offline import review_views, views

app_name = "offline"

urlpatterns = [
    path("", views.app_view, name="app"),
    path("sw.js", views.service_worker_view, name="service_worker"),
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("review/", review_views.review_list_view, name="review_list"),
    path("review/<uuid:operation_id>/", review_views.review_detail_view, name="review_detail"),
    path("devices/", review_views.device_list_view, name="device_list"),
    path("devices/<uuid:device_id>/lost/", review_views.device_lost_view, name="device_lost"),
]
