from django.urls import path

from treem.cases import views

app_name = "cases"
# Each printed form has a PDF next to it: the same view, made into a PDF on the server.
AS_PDF = {"as_pdf": True}

urlpatterns = [
    path("", views.case_list_view, name="case_list"),
    path("export/", views.case_export_view, name="case_export"),
    path("<uuid:case_id>/", views.case_detail_view, name="case_detail"),
    path("<uuid:case_id>/move/", views.case_move_view, name="case_move"),
    path("<uuid:case_id>/protections/<slug:kind>/", views.protection_add_view,
         name="protection_add"),
    path("separations/<uuid:protection_id>/", views.separation_change_view,
         name="separation_change"),
    path("separations/<uuid:protection_id>/print/", views.separation_print_view,
         name="separation_print"),
    path("separations/<uuid:protection_id>/pdf/", views.separation_print_view, AS_PDF,
         name="separation_pdf"),
    path("<uuid:case_id>/referrals/", views.referral_add_view, name="referral_add"),
    path("referrals/<uuid:referral_id>/", views.referral_answer_view, name="referral_answer"),
    path("<uuid:case_id>/assessments/<slug:kind>/", views.assessment_add_view,
         name="assessment_add"),
    path("<uuid:case_id>/plan/", views.plan_save_view, name="plan_save"),
    path("<uuid:case_id>/share/", views.case_share_view, name="case_share"),
    path("<uuid:case_id>/workers/", views.case_workers_view, name="case_workers"),
    path("<uuid:case_id>/facts/", views.case_facts_view, name="case_facts"),
    path("assessments/<uuid:assessment_id>/", views.assessment_print_view,
         name="assessment_print"),
    path("assessments/<uuid:assessment_id>/pdf/", views.assessment_print_view, AS_PDF,
         name="assessment_pdf"),
    path("plans/<uuid:plan_id>/", views.plan_print_view, name="plan_print"),
    path("plans/<uuid:plan_id>/pdf/", views.plan_print_view, AS_PDF, name="plan_pdf"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("statistics/export/", views.statistics_export_view, name="statistics_export"),
    path("notifications/", views.notification_list_view, name="notification_list"),
    path("notifications/new/", views.notification_create_view, name="notification_create"),
    path("notifications/communes/", views.commune_search_view, name="commune_search"),
    path("notifications/<uuid:notification_id>/", views.notification_detail_view,
         name="notification_detail"),
    path("notifications/<uuid:notification_id>/print/", views.notification_print_view,
         name="notification_print"),
    path("notifications/<uuid:notification_id>/pdf/", views.notification_print_view, AS_PDF,
         name="notification_pdf"),
    path("notifications/<uuid:notification_id>/open/", views.case_open_view, name="case_open"),
]
