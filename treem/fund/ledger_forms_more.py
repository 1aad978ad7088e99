"""The forms of an area's edit page and of a return to a donor: beside `ledger_forms`, which is
at its 400 lines, and parsing the same way (money as typed, days dd/mm/yyyy)."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.edits.forms import VersionedForm
from treem.fund import exceptions as exc
from treem.fund.ledger_forms import AreaForm, MoneyField
from treem.fund.matching import Held
from treem.fund.templatetags.fund_money import money
from treem.geo.models import Level, Unit
from treem.ui.forms import DayField, NoSilentCut

BUCKET_CHOICE = _("Hãy chọn nguồn tiền hoàn trả.")


class AreaEditForm(VersionedForm, AreaForm):
    """An area's name, communes and mountain flag as read (`treem.edits.forms`): beside each
    field the value the page read, which the service compares with the one saved. An area has
    no version (see `gifts.area_update`): the form carries none. When an earmark names the
    area, the box confirming that its money will pay for the communes chosen."""

    version = None  # type: ignore[assignment]
    unversioned = ("confirm_earmark",)
    confirm_earmark = forms.BooleanField(
        label=_("Tôi hiểu: tiền, hàng chỉ định cho địa bàn này sẽ được chi cho các xã, phường "
                "chọn ở trên."), required=False)

    def __init__(self, *args: Any, earmarked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not earmarked:
            del self.fields["confirm_earmark"]

    def text(self, name: str, value: Any) -> str:
        """The communes by their names (read back as codes when one is no longer offered)."""
        if name != "units" or not isinstance(value, list | tuple) or not value:
            return super().text(name, value)
        codes = sorted(str(getattr(unit, "code", unit)) for unit in value)
        names: dict[str, str] = dict(Unit.objects.filter(level=Level.COMMUNE, code__in=codes)
                                     .values_list("code", "name"))
        return ", ".join(names.get(code, code) for code in codes)

    def edit(self) -> dict[str, Any]:
        """The keyword arguments of `gifts.area_update`: the communes read as their codes."""
        edit = super().edit()
        del edit["base_version"]
        edit["earmark_confirmed"] = edit.pop("confirm_earmark", False)
        if "units" in edit:
            edit["units"] = list(edit["units"])
        if "units" in edit["base"]:
            edit["base"]["units"] = sorted(getattr(unit, "code", unit)
                                           for unit in edit["base"]["units"] or [])
        return edit


def bucket_value(held: Held) -> str:
    """A money bucket as a choice: its earmark's id, and its campaign's public id if any."""
    pk = str(held.restriction.pk)
    return f"{pk}:{held.campaign.public_id}" if held.campaign else pk


def bucket_label(held: Held) -> str:
    where = f"{held.restriction} · {held.campaign.name}" if held.campaign else str(held.restriction)
    return str(_("%(where)s — còn %(amount)s") % {"where": where, "amount": money(held.amount)})


class ReturnForm(NoSilentCut, forms.Form):
    """Money given back from one bucket (an earmark, and the campaign that raised it if any):
    one choice, not an earmark and a campaign apart, so that only a bucket holding money is
    offered, each with its balance."""

    bucket = forms.ChoiceField(label=_("Nguồn tiền hoàn trả"),
                               help_text=_("Nội dung chỉ định, đợt vận động (nếu có) và số "
                                           "tiền chưa sử dụng."),
                               error_messages={"required": BUCKET_CHOICE,
                                               "invalid_choice": BUCKET_CHOICE})
    amount = MoneyField(label=_("Số tiền hoàn trả (đồng)"), min_value=1,
                        help_text=_("Ví dụ: 1.500.000"))
    day = DayField(label=_("Ngày hoàn trả"))
    reason = forms.CharField(label=_("Lý do"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Ghi nhà tài trợ nhận lại và căn cứ, ví dụ: Hoàn trả "
                                         "Công ty A theo công văn số 12/CV ngày 01/06/2026."),
                             error_messages={"required": exc.REASON_REQUIRED})

    def __init__(self, *args: Any, held: list[Held], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Goods are not given back here: a return moves money (its bucket has no lot).
        self.held = {bucket_value(h): h for h in held if h.lot is None}
        cast(forms.ChoiceField, self.fields["bucket"]).choices = [
            ("", _("— chọn nguồn tiền —")),
            *((value, bucket_label(h)) for value, h in self.held.items())]

    def clean_day(self) -> Any:
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise ValidationError(exc.DAY_IN_FUTURE)
        return day

    def chosen(self) -> Held | None:
        """The bucket chosen (posted, or offered first by the page's link)."""
        value = self.data.get("bucket") if self.is_bound else self.initial.get("bucket")
        return self.held.get(str(value or ""))
