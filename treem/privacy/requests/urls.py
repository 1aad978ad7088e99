from django.urls import path

from treem.privacy.requests import views

urlpatterns = [
    path("", views.request_list_view, name="request_list"),
    path("new/<uuid:child_id>/", views.request_new_view, name="request_new"),
    path("<uuid:request_id>/", views.request_detail_view, name="request_detail"),
    path("<uuid:request_id>/first-reply/", views.request_first_reply_view,
         name="request_first_reply"),
    path("<uuid:request_id>/extend/", views.request_extend_view, name="request_extend"),
    path("<uuid:request_id>/correct/", views.request_correct_view, name="request_correct"),
    path("<uuid:request_id>/decide/", views.request_decide_view, name="request_decide"),
    path("<uuid:request_id>/answer/", views.request_answer_view, name="request_answer"),
    path("<uuid:request_id>/restrict/", views.request_restrict_view, name="request_restrict"),
    path("<uuid:request_id>/lift/", views.request_lift_view, name="request_lift"),
    path("<uuid:request_id>/erase/", views.request_erase_view, name="request_erase"),
    path("<uuid:request_id>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
    path("<uuid:request_id>/export/", views.request_export_view, name="request_export"),
]
