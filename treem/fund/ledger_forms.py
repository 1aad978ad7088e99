"""The forms of the ledger's pages. They parse what is typed (money written "1.500.000",
days dd/mm/yyyy) and offer only the fund's own records; the services check everything again
and their refusals come back onto the fields (`service_errors`)."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from treem.fund import exceptions as exc
from treem.fund import ledger_selectors as reads
from treem.fund.importing import Mode
from treem.fund.models import (
    Area,
    Campaign,
    CampaignKind,
    Channel,
    Criterion,
    Donor,
    DonorKind,
    Fund,
    NeedKind,
    Pledge,
    PledgeStatus,
    RestrictionKind,
)
from treem.fund.services import MAX_AMOUNT
from treem.geo.models import Unit
from treem.registry.models import CircumstanceGroup
from treem.ui.forms import DayField, NoSilentCut, add_service_errors
from treem.ui.pickers import PickerField, Source

# A service's field → the form's field that fed it.
FIELD_OF = {"restriction": "earmark", "unit": "commune", "need_kind": "need_kind"}

NEW_PROGRAMME, NEW_PLACE, NEW_AREA, NEW_NEED = "new:programme", "new:place", "new:area", "new:need"
EARMARK_CHOICE = _("Hãy chọn nội dung chỉ định.")
COMMUNE_REQUIRED = _("Hãy chọn xã, phường được chỉ định.")
AREA_REQUIRED = _("Hãy chọn địa bàn được chỉ định.")
NEED_KIND_REQUIRED = _("Hãy chọn loại nhu cầu được chỉ định.")
DONOR_REQUIRED = _("Hãy gõ tên nhà tài trợ rồi chọn trong danh sách.")
REVERSE_REASON = _("Hãy ghi lý do đảo bút toán.")
STATUS_CHOICE = _("Hãy chọn: đã nhận đủ hay hủy cam kết.")
FILE_REQUIRED = _("Hãy chọn tệp sao kê (.xlsx) để tải lên.")
YEAR_INVALID = _("Hãy ghi năm bằng chữ số, từ 2000 đến 2100.")
MONEY = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+|\d+")
MONEY_SUFFIX = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)


class MoneyField(forms.Field):
    """Whole đồng as typed ("1500000", "1.500.000", "1 500 000 đ") in every form of the fund;
    "10,5", a sign, letters, over 1,000 billion (0 with `min_value=1`) refused as services do."""

    def __init__(self, *, min_value: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {"required": exc.AMOUNT_INVALID})
        super().__init__(**kwargs)
        self.min_value = min_value

    def to_python(self, value: Any) -> int | None:
        text = MONEY_SUFFIX.sub("", str(value or "")).strip()
        if not text:
            return None
        amount = int(re.sub(r"\D", "", text)) if len(text) <= 40 and MONEY.fullmatch(text) else -1
        if not self.min_value <= amount <= MAX_AMOUNT:
            raise ValidationError(exc.AMOUNT_INVALID, code="invalid")
        return amount

    def prepare_value(self, value: Any) -> Any:  # an initial amount shown as typed
        return f"{value:,}".replace(",", ".") if type(value) is int else value


def _year() -> forms.IntegerField:
    return forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100,
                              error_messages={"invalid": YEAR_INVALID,
                                              "min_value": YEAR_INVALID,
                                              "max_value": YEAR_INVALID,
                                              "required": YEAR_INVALID})


MONTHS = [("", _("Cả năm")), *((str(m), _("Tháng %(m)s") % {"m": m}) for m in range(1, 13))]


def service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal onto the form, each message at the field that fed it."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        error = ValidationError({FIELD_OF.get(name, name): errors
                                 for name, errors in error.error_dict.items()})
    add_service_errors(form, error)


class DonorSource(Source[Donor]):
    """The fund's donors, found by name (any accents or case)."""

    def __init__(self, fund: Fund) -> None:
        self.fund = fund

    def search(self, q: str) -> Any:
        return reads.donor_search(fund=self.fund, q=q)

    def get(self, value: str) -> Donor | None:
        try:
            return Donor.objects.filter(fund=self.fund, public_id=value).first()
        except ValidationError:  # not a UUID
            return None

    def value_of(self, item: Donor) -> str:
        return str(item.public_id)

    def label_of(self, item: Donor) -> str:
        return f"{item.name} — {item.get_kind_display()}"


