from django.apps import AppConfig


class Dhis2Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.dhis2"
    verbose_name = "DHIS2"
