from django.urls import path

from treem.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="report_list"),
    path("new/", views.report_open_view, name="report_open"),
    path("<uuid:report_id>/", views.report_detail_view, name="report_detail"),
    path("<uuid:report_id>/write/", views.report_write_view, name="report_write"),
    path("<uuid:report_id>/send/", views.report_send_view, name="report_send"),
    path("<uuid:report_id>/decide/", views.report_decide_view, name="report_decide"),
    path("<uuid:report_id>/correct/", views.report_correct_view, name="report_correct"),
    path("<uuid:report_id>/excel/", views.report_excel_view, name="report_excel"),
    path("<uuid:report_id>/pdf/", views.report_pdf_view, name="report_pdf"),
]
