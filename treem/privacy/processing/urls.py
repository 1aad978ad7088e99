from django.urls import path

from treem.privacy.processing import views

urlpatterns = [
    path("", views.register_view, name="register"),
    path("dossier/", views.dossier_view, name="dossier"),
    path("<uuid:activity_id>/edit/", views.activity_edit_view, name="activity_edit"),
]
