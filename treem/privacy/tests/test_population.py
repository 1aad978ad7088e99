"""The population-database round trip (issue 16, Đề án 06): the commune exports the children
whose personal id is missing or disagrees with the register, the police's answer file comes
back and is applied through the register's history with the source "population database";
every bad row is named in Vietnamese; "all" applies nothing when a row is wrong, "valid_only"
the good rows; the same file twice applies nothing the second time; a dissolved commune's
children and batches are refused; another commune's batch is not found."""

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from treem.audit.models import Action, AuditEvent
from treem.geo.models import REORGANISATION_DATE
from treem.privacy.models import (
    PersonalIdVerification,
    PopulationAnswer,
    PopulationCheck,
    PopulationCheckRow,
)
from treem.privacy.models.population import Issue, RowState
from treem.privacy.population import selectors, services
from treem.privacy.population.exporting import SENT
from treem.privacy.tests.population_world import (
    BAD_ROW,
    ID_FOUR,
    ID_ONE,
    ID_TWO,
    Five,
    make_five,
    police_answer,
    round_trip_answers,
)
from treem.registry import choices
from treem.registry.models import Child, ChildStatusPast
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, writes_nothing


@pytest.fixture
def five(tree: Tree) -> Five:
    return make_five(tree)


def export(personas: Personas, tree: Tree, **kwargs: Any) -> tuple[PopulationCheck, bytes]:
    return services.population_check_create(actor=personas.officer, commune=tree.commune_a,
                                            include_unverified=True, **kwargs)


def sheet_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def register_state() -> list[Any]:
    return [list(Child.objects.order_by("pk").values_list("full_name", "birth_date",
                                                          "personal_id", "version")),
            PersonalIdVerification.objects.count(),
            AuditEvent.objects.filter(action=Action.UPDATE).count()]


