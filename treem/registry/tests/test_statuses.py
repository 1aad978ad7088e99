"""The past values of a child's statuses: what each write closes, with which span, and what it
leaves alone (a new record, a same-day correction, a field not tracked)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.registry import choices, selectors, services
from treem.registry import exceptions as exc
from treem.registry.dedup import merging
from treem.registry.models import Child, ChildStatusPast
from treem.registry.statuses import StatusChange, close_changed_statuses, stored
from treem.registry.tests.factories import ethnicity, make_child, relocate
from treem.registry.tests.test_import import commit, last_job, row, upload, xlsx
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MARCH = datetime.date(2025, 3, 1)
JUNE = datetime.date(2025, 6, 1)
JSON = "application/json"


def today() -> datetime.date:
    return timezone.localdate()


def on_record_since(child: Child, day: datetime.date) -> Child:
    """The record as if registered on `day` (factories make it today)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Child.objects.filter(pk=child.pk).update(created_at=moment)
    child.refresh_from_db()
    return child


def past(child: Child) -> list[tuple[str, str, datetime.date | None, datetime.date]]:
    return list(ChildStatusPast.objects.filter(child=child).order_by("field", "end_date")
                .values_list("field", "value", "start_date", "end_date"))


@pytest.fixture
def child(tree: Tree) -> Child:
    return on_record_since(make_child(commune=tree.commune_a, birth_date=datetime.date(2022, 5, 1),
                                      nutrition_status="normal"),
                           datetime.date(2024, 1, 10))


class StatusServiceTests:
    def test_a_change_closes_the_old_value_until_the_day_before(self, child: Child,
                                                                 personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              changed_on=MARCH)
        assert past(child) == [("nutrition_status", "normal", None, MARCH - DAY)]
        [row] = ChildStatusPast.objects.all()
        assert (row.province_code, row.created_by, row.source) == (
            child.province_code, personas.officer, choices.HistorySource.MANUAL)
        child.refresh_from_db()
        assert child.nutrition_status == "stunted"  # the current value stays on the record

    def test_without_a_date_the_change_is_today(self, child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, school_status="in_school")
        assert past(child) == [("school_status", "na", None, today() - DAY)]

    def test_two_changes_chain_their_spans(self, child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              changed_on=MARCH)
        services.child_update(actor=personas.officer, child=child, nutrition_status="normal",
                              changed_on=JUNE)
        assert past(child) == [("nutrition_status", "normal", None, MARCH - DAY),
                               ("nutrition_status", "stunted", MARCH, JUNE - DAY)]

    def test_a_second_change_the_same_day_leaves_no_empty_span(self, child: Child,
                                                               personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted")
        services.child_update(actor=personas.officer, child=child, nutrition_status="wasted")
        assert past(child) == [("nutrition_status", "normal", None, today() - DAY)]

    def test_a_value_corrected_the_day_it_was_recorded_is_no_history(
            self, tree: Tree, personas: Personas) -> None:
        child = services.child_register(
            actor=personas.officer, commune=tree.commune_a, full_name="Lò Văn Pọm", sex="m",
            birth_date=datetime.date(2023, 2, 1), ethnicity=ethnicity("03"),
            nutrition_status="normal")
        assert past(child) == []  # a new record has no past
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted")
        assert past(child) == []

    def test_yes_no_fields_keep_1_and_0(self, child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, birth_registered=True,
                              health_insurance=True, changed_on=MARCH)
        assert past(child) == [("birth_registered", "0", None, MARCH - DAY),
                               ("health_insurance", "0", None, MARCH - DAY)]
        assert (stored("birth_registered", True), stored("disability_type", None)) == ("1", "")

    def test_fields_without_a_past_write_nothing(self, child: Child,
                                                 personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, full_name="Nguyễn Văn Ân",
                              school_level="primary", nutrition_status="normal")
        assert past(child) == []

    @pytest.mark.parametrize("changed_on, message", [
        (datetime.date(2025, 4, 1), exc.STATUS_CHANGE_BEFORE_LAST),
        (datetime.date(2021, 1, 1), exc.STATUS_CHANGE_BEFORE_BIRTH),
        (None, exc.STATUS_CHANGE_FUTURE),
    ])
    def test_a_bad_day_of_change_is_refused_and_writes_nothing(
            self, child: Child, personas: Personas, changed_on: Any, message: Any) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              changed_on=JUNE)
        with pytest.raises(ValidationError) as error:
            services.child_update(actor=personas.officer, child=child,
                                  nutrition_status="normal",
                                  changed_on=changed_on or today() + DAY)
        assert error.value.message_dict == {"changed_on": [str(message)]}
        assert len(past(child)) == 1
        assert Child.objects.get(pk=child.pk).nutrition_status == "stunted"

    def test_many_children_are_closed_in_two_queries(self, tree: Tree) -> None:
        children = [on_record_since(make_child(commune=tree.commune_a, full_name=f"Trẻ {i}"),
                                    datetime.date(2024, 1, 1)) for i in range(12)]
        changes = [StatusChange(child_id=c.pk, province_code=c.province_code,
                                created_on=datetime.date(2024, 1, 1),
                                before={"school_status": "na", "living_arrangement": "both_parents"},
                                after={"school_status": "in_school",
                                       "living_arrangement": "both_parents"})
                   for c in children]
        with CaptureQueriesContext(connection) as queries:
            close_changed_statuses(changes, on=MARCH)
        assert len(queries) == 2
        assert ChildStatusPast.objects.filter(field="school_status", value="na",
                                              end_date=MARCH - DAY).count() == 12
        assert not ChildStatusPast.objects.filter(field="living_arrangement").exists()


