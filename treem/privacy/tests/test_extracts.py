"""Pseudonymised extracts: four eyes, no names, no personal ids, no full birth dates,
pseudonyms stable within an extract and different across extracts, small cells suppressed."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.privacy.extracts import building, selectors, services
from treem.privacy.models import ExtractRequest
from treem.registry.tests.factories import make_child, make_circumstance
from treem.testing import make_user, refused

pytestmark = pytest.mark.django_db

PURPOSE = "Nghiên cứu tình hình trẻ em có hoàn cảnh đặc biệt để lập kế hoạch 2027"


@pytest.fixture
def approver(tree):
    return make_user("province_2", role=Role.AREA_OFFICER, unit=tree.province)


@pytest.fixture
def children(tree):
    """Six girls of one month in commune A (one group of 6), two boys (too few), one child of
    the commune dissolved in 2025 and one of the other province."""
    made = [make_child(commune=tree.commune_a, full_name=f"Lò Thị Hoa {i}", sex="f",
                       birth_date=datetime.date(2016, 4, 1 + i), personal_id=f"00431600{i:04d}")
            for i in range(6)]
    make_circumstance(child=made[0], code="a", start_date=datetime.date(2020, 1, 1))
    made += [make_child(commune=tree.commune_a, full_name=f"Hà Văn Nam {i}", sex="m",
                        birth_date=datetime.date(2012, 9, 9)) for i in range(2)]
    made.append(make_child(commune=tree.old_commune, full_name="Nông Văn Cũ",
                           birth_date=datetime.date(2016, 4, 20), sex="f"))
    make_child(commune=tree.commune_c, full_name="Trần Văn Hà Nội")
    return made


def counts() -> tuple[int, int]:
    return ExtractRequest.objects.count(), AuditEvent.objects.count()


def approved(personas, approver, tree, **kwargs) -> ExtractRequest:
    extract = services.extract_request(actor=personas.province_officer, unit=tree.province,
                                       purpose=PURPOSE, **{"fields": ["circumstances"],
                                                           **kwargs})
    return services.extract_decide(actor=approver, extract=extract, approve=True)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


class ExtractTests:
    def test_an_extract_holds_no_name_no_personal_id_no_full_birth_date(
            self, tree, personas, approver, children) -> None:
        extract = approved(personas, approver, tree)
        content, name = services.extract_produce(actor=personas.province_officer,
                                                 extract=extract)
        text = content.decode("utf-8-sig")
        assert name.endswith(".csv")
        for child in children:
            assert child.full_name not in text
            assert str(child.pk) not in [row[0] for row in rows_of(content)[1:]]
            assert child.birth_date.isoformat() not in text
            if child.personal_id:
                assert child.personal_id not in text
        assert "Trần Văn Hà Nội" not in text
        header, *rows = rows_of(content)
        assert header[:5] == ["ma_gia_danh", "ma_xa", "thang_sinh", "gioi_tinh", "dan_toc"]
        assert ["01273", "2016-04", "f", "01"] in [row[1:5] for row in rows]
        extract.refresh_from_db()
        assert extract.status == "produced"
        assert AuditEvent.objects.filter(object_id=str(extract.public_id),
                                         action="export").exists()

    def test_small_cells_are_generalised_or_left_out(self, tree, personas, approver,
                                                     children) -> None:
        content, _ = services.extract_produce(actor=personas.province_officer,
                                              extract=approved(personas, approver, tree))
        _header, *rows = rows_of(content)
        combos: dict[tuple[str, ...], int] = {}
        for row in rows:
            combos[tuple(row[1:5])] = combos.get(tuple(row[1:5]), 0) + 1
        assert all(size >= building.K for size in combos.values())
        # The six girls kept as they are, the two boys and the old commune's girl left out.
        assert len(rows) == 6
        assert ExtractRequest.objects.get().suppressed_rows == 3

    def test_pseudonyms_are_stable_within_an_extract_and_differ_across(
            self, tree, personas, approver, children) -> None:
        first = approved(personas, approver, tree)
        one, _ = services.extract_produce(actor=personas.province_officer, extract=first)
        again, _ = services.extract_produce(actor=personas.province_officer, extract=first)
        assert {r[0] for r in rows_of(one)[1:]} == {r[0] for r in rows_of(again)[1:]}
        other, _ = services.extract_produce(actor=personas.province_officer,
                                            extract=approved(personas, approver, tree))
        assert not {r[0] for r in rows_of(one)[1:]} & {r[0] for r in rows_of(other)[1:]}

    def test_an_xlsx_extract(self, tree, personas, approver, children) -> None:
        extract = approved(personas, approver, tree, file_format="xlsx")
        content, name = services.extract_produce(actor=personas.province_officer,
                                                 extract=extract)
        sheet = load_workbook(io.BytesIO(content)).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert name.endswith(".xlsx") and "ma_gia_danh" in values
        assert not any(isinstance(v, str) and "Lò Thị" in v for v in values)

    def test_the_requester_never_approves_its_own_request(self, tree, personas,
                                                          children) -> None:
        extract = services.extract_request(actor=personas.province_officer, unit=tree.province,
                                           purpose=PURPOSE, fields=[])
        refused(services.extract_decide, snapshot=counts, actor=personas.province_officer,
                extract=extract, approve=True)
        with pytest.raises(ValidationError):
            services.extract_produce(actor=personas.province_officer, extract=extract)

    def test_bad_requests_change_nothing(self, tree, personas, approver) -> None:
        good = {"unit": tree.province, "purpose": PURPOSE, "fields": []}
        for bad in ({"purpose": "ngắn"}, {"fields": ["full_name"]}, {"file_format": "pdf"}):
            refused(services.extract_request, snapshot=counts, actor=personas.province_officer,
                    **{**good, **bad})
        for actor in (personas.officer, personas.auditor):
            refused(services.extract_request, snapshot=counts, actor=actor, **good)
        refused(services.extract_request, snapshot=counts, actor=personas.province_officer,
                **{**good, "unit": tree.other_province})
        extract = services.extract_request(actor=personas.province_officer, **good)
        refused(services.extract_decide, snapshot=counts, actor=approver, extract=extract,
                approve=False, reason="")
        services.extract_decide(actor=approver, extract=extract, approve=False,
                                reason="Mục đích chưa rõ ràng")
        refused(services.extract_decide, snapshot=counts, actor=approver, extract=extract,
                approve=True)

    def test_only_the_requester_downloads_and_others_do_not_see_it(
            self, tree, personas, approver, children) -> None:
        extract = approved(personas, approver, tree)
        with pytest.raises(PermissionDenied):
            services.extract_produce(actor=approver, extract=extract)
        other = make_user("province_c", role=Role.AREA_OFFICER, unit=tree.other_province)
        assert selectors.extract_list(user=other).count() == 0
        assert selectors.extract_list(user=personas.outsider).count() == 0
        assert selectors.extract_list(user=approver).count() == 1
