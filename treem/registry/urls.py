from django.urls import path

from treem.registry import views
from treem.registry.consent import views as consent_views
from treem.registry.dedup import views as dedup_views
from treem.registry.importing import views as import_views

app_name = "registry"

urlpatterns = [
    path("", views.child_list_view, name="child_list"),
    path("new/", views.child_create_view, name="child_create"),
    path("export/", views.child_export_view, name="child_export"),
    path("<uuid:child_id>/", views.child_detail_view, name="child_detail"),
    path("<uuid:child_id>/edit/", views.child_edit_view, name="child_edit"),
    path("<uuid:child_id>/move/", views.child_move_view, name="child_move"),
    path("<uuid:child_id>/history/<slug:kind>/", views.history_add_view, name="history_add"),
    path("history/<slug:kind>/<uuid:row_id>/end/", views.history_end_view, name="history_end"),
    path("<uuid:child_id>/caregivers/", views.caregiver_add_view, name="caregiver_add"),
    path("caregivers/<uuid:caregiver_id>/edit/", views.caregiver_edit_view,
         name="caregiver_edit"),
    path("caregivers/<uuid:caregiver_id>/remove/", views.caregiver_remove_view,
         name="caregiver_remove"),
    path("households/", views.household_list_view, name="household_list"),
    path("households/new/", views.household_create_view, name="household_create"),
    path("households/search/", views.household_search_view, name="household_search"),
    path("households/<uuid:household_id>/", views.household_detail_view,
         name="household_detail"),
    path("households/<uuid:household_id>/edit/", views.household_edit_view,
         name="household_edit"),
]

# Consents where consent is the basis (Luật 91/2025/QH15 Điều 24), on the child's page.
urlpatterns += [
    path("<uuid:child_id>/consents/", consent_views.consent_record_view, name="consent_record"),
    path("consents/<uuid:consent_id>/withdraw/", consent_views.consent_withdraw_view,
         name="consent_withdraw"),
    path("consents/<uuid:consent_id>/form/", consent_views.consent_form_view,
         name="consent_form"),
]

# Excel import of lists of children.
urlpatterns += [
    path("import/", import_views.import_upload_view, name="import_upload"),
    path("import/template/<uuid:commune_id>/", import_views.import_template_view,
         name="import_template"),
    path("import/<uuid:job_id>/", import_views.import_detail_view, name="import_detail"),
    path("import/<uuid:job_id>/commit/", import_views.import_commit_view, name="import_commit"),
    path("import/<uuid:job_id>/retry/", import_views.import_retry_view, name="import_retry"),
    path("import/<uuid:job_id>/cancel/", import_views.import_cancel_view, name="import_cancel"),
]

# Likely duplicates: the review queue, merges, and their undoing by an administrator.
urlpatterns += [
    path("duplicates/", dedup_views.duplicate_list_view, name="duplicate_list"),
    path("duplicates/search/", dedup_views.duplicate_search_view, name="duplicate_search"),
    path("duplicates/<uuid:pair_id>/", dedup_views.duplicate_detail_view,
         name="duplicate_detail"),
    path("duplicates/<uuid:pair_id>/merge/", dedup_views.duplicate_merge_view,
         name="duplicate_merge"),
    path("duplicates/<uuid:pair_id>/dismiss/", dedup_views.duplicate_dismiss_view,
         name="duplicate_dismiss"),
    path("merges/", dedup_views.merge_list_view, name="merge_list"),
    path("merges/<uuid:merge_id>/undo/", dedup_views.merge_undo_view, name="merge_undo"),
]