class FundForm(NoSilentCut, forms.Form):
    """A form of one fund: its donor picker and its choices are the fund's."""

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund
        if "donor" in self.fields:
            cast(PickerField[Donor], self.fields["donor"]).configure(
                DonorSource(fund), search_url=reverse("fund:donor_search", args=[fund.public_id]))
        if "campaign" in self.fields:
            field = cast(forms.ModelChoiceField, self.fields["campaign"])
            field.queryset = fund.campaigns.order_by("-starts_on", "id")
        if "pledge" in self.fields:
            cast(forms.ModelChoiceField, self.fields["pledge"]).queryset = reads.open_pledges(fund)
        if "earmark" in self.fields:
            self._earmarks()

    def _earmarks(self) -> None:
        existing = [(r.key, str(r)) for r in reads.earmarks(self.fund)]
        new = [(NEW_PROGRAMME, _("Mới: cho một chương trình")),
               (NEW_PLACE, _("Mới: cho một xã, phường")), (NEW_AREA, _("Mới: cho một địa bàn")),
               (NEW_NEED, _("Mới: cho một loại nhu cầu"))]
        cast(forms.ChoiceField, self.fields["earmark"]).choices = [
            (_("Đã có"), existing), (_("Nội dung chỉ định mới"), new)]
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = reads.communes_of(
            self.fund)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = Area.objects.filter(
            fund=self.fund).order_by("name")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        needed = {NEW_PROGRAMME: ("programme", exc.PROGRAMME_REQUIRED),
                  NEW_PLACE: ("commune", COMMUNE_REQUIRED), NEW_AREA: ("area", AREA_REQUIRED),
                  NEW_NEED: ("need_kind", NEED_KIND_REQUIRED)}.get(data.get("earmark", ""))
        if needed and not data.get(needed[0]):
            self.add_error(needed[0], needed[1])
        return data

    def earmark_spec(self) -> dict[str, Any]:
        """What `gifts.restriction_for` needs for the earmark chosen; {"key": …} for one the
        fund has already."""
        data, choice = self.cleaned_data, self.cleaned_data["earmark"]
        if choice == NEW_PROGRAMME:
            return {"kind": RestrictionKind.PROGRAMME, "programme": data["programme"]}
        if choice == NEW_PLACE:
            return {"kind": RestrictionKind.PLACE, "unit": data["commune"]}
        if choice == NEW_AREA:
            return {"kind": RestrictionKind.PLACE, "area": data["area"]}
        if choice == NEW_NEED:
            return {"kind": RestrictionKind.NEED, "need_kind": data["need_kind"]}
        return {"key": choice}


def _donor_field() -> PickerField[Donor]:
    return PickerField(label=_("Nhà tài trợ"),
                       placeholder=_("Gõ tên nhà tài trợ, có dấu hoặc không"),
                       help_text=_("Chưa có trong danh sách? Hãy thêm nhà tài trợ trước."),
                       error_messages={"required": DONOR_REQUIRED,
                                       "invalid_choice": DONOR_REQUIRED})


def _campaign_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Đợt vận động"), required=False,
                                  queryset=Campaign.objects.none(), to_field_name="public_id",
                                  empty_label=_("— không thuộc đợt vận động nào —"))


class PledgeChoice(forms.ModelChoiceField):
    """An open pledge named by its donor, day and promise (a pledge has no name of its own)."""

    def label_from_instance(self, obj: Any) -> str:
        promised = "; ".join(part for part in (
            f"{obj.amount:,} đ".replace(",", ".") if obj.amount else "", obj.goods) if part)
        return f"{obj.donor.name} — {obj.pledged_on:%d/%m/%Y} — {promised}"


def _pledge_field() -> PledgeChoice:
    return PledgeChoice(label=_("Theo cam kết"), required=False, queryset=Pledge.objects.none(),
                        to_field_name="public_id", empty_label=_("— không theo cam kết nào —"),
                        help_text=_("Chỉ cam kết đang chờ nhận của chính nhà tài trợ này."))


