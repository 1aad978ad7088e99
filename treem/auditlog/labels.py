"""The audit trail read as sentences: "officer_a (Người làm công tác bảo vệ trẻ em cấp xã) đã xem hồ sơ
trẻ em Nguyễn V. A.", not "officer_a commune_officer view registry.child 8f2c…".

An event stores the type and id of its object, never a name (the trail must not become a copy of
sensitive data). The name is looked up when the page is read, by the app that owns the object,
through the reader's own selectors: an auditor reads the name of a child it may see and a link to
the child's page, the number of a case it may not open (never the child's name) and no link.
The apps above this one register their labellers (`register`), as the layers allow no import
upwards; each labels all its objects of a page in one query.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent

# What each action says of its actor, in the past: "<actor> đã xem <object>".
ACTION_PHRASES: dict[str, Promise] = {
    Action.CREATE: gettext_lazy("đã tạo"),
    Action.UPDATE: gettext_lazy("đã cập nhật"),
    Action.DELETE: gettext_lazy("đã xóa"),
    Action.VIEW: gettext_lazy("đã xem"),
    Action.EXPORT: gettext_lazy("đã xuất dữ liệu"),
    Action.LOGIN: gettext_lazy("đã đăng nhập"),
    Action.LOGIN_FAILED: gettext_lazy("đăng nhập không thành công"),
    Action.LOCKED: gettext_lazy("bị khóa đăng nhập vì nhập sai nhiều lần"),
    Action.UNLOCKED: gettext_lazy("đã mở khóa đăng nhập"),
    Action.LOGOUT: gettext_lazy("đã đăng xuất"),
    Action.LOGOUT_ALL: gettext_lazy("đã đăng xuất trên mọi thiết bị"),
    Action.OTP_ENROLLED: gettext_lazy("đã kích hoạt xác thực hai lớp"),
    Action.OTP_VERIFIED: gettext_lazy("đã xác thực hai lớp"),
    Action.OTP_FAILED: gettext_lazy("nhập sai mã xác thực hai lớp"),
    Action.TOKEN_CREATED: gettext_lazy("đã tạo khóa API"),
    Action.TOKEN_REVOKED: gettext_lazy("đã thu hồi khóa API"),
    Action.DATA_LOADED: gettext_lazy("đã nạp dữ liệu"),
}
# What an object is called when it has no labeller, or the reader may not know more of it.
KIND_NAMES: dict[str, Promise] = {
    "accounts.user": gettext_lazy("tài khoản"),
    "accounts.roleassignment": gettext_lazy("phân quyền"),
    "accounts.apitoken": gettext_lazy("khóa API"),
    "geo.unit": gettext_lazy("đơn vị hành chính"),
    "geo.dataset": gettext_lazy("bộ dữ liệu đơn vị hành chính"),
    "registry.child": gettext_lazy("hồ sơ trẻ em"),
    "registry.household": gettext_lazy("hộ gia đình"),
    "registry.caregiver": gettext_lazy("người chăm sóc trẻ"),
    "registry.importjob": gettext_lazy("lần nhập tệp Excel"),
    "registry.duplicatepair": gettext_lazy("cặp hồ sơ nghi trùng"),
    "registry.duplicatesearch": gettext_lazy("lần tìm hồ sơ trùng"),
    "registry.childmerge": gettext_lazy("lần gộp hồ sơ trẻ em"),
    "registry.childconsent": gettext_lazy("sự đồng ý của trẻ"),
    "cases.notification": gettext_lazy("tin báo"),
    "cases.case": gettext_lazy("hồ sơ trường hợp"),
    "cases.protection": gettext_lazy("biện pháp bảo vệ"),
    "cases.referral": gettext_lazy("đề nghị chuyển gửi"),
    "cases.assessment": gettext_lazy("phiếu đánh giá"),
    "cases.plan": gettext_lazy("kế hoạch hỗ trợ, can thiệp"),
    "cases.calendarday": gettext_lazy("ngày nghỉ, ngày làm bù"),
    "indicators.indicatorset": gettext_lazy("bộ chỉ tiêu"),
    "indicators.indicator": gettext_lazy("chỉ tiêu"),
    "indicators.target": gettext_lazy("chỉ tiêu kế hoạch"),
    "indicators.sectorfigure": gettext_lazy("số liệu ngành"),
    "reports.report": gettext_lazy("báo cáo"),
    "reports.schedule": gettext_lazy("lịch báo cáo"),
    "dhis2.mapping": gettext_lazy("ánh xạ DHIS2"),
    "plans.plan": gettext_lazy("kế hoạch"),
    "plans.agency": gettext_lazy("cơ quan thực hiện kế hoạch"),
    "plans.task": gettext_lazy("nhiệm vụ của kế hoạch"),
}
# Fields whose model gives no name of their own (a foreign key's default is its English
# attribute), and the pseudo-fields some events record.
FIELD_NAMES: dict[str, Promise] = {
    "child": gettext_lazy("trẻ em"),
    "household": gettext_lazy("hộ gia đình"),
    "commune": gettext_lazy("xã, phường"),
    "village": gettext_lazy("thôn, bản"),
    "report": gettext_lazy("báo cáo"),
    "pdf": gettext_lazy("tệp PDF"),
    "abuses": gettext_lazy("hình thức xâm hại"),
    "workers": gettext_lazy("người phụ trách"),
    "consents": gettext_lazy("sự đồng ý"),
}
SOMEONE = gettext_lazy("Người dùng chưa đăng nhập")
A_RECORD = gettext_lazy("bản ghi")


@dataclass(frozen=True)
class ObjectLabel:
    text: str
    url: str = ""  # empty when the reader may not open the object


# A labeller gets the reader and the ids of its objects on the page, and returns the label of
# each id it may say more of (ids it leaves out are named by their kind only).
Labeller = Callable[[User, list[str]], dict[str, ObjectLabel]]
_LABELLERS: dict[str, Labeller] = {}


def register(object_type: str, labeller: Labeller) -> None:
    """Called by the app owning `object_type` ("registry.child") from its AppConfig.ready."""
    _LABELLERS[object_type] = labeller


def short_name(full_name: str) -> str:
    """"Nguyễn Văn An" → "Nguyễn V. A.": the family name and initials, enough for an inspector
    to recognise the record on its page, less to read over a shoulder."""
    family, *rest = full_name.split() or [""]
    return " ".join([family, *(f"{part[0]}." for part in rest)])


def role_names(codes: str) -> str:
    """"auditor,commune_officer" → the roles' Vietnamese names; an unknown code as it is."""
    names = []
    for code in filter(None, codes.split(",")):
        try:
            names.append(str(Role(code).label))
        except ValueError:
            names.append(code)
    return ", ".join(names)


