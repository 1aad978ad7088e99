from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.plans"
    verbose_name = "Kế hoạch, nhiệm vụ"

    def ready(self) -> None:
        # The audit log (a lower layer) names plans and tasks through these.
        from treem.plans.activities import populations
        from treem.plans.audit_labels import register_labellers
        from treem.plans.child_friendly import populations as child_friendly

        register_labellers()
        # What the computed indicators count of activities and trainings.
        populations.register()
        child_friendly.register()