class EarmarkFields(forms.Form):
    """The earmark: one the fund has, or a new one (a named child's is never chosen here)."""

    earmark = forms.ChoiceField(label=_("Nội dung chỉ định"), initial="unrestricted",
                                error_messages={"required": EARMARK_CHOICE,
                                                "invalid_choice": EARMARK_CHOICE})
    programme = forms.CharField(label=_("Tên chương trình (nếu chỉ định mới)"), max_length=120,
                                required=False)
    commune = forms.ModelChoiceField(label=_("Xã, phường (nếu chỉ định mới)"), required=False,
                                     queryset=Unit.objects.none(), to_field_name="code",
                                     empty_label=_("— chọn xã, phường —"))
    area = forms.ModelChoiceField(label=_("Địa bàn (nếu chỉ định mới)"), required=False,
                                  queryset=Area.objects.none(), empty_label=_("— chọn địa bàn —"))
    need_kind = forms.ModelChoiceField(label=_("Loại nhu cầu (nếu chỉ định mới)"),
                                       required=False, to_field_name="code",
                                       queryset=NeedKind.objects.filter(active=True),
                                       empty_label=_("— chọn loại nhu cầu —"))


class DonorForm(NoSilentCut, forms.Form):
    kind = forms.ChoiceField(label=_("Loại nhà tài trợ"), choices=DonorKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200,
                           error_messages={"required": exc.DONOR_NAME_REQUIRED})
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    named_publicly = forms.BooleanField(
        label=_("Đồng ý công khai tên (trang công khai, bảng vinh danh)"), required=False)
    distinct_from_similar = forms.BooleanField(
        label=_("Đúng là nhà tài trợ khác"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, asking: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if asking:  # the officer is shown the similar donors and confirms
            self.fields["distinct_from_similar"].widget = forms.CheckboxInput()


class DonorSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên nhà tài trợ"), max_length=reads.SEARCH_MAX,
                        required=False)


class ReceiptForm(FundForm, EarmarkFields):
    field_order = ["donor", "amount", "received_on", "channel", "receipt_number",
                   "bank_reference", "earmark", "programme", "commune", "area", "need_kind",
                   "campaign", "pledge"]
    donor = _donor_field()
    amount = MoneyField(label=_("Số tiền (đồng)"), help_text=_("Ví dụ: 1.500.000"))
    received_on = DayField(label=_("Ngày nhận"))
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Channel.choices,
                                widget=forms.RadioSelect, initial=Channel.BANK)
    receipt_number = forms.CharField(label=_("Số biên lai (tiền mặt)"), max_length=40,
                                     required=False)
    bank_reference = forms.CharField(label=_("Mã giao dịch ngân hàng (chuyển khoản)"),
                                     max_length=60, required=False)
    campaign = _campaign_field()
    pledge = _pledge_field()


class ReceiptFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": YEAR_INVALID, "min_value": YEAR_INVALID,
                                              "max_value": YEAR_INVALID})
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int,
                                   required=False, empty_value=None)
    campaign = _campaign_field()

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["campaign"]).queryset = fund.campaigns.all()
        self.fields["campaign"].empty_label = _("Mọi đợt vận động")  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class LotForm(FundForm, EarmarkFields):
    field_order = ["donor", "description", "quantity", "measure", "value", "valuation",
                   "received_on", "earmark", "programme", "commune", "area", "need_kind",
                   "campaign", "pledge"]
    donor = _donor_field()
    description = forms.CharField(label=_("Hiện vật"), max_length=300,
                                  error_messages={"required": exc.GOODS_DESCRIPTION_REQUIRED})
    quantity = forms.IntegerField(label=_("Số lượng"), min_value=1, max_value=1_000_000,
                                  error_messages={"invalid": exc.QUANTITY_INVALID,
                                                  "required": exc.QUANTITY_INVALID,
                                                  "min_value": exc.QUANTITY_INVALID,
                                                  "max_value": exc.QUANTITY_INVALID})
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=30,
                              error_messages={"required": exc.MEASURE_REQUIRED})
    value = MoneyField(label=_("Giá trị ước tính (đồng)"))
    valuation = forms.CharField(label=_("Cách định giá"), max_length=200,
                                help_text=_("Theo hóa đơn, giá thị trường, hội đồng định giá…"),
                                error_messages={"required": exc.VALUATION_REQUIRED})
    received_on = DayField(label=_("Ngày nhận"))
    campaign = _campaign_field()
    pledge = _pledge_field()


