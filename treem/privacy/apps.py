from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.privacy"
    verbose_name = "Bảo vệ dữ liệu cá nhân"
