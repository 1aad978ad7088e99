from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from treem.accounts.permissions import Capability
from treem.cases import assessments, choices, selectors, services
from treem.cases.models import Assessment, CalendarDay
from treem.edits.forms import VERSION_MISSING, VersionedForm
from treem.geo.models import Level, Unit
from treem.geo.selectors import commune_search
from treem.ui.forms import TEXT_MAX, DayField, MomentField, NoSilentCut
from treem.ui.pickers import PickerField, Source


class WhatHappenedForm(forms.Form):
    """The forms of abuse, where and when: asked at intake, corrected after verification."""

    abuse_forms = forms.MultipleChoiceField(
        label=_("Hình thức xâm hại"), choices=choices.AbuseForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một hình thức xâm hại.")})
    place = forms.ChoiceField(label=_("Nơi xảy ra"), choices=choices.Place.choices)
    happened_on = DayField(label=_("Ngày xảy ra"), required=False)


class CommuneSource(Source[Unit]):
    """The current communes a user may send a notification to, found by name (any accents)
    or code, each shown with its province."""

    def __init__(self, user: Any) -> None:
        self.user = user

    def search(self, q: str) -> Any:
        return commune_search(user=self.user, q=q, capability=Capability.RECEIVE_NOTIFICATIONS)

    def get(self, value: str) -> Unit | None:
        return (Unit.objects.visible_to(self.user, capability=Capability.RECEIVE_NOTIFICATIONS)
                .current().filter(level=Level.COMMUNE, code=value).select_related("parent")
                .first())

    def value_of(self, item: Unit) -> str:
        return item.code  # the official code: current communes' codes are unique

    def label_of(self, item: Unit) -> str:
        province = item.parent.name if item.parent_id and item.parent else ""
        return f"{item.name} — {province}" if province else item.name


class NotificationForm(NoSilentCut, WhatHappenedForm):
    # The most important first, as the operator hears it on the phone: is the child in
    # danger now (the 12-hour clock of ND 56 Điều 26 k3 starts), where, what happened, to
    # whom, who calls; the reception's channel and time (filled in already) and the family
    # after. The printed Mẫu 01 keeps its own order.
    field_order = ["urgent", "commune", "description", "child_description", "child_condition",
                   "abuse_forms", "place", "happened_on", "crime_suspected",
                   "reporter_anonymous", "reporter_name", "reporter_phone", "reporter_relation",
                   "reporter_address", "channel", "received_at"]
    commune: PickerField[Unit] = PickerField(
        label=_("Xã, phường nơi xảy ra"),
        placeholder=_("Gõ tên xã, phường, có dấu hoặc không, ví dụ: thuc phan"),
        help_text=_("Chỉ các xã, phường hiện hành (từ 01/7/2025). Có thể gõ mã 5 chữ số."),
        error_messages={"required": _("Hãy chọn xã, phường nơi xảy ra vụ việc."),
                        "invalid_choice": _("Không có xã, phường hiện hành với mã này.")})
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=choices.Channel.choices)
    received_at = MomentField(label=_("Thời điểm tiếp nhận"))
    description = forms.CharField(max_length=TEXT_MAX, label=_("Nội dung vụ việc"),
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": _("Hãy ghi nội dung vụ việc.")})
    child_description = forms.CharField(label=_("Thông tin về trẻ (tên, tuổi, nơi ở)"),
                                        max_length=300, required=False)
    child_condition = forms.CharField(max_length=TEXT_MAX,
                                      label=_("Tình trạng hiện tại của trẻ"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    likely_consequences = forms.CharField(max_length=TEXT_MAX,
        label=_("Phỏng đoán hậu quả nếu trẻ không được hỗ trợ, can thiệp"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    father = forms.CharField(label=_("Họ và tên cha, tuổi, nghề nghiệp"), max_length=200,
                             required=False)
    mother = forms.CharField(label=_("Họ và tên mẹ, tuổi, nghề nghiệp"), max_length=200,
                             required=False)
    carer = forms.CharField(label=_("Hiện ai là người chăm sóc trẻ em (nếu biết)"),
                            max_length=200, required=False)
    family_situation = forms.CharField(max_length=TEXT_MAX, label=_("Hoàn cảnh gia đình"),
                                       required=False, widget=forms.Textarea(attrs={"rows": 2}))
    actions_before = forms.CharField(max_length=TEXT_MAX,
                                     label=_("Hỗ trợ, can thiệp đã thực hiện trước khi báo tin"),
                                     required=False, widget=forms.Textarea(attrs={"rows": 2}))
    urgent = forms.BooleanField(label=_("Trẻ đang gặp nguy hiểm ngay lúc này"), required=False,
                                help_text=_("Đánh dấu khi tính mạng, sức khỏe của trẻ đang bị "
                                            "đe dọa: xã, phường phải can thiệp trong 12 giờ."))
    crime_suspected = forms.BooleanField(label=_("Có dấu hiệu tội phạm"), required=False)
    reporter_anonymous = forms.BooleanField(label=_("Người báo tin không cho biết danh tính"),
                                            required=False)
    reporter_name = forms.CharField(label=_("Họ tên người báo tin"), max_length=150,
                                    required=False)
    reporter_phone = forms.CharField(label=_("Điện thoại người báo tin"), max_length=20,
                                     required=False)
    reporter_relation = forms.CharField(label=_("Quan hệ với trẻ"), max_length=100,
                                        required=False)
    reporter_address = forms.CharField(label=_("Địa chỉ người báo tin"), max_length=300,
                                       required=False)


    def __init__(self, *args: Any, user: Any, commune: Unit | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField[Unit], self.fields["commune"]).configure(
            CommuneSource(user), search_url=reverse("cases:commune_search"), initial=commune)


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm trẻ trong sổ theo tên"), max_length=100, required=False)


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput, max_length=32)
    note = forms.CharField(max_length=TEXT_MAX, label=_("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    close_reason = forms.ChoiceField(label=_("Lý do kết thúc"), required=False,
                                     choices=[("", "—"), *choices.CloseReason.choices])


class MeasureForm(forms.Form):
    taken_at = MomentField(label=_("Thời điểm thực hiện"))
    description = forms.CharField(max_length=TEXT_MAX, label=_("Biện pháp đã thực hiện"),
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  error_messages={"required": _("Hãy ghi nội dung biện pháp.")})


class SeparationForm(MeasureForm):
    separated_from = forms.CharField(
        label=_("Cách ly khỏi (họ tên, quan hệ với trẻ)"), max_length=300,
        error_messages={"required": _("Hãy ghi trẻ được cách ly khỏi ai (cha, mẹ, người "
                                      "chăm sóc).")})
    care_place = forms.CharField(label=_("Nơi chăm sóc tạm thời"), max_length=300)
    alternative_carer = forms.CharField(label=_("Người, cơ sở chăm sóc thay thế"),
                                        max_length=300, required=False)
    days = forms.IntegerField(label=_("Số ngày cách ly"), min_value=1, max_value=365,
                              initial=15)
    authority_request = forms.CharField(
        label=_("Yêu cầu của cơ quan có thẩm quyền (nếu quá 15 ngày)"), max_length=300,
        required=False)


class SeparationChangeForm(forms.Form):
    action = forms.ChoiceField(choices=[("extend", "extend"), ("end", "end")],
                               widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Tổng số ngày cách ly"), min_value=1, max_value=365,
                              required=False)
    authority_request = forms.CharField(label=_("Yêu cầu của cơ quan có thẩm quyền"),
                                        max_length=300, required=False)
    reason = forms.CharField(label=_("Lý do kết thúc cách ly"), max_length=300, required=False)


class FactsForm(WhatHappenedForm):
    """What verification found: the forms of abuse, where, when, and who harmed the child."""

    perpetrator = forms.ChoiceField(label=_("Người gây hại"), required=False,
                                    choices=[("", "—"), *choices.Perpetrator.choices])


class FactsEditForm(VersionedForm, FactsForm):
    """The facts as read at their version (`treem.edits.forms`): a stale correction cannot
    silently undo another worker's."""

    def edit(self) -> dict[str, Any]:
        """The service's arguments: its facts are named as the case's, not the form's."""
        edit = super().edit()
        if "abuse_forms" in edit:
            edit["forms"] = edit.pop("abuse_forms")
        if "abuse_forms" in edit["base"]:
            edit["base"]["forms"] = edit["base"].pop("abuse_forms")
        return edit


class WorkerForm(forms.Form):
    """Add or take off a worker, chosen among the commune's officers and the case's workers
    (no other user can be named, so the form tells nothing of users elsewhere)."""

    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])
    worker = forms.UUIDField(error_messages={"required": _("Hãy chọn cán bộ."),
                                             "invalid": _("Hãy chọn cán bộ.")})

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_worker(self) -> Any:
        public_id = self.cleaned_data["worker"]
        worker = (selectors.case_workers(case=self.case).filter(public_id=public_id).first()
                  or selectors.assignable_workers(case=self.case).filter(public_id=public_id).first())
        if worker is None:
            raise forms.ValidationError(_("Hãy chọn cán bộ."))
        return worker


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Dịch vụ"), choices=choices.Service.choices)
    organisation = forms.CharField(label=_("Cơ quan, tổ chức tiếp nhận"), max_length=200,
                                   error_messages={"required":
                                                   _("Hãy ghi cơ quan, tổ chức tiếp nhận.")})
    due_on = DayField(label=_("Hạn"))
    note = forms.CharField(max_length=TEXT_MAX, label=_("Nội dung đề nghị"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReferralAnswerForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline"),
                                        ("result", "result")], widget=forms.HiddenInput)
    text = forms.CharField(max_length=TEXT_MAX, label=_("Ghi chú, kết quả"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(forms.Form):
    """Built from the items of the assessment (treem/cases/assessments.py)."""

    done_on = DayField(label=_("Ngày thực hiện"))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for item in assessments.ITEMS[kind]:
            if item.rated:
                self.fields[f"rating_{item.key}"] = forms.ChoiceField(
                    label=item.label, choices=assessments.LEVELS, widget=forms.RadioSelect,
                    error_messages={"required": _("Hãy chọn mức đánh giá.")})
            else:
                self.fields[f"answer_{item.key}"] = forms.CharField(max_length=TEXT_MAX,
                    label=item.label, required=item.key not in assessments.OPTIONAL,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={"required": _("Hãy điền mục này.")})
        conclusions = [(value, label) for value, label in Assessment.Conclusion.choices
                       if value in assessments.CONCLUSIONS[kind] and value]
        if conclusions:
            self.fields["conclusion"] = forms.ChoiceField(
                label=_("Kết luận"), choices=conclusions, widget=forms.RadioSelect,
                required=kind != assessments.DETAILED,
                error_messages={"required": _("Hãy chọn kết luận của đánh giá.")})

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"kind": self.kind, "done_on": data["done_on"],
                "answers": {k.removeprefix("answer_"): v for k, v in data.items()
                            if k.startswith("answer_")},
                "ratings": {k.removeprefix("rating_"): v for k, v in data.items()
                            if k.startswith("rating_")},
                "conclusion": data.get("conclusion") or ""}


PLAN_ROWS = 5


class PlanForm(forms.Form):
    """The plan's goal and up to PLAN_ROWS services or tasks (Điều 28 khoản 3)."""

    goal = forms.CharField(max_length=TEXT_MAX, label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Hãy ghi mục tiêu của kế hoạch.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, PLAN_ROWS + 1):
            self.fields[f"task_{row}"] = forms.CharField(
                label=_("Dịch vụ, công việc %(n)s") % {"n": row}, max_length=300,
                required=False)
            self.fields[f"starts_on_{row}"] = DayField(label=_("Bắt đầu"), required=False)
            self.fields[f"ends_on_{row}"] = DayField(label=_("Dự kiến kết thúc"), required=False)
            self.fields[f"responsible_{row}"] = forms.CharField(
                label=_("Người, cơ quan thực hiện"), max_length=200, required=False)
            self.fields[f"provider_{row}"] = forms.CharField(
                label=_("Cơ sở cung cấp dịch vụ"), max_length=200, required=False)
            self.fields[f"cost_{row}"] = forms.DecimalField(
                label=_("Dự toán (đồng)"), required=False, min_value=0, max_digits=14, decimal_places=0)

    def items(self) -> list[dict[str, Any]]:
        return plan_items(self.cleaned_data)


ITEM_INPUTS = ("task", "starts_on", "ends_on", "responsible", "provider", "cost")


def plan_items(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The plan's items from the values of the rows' inputs (by input): the rows not left
    empty."""
    rows = [{name: values.get(f"{name}_{row}") for name in ITEM_INPUTS}
            for row in range(1, PLAN_ROWS + 1)]
    return [row for row in rows if any(value not in (None, "") for value in row.values())]


class PlanEditForm(VersionedForm, PlanForm):
    """The plan being built, as read at its version (`treem.edits.forms`): its goal, and its
    items as one field of the plan (the rows' inputs are a group), so that a stale page cannot
    silently replace another worker's goal or items. Version 0: no draft yet."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
                                 error_messages={"required": VERSION_MISSING,
                                                 "invalid": VERSION_MISSING,
                                                 "min_value": VERSION_MISSING,
                                                 "max_value": VERSION_MISSING})
    groups = {"items": tuple(f"{name}_{row}" for row in range(1, PLAN_ROWS + 1)
                             for name in ITEM_INPUTS)}
    group_labels = {"items": services.PLAN_ITEMS_LABEL}

    def compose(self, group: str, values: Mapping[str, Any]) -> Any:
        return plan_items(values)

    def text(self, name: str, value: Any) -> str:
        if name == "items":
            return services.plan_items_text(value)
        return super().text(name, value)


class PeriodForm(forms.Form):
    start = DayField(label=_("Từ ngày"))
    end = DayField(label=_("Đến ngày"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


def _any(choices_: Any) -> list[tuple[str, Any]]:
    return [("", _("Tất cả")), *choices_]


class CaseFilterForm(forms.Form):
    """The filters of the case list (GET): steps, forms, places, perpetrators, a period."""

    status = forms.ChoiceField(label=_("Bước"), required=False,
                               choices=_any(choices.Status.choices))
    form = forms.ChoiceField(label=_("Hình thức"), required=False,
                             choices=_any(choices.AbuseForm.choices))
    place = forms.ChoiceField(label=_("Nơi xảy ra"), required=False,
                              choices=_any(choices.Place.choices))
    perpetrator = forms.ChoiceField(label=_("Người gây hại"), required=False,
                                    choices=_any(choices.Perpetrator.choices))
    start = DayField(label=_("Tiếp nhận từ ngày"), required=False)
    end = DayField(label=_("đến ngày"), required=False)
    overdue = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def where(self) -> "selectors.CaseFilter":
        """The filter chosen; none when the form is not valid (the page says why)."""
        if not self.is_valid():
            return selectors.CaseFilter()
        fields = selectors.CaseFilter.__dataclass_fields__
        return selectors.CaseFilter(**{k: v for k, v in self.cleaned_data.items()
                                       if k in fields})


class CaseExportForm(CaseFilterForm):
    reason = forms.CharField(label=_("Lý do xuất danh sách"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Hãy ghi lý do xuất danh sách.")})


class StatisticsExportForm(PeriodForm):
    reason = forms.CharField(label=_("Lý do xuất số liệu"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Hãy ghi lý do xuất số liệu.")})


class CalendarDayForm(forms.Form):
    day = DayField(label=_("Ngày"))
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Tên ngày nghỉ, lý do làm bù"), max_length=120)
    source = forms.CharField(label=_("Căn cứ (văn bản, thông báo)"), max_length=300,
                             required=False)
