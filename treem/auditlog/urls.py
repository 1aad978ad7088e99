from django.urls import path

from treem.auditlog import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list_view, name="event_list"),
]
