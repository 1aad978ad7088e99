from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "treem.registry"
    label = "registry"
    verbose_name = _("Sổ theo dõi trẻ em")

    def ready(self) -> None:
        # The audit log (a lower layer) names the register's records through these.
        from treem.registry.audit_labels import register_labellers

        register_labellers()
