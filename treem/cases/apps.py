from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "treem.cases"
    label = "cases"
    verbose_name = _("Quản lý trường hợp")

    def ready(self) -> None:
        # The register (a lower layer) shows a child's circumstances that reveal abuse to who
        # may see the child's cases: it asks for them through the capability map.
        from treem.accounts.permissions import register_children_of_visible_cases
        from treem.cases.selectors import children_of_visible_cases

        register_children_of_visible_cases(children_of_visible_cases)

        from treem.cases.audit_labels import register_labellers

        register_labellers()
