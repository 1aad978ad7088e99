"""The forms of the activity pages: an activity (its common parts, then those of its kind),
its list's filter, a trainee, a recommendation and its answer."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from treem.accounts.models import User
from treem.edits.forms import VersionedForm
from treem.geo.models import Unit
from treem.plans.activities.models import (
    ActivityKind,
    ActivityStatus,
    ActivityType,
    Adoption,
    FileKind,
    ForumLevel,
    FundingSource,
    RecommendationStatus,
    Topic,
)
from treem.plans.activities.selectors import Filters
from treem.plans.models import Agency, Task
from treem.ui.dates import DayField

COUNT_ERRORS = {"invalid": _("Hãy ghi số người bằng chữ số."),
                "min_value": _("Số người không âm."),
                "max_value": _("Số người tối đa 1.000.000.")}
MONEY_ERRORS = {"invalid": _("Hãy ghi số tiền bằng chữ số (đồng), không dấu chấm."),
                "min_value": _("Số tiền không âm."),
                "max_value": _("Số tiền quá lớn.")}
BUDGET_FIELDS = tuple(f"{what}_{source}" for source in FundingSource.values
                      for what in ("planned", "spent"))


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=1_000_000, initial=0,
                              required=False, error_messages=COUNT_ERRORS,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def _money(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10_000_000_000_000,
                              initial=0, required=False, error_messages=MONEY_ERRORS,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoạt động"), required=False, max_length=100)
    type = forms.ModelChoiceField(label=_("Loại"), required=False, to_field_name="code",
                                  queryset=ActivityType.objects.all(),
                                  empty_label=_("Mọi loại"))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Mọi tình trạng")), *ActivityStatus.choices])
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": _("Hãy ghi năm bằng chữ số, ví dụ "
                                                           "2026.")})

    def filters(self, task: Task | None = None) -> Filters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chosen = data.get("type")
        return Filters(q=data.get("q") or "", type=chosen.code if chosen else "",
                       status=data.get("status") or "", year=data.get("year"), task=task)


class ActivityForm(forms.Form):
    """An activity: what, where, when, who came, for how much; then the parts of its kind."""

    title = forms.CharField(label=_("Tên hoạt động"), max_length=300)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(),
                                  to_field_name="public_id", empty_label=None)
    task = forms.ModelChoiceField(label=_("Thuộc nhiệm vụ của kế hoạch"), required=False,
                                  queryset=Task.objects.none(), to_field_name="public_id",
                                  empty_label=_("— Hoạt động riêng, không thuộc nhiệm vụ —"))
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ActivityStatus.choices,
                               initial=ActivityStatus.HELD)
    start_date = DayField(label=_("Từ ngày"))
    end_date = DayField(label=_("Đến ngày"))
    place_text = forms.CharField(label=_("Địa điểm cụ thể"), max_length=200, required=False)
    organiser = forms.ModelChoiceField(label=_("Cơ quan tổ chức"), required=False,
                                       queryset=Agency.objects.none(),
                                       to_field_name="public_id")
    organiser_text = forms.CharField(label=_("Đơn vị tổ chức khác"), max_length=200,
                                     required=False)
    topics = forms.ModelMultipleChoiceField(label=_("Chủ đề"), required=False,
                                            queryset=Topic.objects.all(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Nội dung, kết quả"), max_length=10_000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 4}))

    adults = _count(_("Người lớn tham gia"))
    adult_women = _count(_("trong đó nữ"))
    children = _count(_("Trẻ em tham gia"))
    girls = _count(_("trong đó trẻ em gái"))
    children_0_6 = _count(_("Trẻ em dưới 7 tuổi"))
    children_7_10 = _count(_("Trẻ em 7–10 tuổi"))
    children_11_15 = _count(_("Trẻ em 11–15 tuổi"))
    children_minority = _count(_("Trẻ em dân tộc thiểu số"))
    children_special = _count(_("Trẻ em có hoàn cảnh đặc biệt"))

    planned_state = _money(_("Ngân sách nhà nước: dự kiến (đồng)"))
    spent_state = _money(_("Ngân sách nhà nước: đã chi (đồng)"))
    planned_mobilised = _money(_("Vận động, xã hội hóa: dự kiến (đồng)"))
    spent_mobilised = _money(_("Vận động, xã hội hóa: đã chi (đồng)"))
    planned_fund = _money(_("Quỹ Bảo trợ trẻ em: dự kiến (đồng)"))
    spent_fund = _money(_("Quỹ Bảo trợ trẻ em: đã chi (đồng)"))

    forum_level = forms.ChoiceField(label=_("Cấp diễn đàn"), required=False,
                                    choices=ForumLevel.choices, initial=ForumLevel.COMMUNE)
    reported_on = DayField(label=_("Ngày gửi báo cáo kết quả lên tỉnh"), required=False,
                           help_text=_("Trong 15 ngày sau khi diễn đàn kết thúc."))
    subject = forms.CharField(label=_("Văn bản, chính sách được lấy ý kiến"), max_length=500,
                              required=False)
    prepared_on = DayField(label=_("Bước 1 — chuẩn bị xong ngày"), required=False)
    compiled_on = DayField(label=_("Bước 3 — tổng hợp, giải trình ngày"), required=False)
    explanation = forms.CharField(label=_("Ý kiến được tiếp thu và giải trình"),
                                  max_length=10_000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    feedback_on = DayField(label=_("Bước 4 — thông tin phản hồi cho trẻ em ngày"),
                           required=False)
    feedback = forms.CharField(label=_("Nội dung phản hồi cho trẻ em"), max_length=10_000,
                               required=False, widget=forms.Textarea(attrs={"rows": 3}))

    COMMON = ("title", "unit", "task", "status", "start_date", "end_date", "place_text",
              "organiser", "organiser_text", "topics", "description")
    PEOPLE = ("adults", "adult_women", "children", "girls", "children_0_6", "children_7_10",
              "children_11_15", "children_minority", "children_special")
    FORUM = ("forum_level", "reported_on")
    CONSULTATION = ("subject", "prepared_on", "compiled_on", "explanation", "feedback_on",
                    "feedback")

    def __init__(self, *args: Any, kind: str, units: list[Unit], tasks: Any,
                 agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]).order_by("path")
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]
        self.fields["task"].label_from_instance = (  # type: ignore[attr-defined]
            lambda t: f"{t.plan.number or t.plan.title[:30]} · {t.section} "
                      f"{t.text[:70]}")
        self.fields["organiser"].queryset = agencies  # type: ignore[attr-defined]
        drop: set[str] = set()
        if kind != ActivityKind.FORUM:
            drop.update(self.FORUM)
        if kind != ActivityKind.CONSULTATION:
            drop.update(self.CONSULTATION)
        else:
            self.fields["subject"].required = True
            self.fields["children_0_6"].widget = forms.HiddenInput()
        if kind != ActivityKind.TRAINING:
            drop.add("topics")
        for name in drop:
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for name in (*self.PEOPLE, *BUDGET_FIELDS):
            if name in self.fields and data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """The fields in the sections of the page (a fieldset each)."""
        sections = [(pgettext_lazy("an activity", "Hoạt động"), self.COMMON),
                    (_("Người tham gia"), self.PEOPLE),
                    (_("Kinh phí"), BUDGET_FIELDS), (_("Diễn đàn trẻ em"), self.FORUM),
                    (_("Các bước lấy ý kiến trẻ em (Thông tư 36/2018/TT-BLĐTBXH)"),
                     self.CONSULTATION)]
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in sections
                if any(name in self.fields for name in names)]

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as `services.activity_create` takes them."""
        data = dict(self.cleaned_data)
        data.pop("unit", None)
        budget = {source: (data.pop(f"planned_{source}", 0) or 0,
                           data.pop(f"spent_{source}", 0) or 0)
                  for source in FundingSource.values}
        data["budget"] = budget
        data["topics"] = list(data.pop("topics", []) or [])
        return data


