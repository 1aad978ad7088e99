from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "treem.offline"
    verbose_name = "Làm việc không có mạng"
    default_auto_field = "django.db.models.BigAutoField"