def field_names(object_type: str, fields: Iterable[str]) -> list[str]:
    """The changed fields by their names on the forms ("ngày sinh"), where the model has one."""
    model = None
    if object_type.count(".") == 1:
        try:
            model = apps.get_model(object_type)
        except LookupError:
            model = None
    names = []
    for field in fields:
        name = field
        try:
            if model is not None:
                name = str(model._meta.get_field(field).verbose_name)
        except (FieldDoesNotExist, AttributeError):
            pass
        if name == field.replace("_", " ") and field in FIELD_NAMES:
            name = str(FIELD_NAMES[field])
        names.append(name)
    return names


def _user_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    """An account by its username (the trail shows usernames anyway); its page is the
    administrators', so no link for an auditor."""
    accounts = User.objects.filter(public_id__in=uuids_of(ids)).only("public_id", "username")
    return {str(account.public_id): ObjectLabel(_("tài khoản %(name)s")
                                                % {"name": account.username})
            for account in accounts}


def uuids_of(ids: Iterable[str]) -> list[uuid.UUID]:
    """The ids that are public ids (an event of a row without one holds its primary key)."""
    found = []
    for value in ids:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


register("accounts.user", _user_labels)


@dataclass(frozen=True)
class Sentence:
    """One event as the page reads it."""

    event: AuditEvent
    actor: str
    roles: str
    phrase: str
    object: ObjectLabel | None
    fields: list[str]


def sentences(*, reader: User, events: Iterable[AuditEvent]) -> list[Sentence]:
    """The events of a page as sentences, with one query per kind of object on the page."""
    events = list(events)
    ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            ids[event.object_type].add(event.object_id)
    labels: dict[tuple[str, str], ObjectLabel] = {}
    for object_type, of_type in ids.items():
        labeller = _LABELLERS.get(object_type)
        if labeller is None:
            continue
        for object_id, label in labeller(reader, sorted(of_type)).items():
            labels[object_type, object_id] = label
    return [_sentence(event, labels) for event in events]


def _sentence(event: AuditEvent, labels: dict[tuple[str, str], ObjectLabel]) -> Sentence:
    label = None
    if event.object_type:
        label = labels.get((event.object_type, event.object_id)) or ObjectLabel(
            str(KIND_NAMES.get(event.object_type, A_RECORD)))
    # Signing in and out name the account that signs in: the actor itself, said once.
    if (label is not None and event.object_type == "accounts.user"
            and event.actor_username and label.text.endswith(f" {event.actor_username}")):
        label = None
    phrase = ACTION_PHRASES.get(event.action)
    return Sentence(event=event, actor=event.actor_username or str(SOMEONE),
                    roles=role_names(event.roles),
                    phrase=str(phrase) if phrase else event.get_action_display(),
                    object=label, fields=field_names(event.object_type, event.changed_fields))
