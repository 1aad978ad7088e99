"""The retention pages, under /privacy/retention/."""

from django.urls import URLPattern, path

from treem.privacy.retention import views

urlpatterns: list[URLPattern] = [
    path("retention/rules/", views.rule_list_view, name="retention_rule_list"),
    path("retention/rules/<slug:kind>/", views.rule_edit_view, name="retention_rule_edit"),
    path("retention/due/", views.due_list_view, name="retention_due_list"),
    path("retention/due/<uuid:due_id>/", views.due_detail_view, name="retention_due_detail"),
    path("retention/due/<uuid:due_id>/decide/", views.due_decide_view,
         name="retention_due_decide"),
    path("retention/holds/", views.hold_list_view, name="retention_hold_list"),
    path("retention/holds/new/", views.hold_place_view, name="retention_hold_place"),
    path("retention/holds/<uuid:hold_id>/lift/", views.hold_lift_view,
         name="retention_hold_lift"),
]