@pytest.fixture
def as_user(client: Client, personas: Personas) -> Callable[[str], Client]:
    return lambda persona: login(client, getattr(personas, persona))


class StatusEditTests:
    def test_an_api_edit_records_the_past_value_on_the_day_given(
            self, as_user: Callable[[str], Client], child: Child) -> None:
        response = as_user("officer").patch(
            f"/api/v1/children/{child.public_id}",
            {"school_status": "in_school", "changed_on": "2025-09-05"}, content_type=JSON,
            headers={"If-Match": f'"{child.version}"'})
        assert response.status_code == 200
        assert past(child) == [("school_status", "na", None, datetime.date(2025, 9, 4))]

    def test_an_api_edit_with_a_day_before_the_last_change_is_refused(
            self, as_user: Callable[[str], Client], child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              changed_on=JUNE)
        response = as_user("officer").patch(
            f"/api/v1/children/{child.public_id}",
            {"nutrition_status": "normal", "changed_on": "2025-05-01"}, content_type=JSON,
            headers={"If-Match": f'"{child.version}"'})
        assert response.status_code == 422
        assert len(past(child)) == 1

    def test_a_form_edit_records_the_past_value(self, as_user: Callable[[str], Client],
                                                child: Child) -> None:
        client = as_user("officer")
        page = client.get(reverse("registry:child_edit", args=[child.public_id]))
        assert "changed_on" in page.context["form"].fields
        response = client.post(reverse("registry:child_edit", args=[child.public_id]), {
            "full_name": child.full_name, "sex": child.sex, "birth_date": "2022-05-01",
            "birth_date_precision": "day", "ethnicity": child.ethnicity_id,
            "residence_type": "permanent", "living_arrangement": "both_parents",
            "school_level": "none", "school_status": "na", "nutrition_status": "underweight",
            "changed_on": "2025-06-01", "version": child.version})
        assert response.status_code == 302
        assert past(child) == [("nutrition_status", "normal", None, JUNE - DAY)]

    def test_the_registration_form_asks_no_day_of_change(
            self, as_user: Callable[[str], Client]) -> None:
        page = as_user("officer").get(reverse("registry:child_create"))
        assert "changed_on" not in page.context["form"].fields


@pytest.fixture
def inline_jobs(settings: Any) -> None:
    settings.TREEM_IMPORT_SYNC = True


def _import(client: Client, rows: list[list[Any]]) -> None:
    upload(client, xlsx(rows))
    commit(client, last_job(), "all")


def _pupils(name: str, count: int) -> list[dict[str, Any]]:
    return [{"full_name": f"{name} {chr(65 + i)}", "personal_id": ""} for i in range(count)]


