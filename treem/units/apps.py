from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    """The pages and writes of the unit tree: browsing units, the villages a commune keeps, and
    the units API. The tree itself (`treem.geo`) sits below accounts and the trail; these need
    both (capabilities, audited writes), so they sit above them."""

    name = "treem.units"
    label = "units"
    verbose_name = _("Đơn vị hành chính")
