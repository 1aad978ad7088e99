from django.urls import path

from treem.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list_view, name="plan_list"),
    path("new/", views.plan_create_view, name="plan_create"),
    path("agencies/", views.agency_list_view, name="agency_list"),
    path("agencies/<uuid:agency_id>/focal-points/", views.focal_point_view,
         name="focal_point"),
    path("<uuid:plan_id>/tasks/new/", views.task_create_view, name="task_create"),
    path("<uuid:plan_id>/excel/", views.plan_excel_view, name="plan_excel"),
    path("<uuid:plan_id>/status/", views.plan_status_view, name="plan_status"),
    path("reports/<uuid:progress_id>/evidence/", views.evidence_add_view, name="evidence_add"),
    path("evidence/<uuid:evidence_id>/", views.evidence_file_view, name="evidence_file"),
    path("evidence/<uuid:evidence_id>/remove/", views.evidence_remove_view,
         name="evidence_remove"),
    path("<uuid:plan_id>/", views.plan_detail_view, name="plan_detail"),
    path("tasks/", views.my_tasks_view, name="my_tasks"),
    path("tasks/<uuid:task_id>/", views.task_detail_view, name="task_detail"),
]
