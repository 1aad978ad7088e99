from django.apps import AppConfig


class FundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.fund"
    verbose_name = "Quỹ bảo trợ trẻ em"

    def ready(self) -> None:
        # What the computed indicators count of the fund (children supported, needs met).
        from treem.fund import indicators

        indicators.register()
