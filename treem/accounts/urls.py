from django.urls import path

from treem.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("unlock/", views.unlock_request_view, name="unlock_request"),
    path("unlock/<str:secret>/", views.unlock_view, name="unlock"),
    path("2fa/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("logout-everywhere/", views.logout_everywhere_view, name="logout_everywhere"),
    path("me/", views.profile_view, name="profile"),
    path("me/password/", views.password_change_view, name="password_change"),
    path("me/tokens/new/", views.token_create_view, name="token_create"),
    path("me/tokens/<uuid:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<uuid:user_id>/", views.user_detail_view, name="user_detail"),
    path("users/<uuid:user_id>/status/", views.user_status_view, name="user_status"),
    path("users/<uuid:user_id>/password/", views.user_password_view, name="user_password"),
    path("assignments/<uuid:assignment_id>/revoke/", views.assignment_revoke_view,
         name="assignment_revoke"),
]
