"""The pages of alerts (under privacy/alerts/) and breaches (under privacy/breaches/)."""

from django.urls import path

from treem.privacy.alerts import views

AS_PDF = {"as_pdf": True}

alert_patterns = [
    path("", views.alert_list_view, name="alert_list"),
    path("<uuid:alert_id>/", views.alert_detail_view, name="alert_detail"),
    path("<uuid:alert_id>/decide/", views.alert_decide_view, name="alert_decide"),
]

breach_patterns = [
    path("", views.breach_list_view, name="breach_list"),
    path("new/", views.breach_create_view, name="breach_create"),
    path("<uuid:breach_id>/", views.breach_detail_view, name="breach_detail"),
    path("<uuid:breach_id>/edit/", views.breach_edit_view, name="breach_edit"),
    path("<uuid:breach_id>/print/", views.breach_print_view, name="breach_print"),
    path("<uuid:breach_id>/pdf/", views.breach_print_view, AS_PDF, name="breach_pdf"),
]
