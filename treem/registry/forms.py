import uuid
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from treem.accounts.permissions import Capability
from treem.edits.forms import VersionedForm
from treem.geo.models import Level, Unit
from treem.geo.selectors import current_unit_by_code
from treem.lib.limits import MAX_PAGE
from treem.registry import choices
from treem.registry.models import CircumstanceGroup, Ethnicity, Household
from treem.registry.selectors import AGE_GROUPS, household_search
from treem.ui.forms import DayField, NoSilentCut
from treem.ui.pickers import PickerField, Source


def _blank(choice_list: list) -> list:
    return [("", "—")] + list(choice_list)


class ChildFilterForm(forms.Form):
    """Filters that reveal nothing about a person travel in the URL; the name does not."""

    village = forms.ChoiceField(label=_("Thôn, tổ dân phố"), required=False)
    age_group = forms.ChoiceField(label=_("Nhóm tuổi"), required=False,
                                  choices=_blank([(k, k) for k in AGE_GROUPS]))
    sex = forms.ChoiceField(label=_("Giới tính"), required=False,
                            choices=_blank(choices.Sex.choices))
    ethnicity = forms.ModelChoiceField(label=_("Dân tộc"), required=False,
                                       queryset=Ethnicity.objects.all())
    circumstance = forms.ChoiceField(label=_("Hoàn cảnh đặc biệt"), required=False)
    support = forms.ChoiceField(label=_("Được hỗ trợ"), required=False,
                                choices=_blank([("any", _("Bất kỳ"))]
                                               + list(choices.SupportKind.choices)))
    school_status = forms.ChoiceField(label=_("Đi học"), required=False,
                                      choices=_blank(choices.SchoolStatus.choices))
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=[
        ("name", _("Tên A→Z")), ("-name", _("Tên Z→A")), ("birth", _("Lớn tuổi trước")),
        ("-birth", _("Nhỏ tuổi trước"))])

    def __init__(self, *args: object, villages: list[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["village"]).choices = _blank(
            [(str(v.public_id), v.name) for v in villages])
        groups = CircumstanceGroup.objects.filter(parent__isnull=True, active=True)
        cast(forms.ChoiceField, self.fields["circumstance"]).choices = _blank(
            [("any", _("Bất kỳ nhóm nào"))] + [(g.code, str(g)) for g in groups])


class NameSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên"), required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE,
                              widget=forms.HiddenInput)


class HouseholdSource(Source[Household]):
    """The households of a commune that the user may record a child in, found by the head's
    name, the village or the address (`selectors.household_search`)."""

    def __init__(self, *, user: Any, commune: Unit | None) -> None:
        self.user, self.commune = user, commune

    def search(self, q: str) -> Any:
        return household_search(user=self.user, q=q, commune=self.commune)

    def get(self, value: str) -> Household | None:
        try:
            public_id = uuid.UUID(value)
        except ValueError:
            return None
        households = Household.objects.visible_to(self.user,
                                                  capability=Capability.MANAGE_CHILDREN)
        if self.commune is not None:
            households = households.filter(commune=self.commune)
        return households.filter(public_id=public_id).select_related("village").first()

    def value_of(self, item: Household) -> str:
        return str(item.public_id)

    def label_of(self, item: Household) -> str:
        where = ", ".join(part for part in (item.village.name if item.village else "",
                                            item.address) if part)
        return f"{item.head_name} — {where}" if where else item.head_name


class ChildForm(NoSilentCut, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=choices.Sex.choices,
                            widget=forms.RadioSelect)
    birth_date = DayField(label=_("Ngày sinh"))
    birth_date_precision = forms.ChoiceField(label=_("Ngày sinh là"),
                                             choices=choices.DatePrecision.choices,
                                             initial=choices.DatePrecision.DAY)
    ethnicity = forms.ModelChoiceField(label=_("Dân tộc"), queryset=Ethnicity.objects.all())
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), required=False,
                                  max_length=12,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    birth_registered = forms.BooleanField(label=_("Đã đăng ký khai sinh"), required=False)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none(),
                                     required=False)
    residence_type = forms.ChoiceField(label=_("Loại cư trú"),
                                       choices=choices.ResidenceType.choices)
    household: PickerField[Household] = PickerField(
        label=_("Hộ gia đình"), required=False,
        placeholder=_("Gõ tên chủ hộ, thôn hoặc địa chỉ, có dấu hoặc không"),
        help_text=_("Để trống nếu chưa ghi hộ vào sổ."),
        error_messages={"invalid_choice": _("Hộ này không thuộc xã, phường của trẻ.")})
    living_arrangement = forms.ChoiceField(label=_("Hoàn cảnh sống"),
                                           choices=choices.LivingArrangement.choices)
    school_level = forms.ChoiceField(label=_("Cấp học"), choices=choices.SchoolLevel.choices)
    school_status = forms.ChoiceField(label=_("Tình trạng đi học"),
                                      choices=choices.SchoolStatus.choices)
    disability_type = forms.ChoiceField(label=_("Dạng khuyết tật"), required=False,
                                        choices=_blank(choices.DisabilityType.choices))
    disability_degree = forms.ChoiceField(label=_("Mức độ khuyết tật"), required=False,
                                          choices=_blank(choices.DisabilityDegree.choices))
    health_insurance = forms.BooleanField(label=_("Có thẻ bảo hiểm y tế"), required=False)
    vaccination_status = forms.ChoiceField(label=_("Tiêm chủng (trẻ dưới 5 tuổi)"),
                                           required=False,
                                           choices=_blank(choices.VaccinationStatus.choices))
    nutrition_status = forms.ChoiceField(label=_("Dinh dưỡng (trẻ dưới 5 tuổi)"), required=False,
                                         choices=_blank(choices.NutritionStatus.choices))
    # Editing only: when the changed statuses (schooling, nutrition…) took effect, so that the
    # indicators of a past period count the value the child had then.
    changed_on = DayField(label=_("Ngày thay đổi tình trạng"), required=False,
        help_text=_("Ngày bắt đầu của tình trạng mới (đi học, dinh dưỡng, tiêm chủng, khai "
                    "sinh…). Để trống nếu là hôm nay."))

    def __init__(self, *args: object, commune: Unit, user: Any, edit: bool = False,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = Unit.objects.filter(
            parent=commune, level=Level.VILLAGE)
        household = self.initial.get("household")
        cast(PickerField[Household], self.fields["household"]).configure(
            HouseholdSource(user=user, commune=commune),
            search_url=f"{reverse('registry:household_search')}?commune={commune.public_id}",
            initial=household if isinstance(household, Household) else None)
        if edit:
            del self.fields["village"]  # a change of village is a move, recorded with its date
        else:
            del self.fields["changed_on"]  # a new record has no past


class ChildEditForm(VersionedForm, ChildForm):
    """The child's record as read at its version (`treem.edits.forms`)."""

    unversioned = ("changed_on",)

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, commune=commune, edit=True, **kwargs)


class ExportForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do xuất danh sách"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Ví dụ: báo cáo danh sách trẻ em có hoàn cảnh đặc "
                                         "biệt quý III gửi UBND tỉnh."))


class DuplicateConfirmForm(forms.Form):
    confirm_new = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây không phải trẻ đã có trong sổ."), required=False)


class MoveForm(forms.Form):
    commune = forms.CharField(label=_("Mã xã, phường chuyển đến"), max_length=16)
    village = forms.CharField(label=_("Mã thôn, tổ dân phố (nếu biết)"), max_length=16,
                              required=False)
    moved_on = DayField(label=_("Ngày chuyển đến"))
    residence_type = forms.ChoiceField(label=_("Loại cư trú"),
                                       choices=choices.ResidenceType.choices)

    def clean(self) -> dict:
        data = super().clean() or {}
        code = (data.get("commune") or "").strip()
        commune = current_unit_by_code(Level.COMMUNE, code)
        if code and commune is None:
            self.add_error("commune", _("Không có xã, phường hiện hành mang mã này."))
            return data
        data["commune"] = commune
        village_code = (data.get("village") or "").strip()
        data["village"] = None
        if village_code and commune is not None:
            village = Unit.objects.filter(parent=commune, level=Level.VILLAGE,
                                          code=village_code).first()
            if village is None:
                self.add_error("village", _("Xã, phường này không có thôn mang mã đó."))
            data["village"] = village
        return data


class CircumstanceForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Nhóm hoàn cảnh đặc biệt"),
                                   queryset=CircumstanceGroup.objects.filter(active=True))
    start_date = DayField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class RiskForm(forms.Form):
    flag = forms.ChoiceField(label=_("Nguy cơ"), choices=choices.RiskFlag.choices)
    start_date = DayField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức hỗ trợ"), choices=choices.SupportKind.choices)
    provider = forms.CharField(label=_("Đơn vị hỗ trợ"), required=False, max_length=150)
    start_date = DayField(label=_("Từ ngày"))
    end_date = DayField(label=_("Đến ngày"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class EndForm(forms.Form):
    end_date = DayField(label=_("Kết thúc ngày"))


class CaregiverForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    relation = forms.ChoiceField(label=_("Quan hệ với trẻ"), choices=choices.Relation.choices)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900,
                                    max_value=2100)
    phone = forms.RegexField(label=_("Điện thoại"), regex=r"^\+?[0-9 .]{8,20}$", required=False,
                             max_length=20,
                             error_messages={"invalid": _("Số điện thoại không hợp lệ.")})
    is_primary = forms.BooleanField(label=_("Người chăm sóc chính"), required=False)


class CaregiverEditForm(VersionedForm, CaregiverForm):
    """A caregiver as read at its version (`treem.edits.forms`)."""


class HouseholdForm(NoSilentCut, forms.Form):
    head_name = forms.CharField(label=_("Họ tên chủ hộ"), max_length=150)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none(),
                                     required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.RegexField(label=_("Điện thoại"), regex=r"^\+?[0-9 .]{8,20}$", required=False,
                             max_length=20,
                             error_messages={"invalid": _("Số điện thoại không hợp lệ.")})
    poverty_status = forms.ChoiceField(label=_("Hộ nghèo, cận nghèo"),
                                       choices=choices.PovertyStatus.choices)

    def __init__(self, *args: object, commune: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = Unit.objects.filter(
            parent=commune, level=Level.VILLAGE)


class HouseholdEditForm(VersionedForm, HouseholdForm):
    """A household as read at its version (`treem.edits.forms`). Its village is where it
    lives, not a correction: not edited here."""

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, commune=commune, **kwargs)
        del self.fields["village"]
