from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "treem.privacy"
    verbose_name = "Bảo vệ dữ liệu cá nhân"

    def ready(self) -> None:
        # The child's page offers the request form to who handles requests there.
        from treem.accounts.capabilities import Capability
        from treem.registry import child_links

        child_links.register(child_links.ChildLink(
            label=_("Ghi yêu cầu về dữ liệu cá nhân"), url_name="privacy:request_new",
            capability=Capability.HANDLE_DATA_REQUESTS))

        # What the computed indicators count of privacy (children with a verified personal id).
        from treem.privacy.population import indicators

        indicators.register()
