from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.privacy"
    verbose_name = "Bảo vệ dữ liệu cá nhân"

    def ready(self) -> None:
        # What the computed indicators count of privacy (children with a verified personal id).
        from treem.privacy.population import indicators

        indicators.register()
