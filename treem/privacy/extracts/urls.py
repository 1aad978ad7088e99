"""The extracts' pages, under /privacy/extracts/."""

from django.urls import URLPattern, path

from treem.privacy.extracts import views

urlpatterns: list[URLPattern] = [
    path("extracts/", views.extract_list_view, name="extract_list"),
    path("extracts/new/", views.extract_request_view, name="extract_request"),
    path("extracts/<uuid:extract_id>/", views.extract_detail_view, name="extract_detail"),
    path("extracts/<uuid:extract_id>/decide/", views.extract_decide_view,
         name="extract_decide"),
    path("extracts/<uuid:extract_id>/download/", views.extract_download_view,
         name="extract_download"),
]
