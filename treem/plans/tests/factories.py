"""Plans, agencies and tasks for tests, made through the services (actor None: as loaded)."""

from typing import Any

from treem.geo.models import Unit
from treem.plans import services
from treem.plans.models import Agency, AgencyKind, Plan, Task


def make_agency(unit: Unit, name: str = "Phòng Văn hóa - Xã hội", *,
                kind: str = AgencyKind.DEPARTMENT, short_name: str = "") -> Agency:
    return services.agency_create(actor=None, unit=unit, name=name, kind=kind,
                                  short_name=short_name)


def make_plan(unit: Unit, title: str = "Kế hoạch thực hiện công tác trẻ em năm 2026", *,
              start_year: int = 2026, end_year: int = 2026, **fields: Any) -> Plan:
    return services.plan_create(actor=None, unit=unit, title=title, start_year=start_year,
                                end_year=end_year, **fields)


def make_task(plan: Plan, lead: Agency, section: str = "IV.1",
              text: str = "Tổ chức truyền thông phòng, chống xâm hại trẻ em.", **fields: Any
              ) -> Task:
    return services.task_create(actor=None, plan=plan, section=section, text=text, lead=lead,
                                **fields)
