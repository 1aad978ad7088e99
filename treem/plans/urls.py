from django.urls import path

from treem.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list_view, name="plan_list"),
    path("<uuid:plan_id>/", views.plan_detail_view, name="plan_detail"),
    path("tasks/", views.my_tasks_view, name="my_tasks"),
    path("tasks/<uuid:task_id>/", views.task_detail_view, name="task_detail"),
]