class ActivityEditForm(VersionedForm, ActivityForm):
    """An activity as read at its version. The unit stays (an activity is of its place), and
    topics and money are replaced whole."""

    unversioned = ("topics", *BUDGET_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class AttendeeForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Người dùng treem"), queryset=User.objects.none(),
                                  to_field_name="username", required=False,
                                  empty_label=_("— Người ngoài (ghi họ tên) —"))
    name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    position_text = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none(),
                                    to_field_name="public_id", required=False)

    def __init__(self, *args: Any, users: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.get_username())
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kiến nghị, ý kiến của trẻ em"), max_length=5_000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    agency = forms.ModelChoiceField(label=_("Giao cơ quan trả lời"),
                                    queryset=Agency.objects.none(),
                                    to_field_name="public_id", required=False)
    answer_due_on = DayField(label=_("Hạn trả lời"), required=False)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class AnswerForm(VersionedForm):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=RecommendationStatus.choices)
    answer = forms.CharField(label=_("Trả lời"), max_length=10_000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(label=_("Kết quả theo dõi, thực hiện"), max_length=5_000,
                                required=False, widget=forms.Textarea(attrs={"rows": 2}))
    adoption = forms.ChoiceField(label=_("Tiếp thu"), required=False,
                                 choices=[("", "—"), *Adoption.choices])

    def __init__(self, *args: Any, consultation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not consultation:
            del self.fields["adoption"]


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=FileKind.choices)


class ChildSearchForm(forms.Form):
    """A name searched among the children to name (posted: a name stays out of addresses)."""
    q = forms.CharField(label=_("Tên trẻ em"), max_length=100, required=False)


class NamedChildForm(forms.Form):
    child = forms.ChoiceField(label=_("Trẻ em"), widget=forms.RadioSelect,
                              error_messages={"required": _("Hãy chọn một trẻ em."),
                                              "invalid_choice": _("Hãy chọn một trẻ em trong "
                                                                  "danh sách tìm được.")})
    reason = forms.CharField(label=_("Lý do nêu tên"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Ví dụ: đại biểu trẻ em của xã dự diễn đàn cấp tỉnh; "
                                         "nhận học bổng tại lễ phát động."))
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [  # type: ignore[attr-defined]
            (str(child.public_id), _child_label(child)) for child in children]


def _child_label(child: Any) -> str:
    place = child.village.name if child.village_id else child.commune.name
    return f"{child.full_name} — {child.birth_date:%d/%m/%Y} — {place}"
