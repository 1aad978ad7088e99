"""Demo accounts, one per role, in one province: for `make run` only, never in production."""

from dataclasses import dataclass

from treem.accounts.models import User
from treem.accounts.roles import Role, Sector
from treem.accounts.services import admin_bootstrap, user_create
from treem.geo.models import Level, Unit
from treem.units.services import village_create

DEMO_PASSWORD = "Treem-demo-2026"
DEMO_PROVINCE_CODE = "04"  # Cao Bằng, whose 2022 plan is one of the seeds
DEMO_VILLAGES = [("Thôn", "Thôn Nà Pồng"), ("Bản", "Bản Khuổi Khon"), ("Tổ dân phố", "Tổ dân phố 1")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str
    two_factor: bool


def _staff_accounts(nation: Unit, province: Unit, commune: Unit) -> list[tuple]:
    return [
        ("demo.xa", "Nông Văn Hùng", Role.COMMUNE_OFFICER, commune, ""),
        ("demo.chutich", "Hoàng Thị Lan", Role.COMMUNE_LEADER, commune, ""),
        ("demo.xa2", "Bế Văn Tuấn", Role.COMMUNE_OFFICER, _other_commune(province, commune), ""),
        ("demo.tinh", "Đàm Thị Hoa", Role.AREA_OFFICER, province, ""),
        ("demo.congan", "Lương Văn Dũng", Role.SECTOR_FOCAL, province, Sector.POLICE),
        ("demo.giaoduc", "Hà Thị Thu", Role.SECTOR_FOCAL, province, Sector.EDUCATION),
        ("demo.tongdai", "Trần Thu Hà", Role.INTAKE_OPERATOR, nation, ""),
        ("demo.quy", "Phạm Minh Châu", Role.FUND_MANAGER, province, ""),
        ("demo.lanhdao", "Nguyễn Đức Thịnh", Role.FUND_APPROVER, province, ""),
        ("demo.thanhtra", "Vũ Quốc Bảo", Role.AUDITOR, province, ""),
    ]


def _other_commune(province: Unit, commune: Unit) -> Unit:
    return (Unit.objects.current().filter(parent=province, level=Level.COMMUNE)
            .exclude(pk=commune.pk).order_by("code").first())  # type: ignore[return-value]


def setup_demo_accounts() -> list[DemoLogin]:
    nation = Unit.objects.get(level=Level.NATION)
    province = Unit.objects.current().get(level=Level.PROVINCE, code=DEMO_PROVINCE_CODE)
    commune = (Unit.objects.current().filter(parent=province, level=Level.COMMUNE)
               .order_by("code").first())
    assert commune is not None
    admin = User.objects.filter(username="demo.quantri").first() or admin_bootstrap(
        username="demo.quantri", full_name="Quản trị hệ thống", password=DEMO_PASSWORD,
        unit=nation)
    officer_unit_villages = Unit.objects.filter(parent=commune, level=Level.VILLAGE)
    logins = [DemoLogin("demo.quantri", str(Role.SYSTEM_ADMIN.label), nation.name, True)]
    for username, full_name, role, unit, sector in _staff_accounts(nation, province, commune):
        if not User.objects.filter(username=username).exists():
            user_create(actor=admin, username=username, full_name=full_name,
                        password=DEMO_PASSWORD, role=role, unit=unit, sector=sector)
        logins.append(DemoLogin(username, str(Role(role).label), unit.name, True))
    officer = User.objects.get(username="demo.xa")
    if not officer_unit_villages.exists():
        for kind, name in DEMO_VILLAGES:
            village_create(actor=officer, commune=commune, name=name, kind=kind)
    village = officer_unit_villages.order_by("code").first()
    assert village is not None
    if not User.objects.filter(username="demo.ctv").exists():
        user_create(actor=admin, username="demo.ctv", full_name="Lò Thị Mai", password=DEMO_PASSWORD,
                    role=Role.VILLAGE_COLLABORATOR, unit=village)
    logins.insert(1, DemoLogin("demo.ctv", str(Role.VILLAGE_COLLABORATOR.label), village.name, False))
    return logins


def setup_demo_trail() -> int:
    """Once: what an inspector finds in the audit trail of the demo province: the officer's
    exports of the child list and its reads of case records, through the audit services the
    pages call. Returns the number of such events."""
    from treem.audit.models import Action, AuditEvent
    from treem.audit.services import event_record, read_record
    from treem.cases.models import Case

    officer = User.objects.get(username="demo.xa")
    commune = officer.assignments.get().unit
    trail = AuditEvent.objects.filter(action__in=(Action.EXPORT, Action.VIEW))
    if trail.exists():
        return trail.count()
    for case in Case.objects.filter(commune=commune).order_by("-received_at")[:5]:
        read_record(actor=officer, obj=case, unit=commune)
    for rows in (2188, 134):
        event_record(actor=officer, action=Action.EXPORT, unit=commune,
                     fields=[f"rows={rows}"], reason="Danh sách trẻ em của xã (Excel)")
    return trail.count()
