from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.edits.forms import VersionedForm
from treem.geo.models import Level
from treem.units import exceptions as exc
from treem.units.services import VILLAGE_KINDS


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm đơn vị"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Cấp"), required=False,
        choices=[("", _("Mọi cấp"))] + [c for c in Level.choices if c[0] != Level.NATION],
    )
    former = forms.BooleanField(label=_("Gồm đơn vị trước 01/7/2025"), required=False)


class VillageForm(forms.Form):
    # Django's own "Select a valid choice" has no Vietnamese translation: say it ourselves.
    kind = forms.ChoiceField(label=_("Loại"), choices=[(k, k) for k in VILLAGE_KINDS],
                             error_messages={"invalid_choice": exc.VILLAGE_KIND_INVALID})
    name = forms.CharField(label=_("Tên"), max_length=150,
                           help_text=_("Tên đầy đủ, ví dụ “Thôn Nà Pồng”."))


class VillageEditForm(VersionedForm, VillageForm):
    """A village's name and kind as read (`treem.edits.forms`): beside each field the value the
    page read, which the service compares with the one saved. A unit has no version (see
    `services.village_rename`): the form carries none."""

    version = None  # type: ignore[assignment]

    def edit(self) -> dict[str, Any]:
        edit = super().edit()
        del edit["base_version"]
        return edit
