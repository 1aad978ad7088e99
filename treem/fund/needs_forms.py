"""The forms of the needs' pages: the list's filter and export, a need proposed (a child or a
household found by a name posted, never in an address), the province's decision, a reason,
an allocation from a bucket, a delivery with its proofs."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.fund.ledger_forms import MoneyField
from treem.fund.models import Beneficiary, NeedKind, NeedStatus
from treem.fund.needs import DESCRIPTION_MAX, REASON_MIN
from treem.fund.needs_selectors import NeedFilters
from treem.geo.models import Unit
from treem.ui.forms import DayField, NoSilentCut

QUANTITY_ERRORS = {"invalid": _("Hãy ghi số lượng bằng chữ số."),
                   "min_value": _("Số lượng phải lớn hơn 0."),
                   "max_value": _("Số lượng quá lớn.")}
REASON_SHORT = _("Hãy ghi lý do (ít nhất %(limit_value)d ký tự).")
PICK_CHILD = {"required": _("Hãy chọn một trẻ em."),
              "invalid_choice": _("Hãy chọn một trẻ em trong danh sách tìm được.")}
PICK_HOUSEHOLD = {"required": _("Hãy chọn một hộ gia đình."),
                  "invalid_choice": _("Hãy chọn một hộ trong danh sách tìm được.")}


def _money(label: Any, **kwargs: Any) -> MoneyField:
    # The ledger's field: "10.000.000" and "10000000" alike, the same words for a bad one.
    return MoneyField(label=label, min_value=1, help_text=_("Ví dụ: 1.500.000"), **kwargs)


def _reason(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=500, min_length=REASON_MIN if required else None,
                           required=required, help_text=help_text,
                           error_messages={"min_length": REASON_SHORT,
                                           "required": REASON_SHORT % {"limit_value": REASON_MIN}},
                           widget=forms.Textarea(attrs={"rows": 2}))


def _unit_choices(units: list[Unit]) -> list[tuple[str, str]]:
    return [(str(unit.public_id), unit.name) for unit in units]


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Mọi tình trạng")), *NeedStatus.choices])
    kind = forms.ModelChoiceField(label=_("Loại nhu cầu"), required=False, to_field_name="code",
                                  queryset=NeedKind.objects.all(), empty_label=_("Mọi loại"))
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": _("Hãy ghi năm bằng chữ số, ví dụ "
                                                           "2026.")})
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)

    def __init__(self, *args: Any, communes: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {str(unit.public_id): unit for unit in communes}
        if len(communes) > 1:
            self.fields["commune"].choices = [  # type: ignore[attr-defined]
                ("", _("Mọi xã, phường")), *_unit_choices(communes)]
        else:  # a commune's own users read one commune: nothing to choose
            del self.fields["commune"]

    def filters(self) -> NeedFilters:
        """The filters given, those badly typed left out (the form says why)."""
        if not self.is_bound:
            return NeedFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return NeedFilters(status=data.get("status") or "", kind=data.get("kind"),
                           year=data.get("year"),
                           commune=self.communes.get(data.get("commune") or ""))


class ExportForm(NoSilentCut):
    reason = forms.CharField(label=_("Lý do xuất danh sách"), max_length=300,
                             min_length=REASON_MIN, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"min_length": REASON_SHORT,
                                             "required": REASON_SHORT % {
                                                 "limit_value": REASON_MIN}},
                             help_text=_("Ví dụ: tổng hợp nhu cầu năm 2027 trình Hội đồng quản "
                                         "lý quỹ."))


class SearchForm(forms.Form):
    """A name searched among the children or households to propose for (posted)."""

    q = forms.CharField(label=_("Tìm theo tên"), max_length=100, required=False)


class NeedForm(NoSilentCut):
    """A need: its beneficiary's own field (a child or household among those found, a commune
    of the officer's, a facility's name), then what is needed."""

    beneficiary = forms.ChoiceField(choices=Beneficiary.choices, widget=forms.HiddenInput)
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    child = forms.ChoiceField(label=_("Trẻ em"), widget=forms.RadioSelect,
                              error_messages=PICK_CHILD)
    household = forms.ChoiceField(label=_("Hộ gia đình"), widget=forms.RadioSelect,
                                  error_messages=PICK_HOUSEHOLD)
    commune = forms.ChoiceField(label=_("Xã, phường"),
                                error_messages={"invalid_choice": _(
                                    "Chỉ đề xuất được cho xã, phường của bạn.")})
    facility = forms.CharField(label=_("Tên cơ sở"), max_length=200,
                               help_text=_("Ví dụ: Điểm vui chơi thôn Nà Pồng; Trường Tiểu học "
                                           "Hòa An."))
    kind = forms.ModelChoiceField(label=_("Loại nhu cầu"), to_field_name="code",
                                  queryset=NeedKind.objects.none(),
                                  error_messages={"invalid_choice": _(
                                      "Hãy chọn một loại nhu cầu trong danh sách.")})
    description = forms.CharField(label=_("Mô tả nhu cầu"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Cần gì, vì sao, trong thời gian nào. Không ghi "
                                              "thông tin về vụ việc xâm hại."))
    amount = _money(_("Kinh phí dự kiến (đồng)"))
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)
    programme = forms.CharField(label=_("Chương trình (nếu có)"), max_length=120,
                                required=False)

    def __init__(self, *args: Any, beneficiary: str, kinds: Any,
                 children: Sequence[Any] = (), households: Sequence[Any] = (),
                 communes: Sequence[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {str(unit.public_id): unit for unit in communes}
        keep = {Beneficiary.CHILD: "child", Beneficiary.HOUSEHOLD: "household",
                Beneficiary.COMMUNE: "commune", Beneficiary.FACILITY: "facility"}[
                    Beneficiary(beneficiary)]
        for name in ("child", "household", "commune", "facility"):
            if name != keep and not (name == "commune" and keep == "facility"):
                del self.fields[name]
        if "child" in self.fields:
            self.fields["child"].choices = [  # type: ignore[attr-defined]
                (str(child.public_id), child_label(child)) for child in children]
        if "household" in self.fields:
            self.fields["household"].choices = [  # type: ignore[attr-defined]
                (str(item.public_id), household_label(item)) for item in households]
        if "commune" in self.fields:
            self.fields["commune"].choices = _unit_choices(list(communes))  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        this = timezone.localdate().year
        self.fields["year"].choices = [(this, this), (this + 1, this + 1)]  # type: ignore[attr-defined]
        self.fields["year"].initial = this

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {"beneficiary": data["beneficiary"], "kind": data["kind"],
                  "description": data["description"], "amount": data["amount"],
                  "year": data["year"], "programme": data.get("programme") or ""}
        if "child" in data:
            values["child_id"] = data["child"]
        if "household" in data:
            values["household_id"] = data["household"]
        if "commune" in data:
            values["commune_id"] = data["commune"]
        if "facility" in data:
            values["facility"] = data["facility"]
        return values


def child_label(child: Any) -> str:
    place = child.village.name if child.village_id else child.commune.name
    return f"{child.full_name} — {child.birth_date:%d/%m/%Y} — {place}"


def household_label(household: Any) -> str:
    place = household.village.name if household.village_id else household.commune.name
    return f"{household.head_name} — {place}"


class DecisionForm(forms.Form):
    # The button pressed (the page writes its own two buttons).
    decision = forms.ChoiceField(choices=[("approve", _("Duyệt")), ("refuse", _("Không duyệt"))],
                                 error_messages={"required": _("Hãy chọn duyệt hay không.")})
    reason = _reason(_("Lý do"), required=False,
                     help_text=_("Bắt buộc khi không duyệt (ít nhất 10 ký tự)."))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ReasonForm(forms.Form):
    reason = _reason(_("Lý do"))


class AllocateForm(forms.Form):
    """Money (or goods of a lot) of one bucket for a need; a second support of the same kind
    in the period needs the officer's reason."""

    restriction = forms.IntegerField(widget=forms.HiddenInput)
    campaign = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lot = forms.IntegerField(widget=forms.HiddenInput, required=False)
    amount = _money(_("Số tiền phân bổ (đồng)"), required=False)
    quantity = forms.IntegerField(label=_("Số lượng"), required=False, min_value=1,
                                  max_value=10_000_000, error_messages=QUANTITY_ERRORS,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    override_reason = forms.CharField(
        label=_("Lý do vẫn hỗ trợ"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chỉ ghi khi đã xem các hỗ trợ cùng loại trong cùng kỳ ở trên và vẫn cần "
                    "hỗ trợ thêm (ít nhất 10 ký tự). Lý do được ghi vào nhật ký."))

    def __init__(self, *args: Any, goods: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["amount" if goods else "quantity"]
        self.fields["quantity" if goods else "amount"].required = True


class DeliveryForm(NoSilentCut):
    delivered_on = DayField(label=_("Ngày trao"))
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Ví dụ: trao tại UBND xã, có mặt mẹ của em."))
