"""Writing plans, agencies and tasks: bad input gets its Vietnamese message and changes
nothing; only who may manage plans over the unit writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.audit.models import AuditEvent
from treem.plans import exceptions as exc
from treem.plans import services
from treem.plans.models import Agency, AgencyKind, Plan, Task, TimeFrame
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree


def _refused(field: str, message: object, call: object) -> None:
    counts = (Plan.objects.count(), Task.objects.count(), Agency.objects.count())
    with pytest.raises(ValidationError) as error:
        call()  # type: ignore[operator]
    assert error.value.message_dict[field] == [str(message)]
    assert (Plan.objects.count(), Task.objects.count(), Agency.objects.count()) == counts


class TaskValidationTests:
    @pytest.fixture
    def plan(self, tree: Tree) -> Plan:
        return make_plan(tree.province, start_year=2026, end_year=2027)

    def test_a_task_without_a_lead_agency_is_refused(self, plan: Plan) -> None:
        _refused("lead", exc.LEAD_REQUIRED, lambda: services.task_create(
            actor=None, plan=plan, section="IV.1", text="Truyền thông", lead=None))

    def test_a_lead_of_another_province_is_refused(self, plan: Plan, tree: Tree) -> None:
        foreign = make_agency(tree.other_province, "Sở Y tế Hà Nội")
        _refused("lead", exc.LEAD_NOT_OF_PLAN, lambda: make_task(plan, foreign))

    def test_the_lead_is_not_also_cooperating(self, plan: Plan, tree: Tree) -> None:
        lead = make_agency(tree.province, "Sở Y tế")
        _refused("cooperating", exc.COOPERATING_IS_LEAD,
                 lambda: make_task(plan, lead, cooperating=[lead]))

    def test_a_year_or_date_outside_the_plans_years_is_refused(self, plan: Plan,
                                                               tree: Tree) -> None:
        lead = make_agency(tree.province, "Sở Y tế")
        _refused("year", exc.YEAR_OUTSIDE_PLAN % {"year": 2030, "start": 2026, "end": 2027},
                 lambda: make_task(plan, lead, time_frame=TimeFrame.YEAR, year=2030))
        _refused("end_date", exc.DATE_OUTSIDE_PLAN % {"day": "31/12/2025", "start": 2026,
                                                      "end": 2027},
                 lambda: make_task(plan, lead, time_frame=TimeFrame.DATES,
                                   end_date=datetime.date(2025, 12, 31)))

    def test_a_quarter_needs_its_number_and_dates_their_order(self, plan: Plan,
                                                              tree: Tree) -> None:
        lead = make_agency(tree.province, "Sở Y tế")
        _refused("quarter", exc.TIME_FRAME_QUARTER, lambda: make_task(
            plan, lead, time_frame=TimeFrame.QUARTER, year=2026, quarter=5))
        _refused("start_date", exc.DATES_ORDER, lambda: make_task(
            plan, lead, time_frame=TimeFrame.DATES, start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 3, 1)))

    def test_a_section_is_one_task_of_a_plan(self, plan: Plan, tree: Tree) -> None:
        lead = make_agency(tree.province, "Sở Y tế")
        make_task(plan, lead, section="III.2")
        _refused("section", exc.SECTION_TAKEN % {"section": "III.2"},
                 lambda: make_task(plan, lead, section="III.2"))

    def test_a_huge_text_is_refused_before_it_is_read(self, plan: Plan, tree: Tree) -> None:
        lead = make_agency(tree.province, "Sở Y tế")
        _refused("text", exc.TOO_LONG % {"n": services.LIMITS["text"]},
                 lambda: make_task(plan, lead, text="a" * 1_000_000))

    def test_a_task_of_a_lower_units_agency_is_taken(self, plan: Plan, tree: Tree) -> None:
        commune_agency = make_agency(tree.commune_a, "Công an phường")
        lead = make_agency(tree.province, "Công an tỉnh")
        task = make_task(plan, lead, cooperating=[commune_agency],
                         time_frame=TimeFrame.QUARTER, year=2026, quarter=4,
                         time_text="quý IV/2026")
        assert list(task.cooperating.all()) == [commune_agency]
        assert (task.quarter, task.time_text) == (4, "quý IV/2026")


class PlanValidationTests:
    def test_years_out_of_order_or_range_are_refused(self, tree: Tree) -> None:
        _refused("end_year", exc.YEARS_ORDER, lambda: make_plan(tree.province, start_year=2027,
                                                                end_year=2026))
        _refused("start_year", exc.YEARS_RANGE, lambda: make_plan(tree.province,
                                                                  start_year=-5, end_year=2026))

    def test_a_plan_implements_a_plan_of_a_unit_above_only(self, tree: Tree) -> None:
        theirs = make_plan(tree.commune_b)
        _refused("implements", exc.IMPLEMENTS_NOT_HIGHER,
                 lambda: make_plan(tree.commune_a, implements=theirs))
        above = make_plan(tree.province)
        assert make_plan(tree.commune_a, implements=above).implements == above

    def test_an_agency_name_is_one_a_unit(self, tree: Tree) -> None:
        make_agency(tree.province, "Sở Y tế")
        _refused("name", exc.AGENCY_NAME_TAKEN % {"name": "Sở Y tế"},
                 lambda: make_agency(tree.province, "  Sở   Y tế "))
        _refused("kind", exc.CHOICE_UNKNOWN, lambda: services.agency_create(
            actor=None, unit=tree.province, name="Sở Tư pháp", kind="ministry"))


class ScopeTests:
    def test_a_commune_officer_writes_its_communes_plan_not_another(
            self, tree: Tree, personas: Personas) -> None:
        plan = services.plan_create(actor=personas.officer, unit=tree.commune_a,
                                    title="Kế hoạch năm 2026", start_year=2026, end_year=2026)
        assert AuditEvent.objects.filter(object_id=str(plan.public_id)).exists()
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=personas.officer, unit=tree.commune_b,
                                 title="Kế hoạch năm 2026", start_year=2026, end_year=2026)
        with pytest.raises(PermissionDenied):
            services.agency_create(actor=personas.officer, unit=tree.province,
                                   name="Sở Y tế", kind=AgencyKind.DEPARTMENT)

    def test_a_new_plan_is_on_a_current_unit(self, tree: Tree, personas: Personas) -> None:
        _refused("unit", exc.UNIT_NOT_CURRENT, lambda: services.plan_create(
            actor=personas.province_officer, unit=tree.old_district, title="Kế hoạch",
            start_year=2026, end_year=2026))

    def test_the_police_focal_point_manages_no_plan(self, tree: Tree,
                                                    personas: Personas) -> None:
        plan = make_plan(tree.province)
        lead = make_agency(tree.province, "Công an tỉnh")
        with pytest.raises(PermissionDenied):
            services.task_create(actor=personas.sector_focal, plan=plan, section="1",
                                 text="Điều tra", lead=lead)


class AuditLabelTests:
    def test_the_audit_log_names_a_plan_and_a_task_for_who_may_read_them(
            self, tree: Tree, personas: Personas) -> None:
        from treem.plans.audit_labels import plan_labels, task_labels

        plan = services.plan_create(actor=personas.officer, unit=tree.commune_a,
                                    title="Kế hoạch năm 2026", number="5/KH-UBND",
                                    start_year=2026, end_year=2026)
        lead = services.agency_create(actor=personas.officer, unit=tree.commune_a,
                                      name="Công an phường", kind=AgencyKind.DEPARTMENT)
        task = services.task_create(actor=personas.officer, plan=plan, section="II.1",
                                    text="Tuyên truyền", lead=lead)
        assert AuditEvent.objects.filter(object_type="plans.task",
                                         object_id=str(task.public_id)).exists()
        plan_id, task_id = str(plan.public_id), str(task.public_id)
        assert plan_labels(personas.auditor, [plan_id])[plan_id].text == "kế hoạch 5/KH-UBND"
        assert task_labels(personas.auditor, [task_id])[task_id].text == (
            "nhiệm vụ II.1 của kế hoạch 5/KH-UBND")
        # Commune B's officer may not read commune A's plan: no name, no link.
        assert plan_labels(personas.outsider, [plan_id]) == {}