class ExportTests:
    def test_it_exports_the_children_to_check_and_records_the_batch(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        rows = sheet_rows(content)
        assert rows[0][:8] == [str(label) for _key, label in SENT]
        references = {row[0] for row in rows[1:]}
        assert references == {str(c.public_id) for c in (five.one, five.two, five.three,
                                                          five.four, five.five)}
        assert check.row_count == 5 and check.commune == tree.commune_a
        assert check.unit_path == tree.commune_a.path
        assert check.created_by == personas.officer
        issues = dict(check.rows.values_list("child_id", "issue"))
        assert issues[five.three.pk] == Issue.MISMATCH
        assert issues[five.four.pk] == Issue.MISSING
        assert issues[five.one.pk] == Issue.UNVERIFIED
        one = next(row for row in rows if row[0] == str(five.one.public_id))
        assert one[1:7] == ["Lò Văn Một", "01/03/2015", "Nam", ID_ONE, "Mẹ: Trần Thị Hoa",
                            "Thôn Nà Pồng"]
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert event.object_id == str(check.public_id)
        assert event.unit == tree.commune_a and "rows=5" in event.changed_fields

    def test_without_unverified_it_sends_only_missing_and_wrong_ids(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, _content = services.population_check_create(actor=personas.officer,
                                                           commune=tree.commune_a)
        assert set(check.rows.values_list("child_id", flat=True)) == {
            five.three.pk, five.four.pk, five.five.pk}

    def test_it_covers_only_the_current_commune_not_the_dissolved_one(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, _content = export(personas, tree)
        assert not check.rows.filter(child=five.old).exists()

    def test_a_dissolved_commune_is_refused_with_its_message(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        with writes_nothing(PopulationCheck.objects.count), pytest.raises(ValidationError) as e:
            services.population_check_create(actor=personas.officer,
                                             commune=tree.old_commune)
        assert "đã thôi hoạt động từ 30/06/2025" in " ".join(e.value.messages)
        assert tree.old_commune not in selectors.communes_to_check(user=personas.officer)

    def test_formula_like_names_are_neutralised(self, tree: Tree, personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name='=HYPERLINK("http://x")')
        _check, content = export(personas, tree)
        assert sheet_rows(content)[1][1] == "'=HYPERLINK(\"http://x\")"

    def test_an_officer_of_another_commune_may_not_export(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        with writes_nothing(PopulationCheck.objects.count), pytest.raises(PermissionDenied):
            services.population_check_create(actor=personas.outsider, commune=tree.commune_a)

    def test_nothing_to_check_is_said(self, tree: Tree, personas: Personas) -> None:
        with pytest.raises(ValidationError) as error:
            services.population_check_create(actor=personas.outsider, commune=tree.commune_b)
        assert "Không có trẻ em nào cần đối chiếu" in error.value.messages[0]


class RoundTripTests:
    def test_the_police_answer_updates_three_children_and_reports_two_problems(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, round_trip_answers(five), extra=[BAD_ROW])
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=data, mode="valid_only")
        assert answer.written
        assert answer.updated_count == 3
        assert answer.problem_count == 2
        assert (answer.not_found_count, answer.error_count) == (1, 1)
        # Every child the police found has its id confirmed: one, two and three (their ids,
        # three's now agreeing with its birth date) and four (its new id).
        assert answer.verified_count == 4
        for child in (five.one, five.two, five.three, five.four, five.five):
            child.refresh_from_db()
        assert five.two.full_name == "Hà Thị Hai"
        assert five.three.birth_date.isoformat() == "2014-08-12"
        assert five.four.personal_id == ID_FOUR
        assert five.one.version == 1 and five.five.version == 1
        assert set(PersonalIdVerification.objects.values_list("child_id", flat=True)) == {
            five.one.pk, five.two.pk, five.three.pk, five.four.pk}
        # Applied through the register's service: its audit of each change.
        updated = AuditEvent.objects.filter(action=Action.UPDATE,
                                            object_type="registry.child")
        assert sorted(updated.values_list("object_id", flat=True)) == sorted(
            str(c.public_id) for c in (five.two, five.three, five.four))
        [error] = answer.errors
        assert "không thuộc đợt kiểm tra này" in error["message"]
        assert error["column"] == "Mã tham chiếu (không sửa)"
        left = selectors.check_rows(check=check, left_only=True)
        assert [row.child for row in left] == [five.five]
        assert left[0].state == RowState.NOT_FOUND
        assert left[0].message == "Chưa đăng ký thường trú"

    def test_two_verified_in_the_same_answer(self, tree: Tree, personas: Personas,
                                             five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, {str(five.two.public_id): {"result": "Đúng"}})
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=data, mode="valid_only")
        assert answer.verified_count == 1
        assert PersonalIdVerification.objects.get().personal_id == ID_TWO

    def test_the_same_file_twice_applies_nothing_the_second_time(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, round_trip_answers(five), extra=[BAD_ROW])
        first = services.population_answer_import(actor=personas.officer, check=check,
                                                  data=data, mode="valid_only")
        with writes_nothing(register_state):
            second = services.population_answer_import(actor=personas.officer, check=check,
                                                       data=data, mode="valid_only")
        assert second.same_file_as == first
        assert (second.updated_count, second.verified_count) == (0, 0)
        assert second.unchanged_count == 5 and second.error_count == 1

    def test_an_answer_applied_before_does_not_undo_a_later_edit(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        from treem.registry.services import child_update

        check, content = export(personas, tree)
        data = police_answer(content, round_trip_answers(five))
        services.population_answer_import(actor=personas.officer, check=check, data=data,
                                          mode="all")
        five.two.refresh_from_db()
        child_update(actor=personas.officer, child=five.two, full_name="Hà Thị Hài")
        services.population_answer_import(actor=personas.officer, check=check, data=data,
                                          mode="all")
        five.two.refresh_from_db()
        assert five.two.full_name == "Hà Thị Hài"

    def test_all_or_nothing_applies_nothing_when_a_row_is_wrong(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, round_trip_answers(five), extra=[BAD_ROW])
        with writes_nothing(register_state):
            answer = services.population_answer_import(actor=personas.officer, check=check,
                                                       data=data, mode="all")
        assert not answer.written and answer.error_count == 1
        assert answer.updated_count == 0
        assert not check.rows.exclude(state=RowState.WAITING).exists()
        # The same file without the wrong row goes in whole.
        good = police_answer(content, round_trip_answers(five))
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=good, mode="all")
        assert answer.written and answer.updated_count == 3 and answer.error_count == 0

    def test_corrections_are_recorded_with_the_population_database_as_source(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        # A tracked status does not change here; the source parameter is what child_update
        # passes to the rows it writes: checked with a status change of its own.
        from treem.registry.services import child_update

        five.one.refresh_from_db()
        child_update(actor=personas.officer, child=five.one, birth_registered=True,
                     source=choices.HistorySource.POPDB)
        assert set(ChildStatusPast.objects.values_list("source", flat=True)) <= {"popdb"}
        assert str(choices.HistorySource.POPDB.label) == "Từ Cơ sở dữ liệu quốc gia về dân cư"


def bad_rows(five: Five) -> dict[str, dict[str, Any]]:
    return {
        str(five.one.public_id): {"result": "Có lẽ"},
        str(five.two.public_id): {"result": "Đã điều chỉnh", "new_birth_date": "31/02/2015"},
        str(five.three.public_id): {"result": "Đã điều chỉnh", "new_personal_id": "12345"},
        str(five.four.public_id): {"result": "Đúng", "new_personal_id": "001315000444"},
        str(five.five.public_id): {"result": "Đúng", "new_personal_id": ID_ONE},
    }


class RowCheckTests:
    def test_every_wrong_row_is_named_with_a_vietnamese_message(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, bad_rows(five), extra=[BAD_ROW])
        with writes_nothing(register_state):
            answer = services.population_answer_import(actor=personas.officer, check=check,
                                                       data=data, mode="valid_only")
        messages = [error["message"] for error in answer.errors]
        assert answer.error_count == 6
        assert any("“Có lẽ” không hiểu được" in m for m in messages)
        assert any("Ngày sinh “31/02/2015” không đúng dạng" in m for m in messages)
        assert any("“12345” không đúng: số định danh cá nhân gồm đúng 12" in m
                   for m in messages)
        assert any("001315000444 không khớp giới tính và năm sinh" in m for m in messages)
        assert any(f"{ID_ONE} đã được ghi cho một trẻ khác" in m for m in messages)
        assert any("không thuộc đợt kiểm tra này" in m for m in messages)
        # Refused rows stay in what is left, with why.
        left = {row.child_id: row for row in selectors.check_rows(check=check, left_only=True)}
        assert left[five.two.pk].state == RowState.PROBLEM
        assert "31/02/2015" in left[five.two.pk].message

    def test_a_child_moved_away_since_the_export_is_refused(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        from treem.registry.tests.factories import relocate

        check, content = export(personas, tree)
        relocate(five.four, commune=tree.commune_b, on=five.four.birth_date.replace(year=2024))
        data = police_answer(content, {str(five.four.public_id): {
            "result": "Đúng", "new_personal_id": ID_FOUR}})
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=data, mode="valid_only")
        assert "không còn cư trú ở Phường Thục Phán" in answer.errors[0]["message"]
        assert Child.objects.get(pk=five.four.pk).personal_id is None

    def test_a_file_that_is_not_the_batch_is_refused(self, tree: Tree, personas: Personas,
                                                     five: Five) -> None:
        check, _content = export(personas, tree)
        with pytest.raises(ValidationError) as error:
            services.population_answer_import(actor=personas.officer, check=check,
                                              data=b"not a workbook", mode="all")
        assert "không phải tệp Excel" in error.value.message_dict["file"][0]

    def test_an_unknown_mode_is_refused(self, tree: Tree, personas: Personas,
                                        five: Five) -> None:
        check, content = export(personas, tree)
        with pytest.raises(ValidationError) as error:
            services.population_answer_import(actor=personas.officer, check=check,
                                              data=content, mode="some")
        assert "Hãy chọn cách nhập" in error.value.message_dict["mode"][0]


class ScopeTests:
    def test_another_communes_officer_cannot_import_nor_see_the_batch(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        from django.http import Http404

        check, content = export(personas, tree)
        data = police_answer(content, round_trip_answers(five))
        with writes_nothing(register_state), pytest.raises(PermissionDenied):
            services.population_answer_import(actor=personas.outsider, check=check,
                                              data=data, mode="all")
        with pytest.raises(Http404):
            selectors.get_check_for_user(user=personas.outsider, check_id=check.public_id)
        assert not selectors.check_list(user=personas.outsider).exists()
        assert list(selectors.check_list(user=personas.officer)) == [check]

    def test_a_batch_of_a_dissolved_commune_is_refused_with_its_message(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        # A batch made before July 2025, for the commune that became part of commune A.
        check = PopulationCheck.objects.create(
            commune=tree.old_commune, unit_path=tree.old_commune.path,
            province_code=tree.old_commune.province_code, row_count=1,
            created_by=personas.officer)
        PopulationCheckRow.objects.create(check_batch=check, child=five.old, issue="missing",
                                          province_code="04")
        assert selectors.get_check_for_user(user=personas.officer, check_id=check.public_id)
        _other, content = export(personas, tree)
        with writes_nothing(lambda: (register_state(), PopulationAnswer.objects.count())), \
                pytest.raises(ValidationError) as error:
            services.population_answer_import(actor=personas.officer, check=check,
                                              data=content, mode="all")
        assert "Phường Sông Hiến, đơn vị đã thôi hoạt động từ 30/06/2025" in \
            error.value.messages[0]
        assert REORGANISATION_DATE.isoformat() == "2025-07-01"


class ReadingTests:
    def test_an_id_excel_turned_into_a_number_gets_its_zeros_back_and_results_fold(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        check, content = export(personas, tree)
        data = police_answer(content, {str(five.four.public_id): {
            "result": "dung", "new_personal_id": int(ID_FOUR)}})
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=data, mode="all")
        assert answer.written and answer.updated_count == 1
        assert Child.objects.get(pk=five.four.pk).personal_id == ID_FOUR
        assert answer.unanswered_count == 4  # the other rows are not answered yet

    def test_a_title_line_above_the_header_and_moved_columns_do_no_harm(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        from openpyxl import Workbook

        from treem.privacy.population.exporting import COLUMNS

        check, _content = export(personas, tree)
        headers = dict(COLUMNS)
        book = Workbook()
        sheet = book.active
        sheet.append(["CÔNG AN PHƯỜNG THỤC PHÁN — KẾT QUẢ ĐỐI CHIẾU"])
        sheet.append([str(headers["result"]), str(headers["reference"]),
                      str(headers["new_full_name"])])
        sheet.append(["Đã điều chỉnh", str(five.two.public_id), "Hà Thị Hai"])
        out = io.BytesIO()
        book.save(out)
        answer = services.population_answer_import(actor=personas.officer, check=check,
                                                   data=out.getvalue(), mode="all")
        assert answer.updated_count == 1
        assert Child.objects.get(pk=five.two.pk).full_name == "Hà Thị Hai"

    def test_a_workbook_without_the_reference_column_is_refused(
            self, tree: Tree, personas: Personas, five: Five) -> None:
        from openpyxl import Workbook

        check, _content = export(personas, tree)
        book = Workbook()
        book.active.append(["Họ và tên", "Kết quả"])
        out = io.BytesIO()
        book.save(out)
        with pytest.raises(ValidationError) as error:
            services.population_answer_import(actor=personas.officer, check=check,
                                              data=out.getvalue(), mode="all")
        assert "Mã tham chiếu (không sửa)" in error.value.message_dict["file"][0]