@pytest.mark.usefixtures("inline_jobs")
class StatusImportTests:
    def _commit_changes(self, client: Client, pupils: list[dict[str, Any]]) -> int:
        """Import the pupils, then, a month later, a file in which all but the first left
        school; the number of queries of that commit."""
        _import(client, [row(**pupil) for pupil in pupils])
        Child.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
        upload(client, xlsx([row(**pupil, school_status="Bỏ học" if i else "Đang đi học")
                             for i, pupil in enumerate(pupils)]))
        with CaptureQueriesContext(connection) as queries:
            commit(client, last_job(), "all")
        return len(queries)

    def test_a_reimport_closes_the_changed_statuses_of_the_changed_children_only(
            self, client: Client, personas: Personas) -> None:
        self._commit_changes(login(client, personas.officer), _pupils("Hoàng Văn Khải", 3))
        rows = ChildStatusPast.objects.select_related("child").order_by("child__full_name")
        assert [(r.child.full_name[-1], r.field, r.value, r.start_date, r.end_date, r.source,
                 r.created_by_id) for r in rows] == [
            (letter, "school_status", "in_school", None, today() - DAY, "import",
             personas.officer.pk) for letter in "BC"]
        assert {c.school_status for c in Child.objects.exclude(full_name__endswith="A")} == {
            "dropped_out"}

    def test_the_queries_of_a_commit_do_not_grow_with_the_children_changed(
            self, client: Client, personas: Personas) -> None:
        officer = login(client, personas.officer)
        few = self._commit_changes(officer, _pupils("Hoàng Văn Khải", 2))
        many = self._commit_changes(officer, _pupils("Nông Văn Lâm", 9))
        assert ChildStatusPast.objects.count() == 1 + 8
        assert many == few

    def test_a_file_imported_again_the_day_it_was_first_imported_is_a_correction(
            self, client: Client, personas: Personas) -> None:
        officer = login(client, personas.officer)
        _import(officer, [row()])
        _import(officer, [row(school_status="Bỏ học")])
        assert Child.objects.get().school_status == "dropped_out"
        assert not ChildStatusPast.objects.exists()


class StatusMergeTests:
    def _twins(self, tree: Tree) -> tuple[Child, Child]:
        kept = make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")
        duplicate = make_child(commune=tree.commune_a, full_name="Nguyen Van An",
                               nutrition_status="stunted", school_status="in_school")
        return kept, duplicate

    def test_a_status_taken_from_the_duplicate_brings_its_past(self, tree: Tree,
                                                               personas: Personas) -> None:
        kept, duplicate = self._twins(tree)
        theirs = ChildStatusPast.objects.create(
            child=duplicate, province_code=duplicate.province_code, field="nutrition_status",
            value="normal", end_date=MARCH)
        # A status the kept record has itself: the duplicate's past of it stays behind.
        other = ChildStatusPast.objects.create(
            child=duplicate, province_code=duplicate.province_code, field="school_status",
            value="dropped_out", end_date=MARCH)
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng")
        kept.refresh_from_db()
        assert kept.nutrition_status == "stunted" and kept.school_status == "na"
        assert list(kept.statuses_past.all()) == [theirs]
        assert list(duplicate.statuses_past.all()) == [other]
        # Filling an empty status closed nothing on the record kept.
        assert ChildStatusPast.objects.count() == 2

        merging.merge_undo(actor=personas.admin, merge=merge, reason="Nhầm")
        assert set(duplicate.statuses_past.all()) == {theirs, other}
        assert not kept.statuses_past.exists()

    def test_the_kept_records_own_past_of_a_field_stays_alone(self, tree: Tree,
                                                              personas: Personas) -> None:
        kept, duplicate = self._twins(tree)
        ours = ChildStatusPast.objects.create(
            child=kept, province_code=kept.province_code, field="nutrition_status",
            value="wasted", end_date=JUNE)
        ChildStatusPast.objects.create(
            child=duplicate, province_code=duplicate.province_code, field="nutrition_status",
            value="normal", end_date=MARCH)
        merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate, reason="Trùng")
        assert list(kept.statuses_past.all()) == [ours]
        assert duplicate.statuses_past.count() == 1


class StatusTimelineTests:
    def test_the_history_shows_each_change_with_the_value_it_replaced(
            self, as_user: Callable[[str], Client], child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              birth_registered=True, changed_on=MARCH)
        view = selectors.get_child_for_user(user=personas.officer, child_id=child.public_id)
        changes = [(e.day, e.label) for e in selectors.child_timeline(view=view,
                                                                      user=personas.officer)
                   if e.kind == "status"]
        assert changes == [(MARCH, "đã đăng ký khai sinh (trước đó: Không)"),
                           (MARCH, "dinh dưỡng (trước đó: Bình thường)")]
        page = as_user("officer").get(reverse("registry:child_detail", args=[child.public_id]))
        assert "dinh dưỡng (trước đó: Bình thường)" in page.content.decode()

    def test_the_commune_the_child_left_sees_no_change_made_after(
            self, tree: Tree, child: Child, personas: Personas) -> None:
        services.child_update(actor=personas.officer, child=child, nutrition_status="stunted",
                              changed_on=MARCH)
        relocate(child, commune=tree.commune_b, on=datetime.date(2025, 4, 1))
        ChildStatusPast.objects.create(child=child, province_code=child.province_code,
                                       field="nutrition_status", value="stunted",
                                       start_date=MARCH, end_date=JUNE - DAY)
        view = selectors.get_child_for_user(user=personas.officer, child_id=child.public_id)
        timeline = selectors.child_timeline(view=view, user=personas.officer)
        assert [e.day for e in timeline if e.kind == "status"] == [MARCH]