class CampaignForm(NoSilentCut, forms.Form):
    kind = forms.ChoiceField(label=_("Loại đợt vận động"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("Tên đợt vận động"), max_length=200,
                           error_messages={"required": exc.NAME_REQUIRED})
    starts_on = DayField(label=_("Từ ngày"))
    ends_on = DayField(label=_("Đến ngày"))
    goal = MoneyField(label=_("Mục tiêu (đồng)"))


class PledgeForm(FundForm, EarmarkFields):
    field_order = ["donor", "pledged_on", "due_on", "amount", "goods", "earmark", "programme",
                   "commune", "area", "need_kind", "campaign"]
    donor = _donor_field()
    pledged_on = DayField(label=_("Ngày cam kết"))
    due_on = DayField(label=_("Hạn trao"), required=False)
    amount = MoneyField(label=_("Số tiền cam kết (đồng)"), required=False)
    goods = forms.CharField(label=_("Hiện vật cam kết"), max_length=300, required=False)
    campaign = _campaign_field()


class PledgeCloseForm(forms.Form):
    status = forms.ChoiceField(label=_("Kết thúc cam kết"), widget=forms.RadioSelect,
                               choices=[(PledgeStatus.FULFILLED, PledgeStatus.FULFILLED.label),
                                        (PledgeStatus.CANCELLED, PledgeStatus.CANCELLED.label)],
                               error_messages={"required": STATUS_CHOICE,
                                               "invalid_choice": STATUS_CHOICE})
    reason = forms.CharField(label=_("Lý do (bắt buộc khi hủy)"), max_length=500,
                             required=False)


class ReverseForm(NoSilentCut, forms.Form):
    reason = forms.CharField(label=_("Lý do đảo bút toán"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": REVERSE_REASON})


class StatementForm(NoSilentCut, forms.Form):
    file = forms.FileField(label=_("Tệp sao kê (.xlsx)"), error_messages={
        "required": FILE_REQUIRED, "empty": FILE_REQUIRED, "invalid": FILE_REQUIRED},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    mode = forms.ChoiceField(label=_("Cách nhập"), choices=Mode.choices, initial=Mode.ALL,
                             widget=forms.RadioSelect)
    create_donors = forms.BooleanField(
        label=_("Thêm nhà tài trợ chưa có trong danh sách (không công khai tên)"),
        required=False)
    earmark = forms.ChoiceField(label=_("Nội dung chỉ định của các khoản nhận"),
                                initial="unrestricted",
                                error_messages={"invalid_choice": EARMARK_CHOICE})

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["earmark"]).choices = [
            (r.key, str(r)) for r in reads.earmarks(fund)]


class AreaForm(NoSilentCut, forms.Form):
    name = forms.CharField(label=_("Tên địa bàn"), max_length=200,
                           error_messages={"required": exc.NAME_REQUIRED})
    mountain = forms.BooleanField(label=_("Xã miền núi, đặc biệt khó khăn"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Xã, phường"), queryset=Unit.objects.none(), to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": exc.AREA_EMPTY, "invalid_choice": exc.AREA_UNIT_INVALID,
                        "invalid_pk_value": exc.AREA_UNIT_INVALID})

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = reads.communes_of(
            fund)


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = f"{obj.code}. {obj.name}"
        return text if len(text) <= 90 else f"{text[:89]}…"


class RuleForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Tiêu chí"), choices=Criterion.choices,
                                  error_messages={"invalid_choice": exc.CHOICE_UNKNOWN})
    group = GroupChoice(label=_("Nhóm hoàn cảnh (chỉ với tiêu chí hoàn cảnh đặc biệt)"),
                        required=False, to_field_name="code",
                        queryset=CircumstanceGroup.objects.filter(active=True),
                        empty_label=_("— mọi nhóm —"))
    points = forms.IntegerField(label=_("Điểm ưu tiên"), min_value=0, max_value=1000,
                                error_messages={"invalid": exc.POINTS_INVALID,
                                                "required": exc.POINTS_INVALID,
                                                "min_value": exc.POINTS_INVALID,
                                                "max_value": exc.POINTS_INVALID})
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False)


class PeriodForm(forms.Form):
    year = _year()
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int,
                                   required=False, empty_value=None)

