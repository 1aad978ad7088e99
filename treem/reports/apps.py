from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        # The audit log (a lower layer) names reports through these.
        from treem.reports.audit_labels import register_labellers

        register_labellers()
