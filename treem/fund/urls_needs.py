"""The fund's needs pages: the needs list, matching, allocations and deliveries."""

from django.urls import URLPattern, path

from treem.fund import needs_views, needs_views_allocations, needs_views_matching

urlpatterns: list[URLPattern] = [
    path("needs/", needs_views.need_list_view, name="need_list"),
    path("needs/export/", needs_views.need_export_view, name="need_export"),
    path("needs/new/", needs_views.need_propose_view, name="need_propose"),
    path("needs/<uuid:need_id>/", needs_views.need_detail_view, name="need_detail"),
    path("needs/<uuid:need_id>/decide/", needs_views.need_decide_view, name="need_decide"),
    path("needs/<uuid:need_id>/withdraw/", needs_views.need_cancel_view, name="need_cancel"),
    path("needs/<uuid:need_id>/allocate/", needs_views_matching.allocate_view,
         name="allocate"),
    path("match/", needs_views_matching.match_view, name="match"),
    path("allocations/", needs_views_allocations.allocation_list_view, name="allocation_list"),
    path("allocations/<uuid:allocation_id>/", needs_views_allocations.allocation_detail_view,
         name="allocation_detail"),
    path("allocations/<uuid:allocation_id>/decide/",
         needs_views_allocations.allocation_decide_view, name="allocation_decide"),
    path("allocations/<uuid:allocation_id>/cancel/",
         needs_views_allocations.allocation_cancel_view, name="allocation_cancel"),
    path("allocations/<uuid:allocation_id>/deliver/",
         needs_views_allocations.delivery_record_view, name="delivery_record"),
    path("proofs/<uuid:proof_id>/", needs_views_allocations.proof_file_view,
         name="proof_file"),
]
