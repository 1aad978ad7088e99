import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from treem.audit.models import Action, AuditEvent
from treem.registry.models import Child
from treem.registry.selectors import special_circumstances_on
from treem.registry.tests.factories import make_child, make_circumstance, relocate
from treem.testing import Personas, Tree, login

URL = "/children/export/"
REASON = "Báo cáo quý III gửi UBND tỉnh"


def rows_of(response: object) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)  # type: ignore[attr-defined]
    return list(book.active.iter_rows(values_only=True))


class ChildExportTests:
    def test_the_file_holds_the_children_in_scope_and_nothing_else(
        self, client: Client, tree: Tree, personas: Personas,
    ) -> None:
        make_child(commune=tree.commune_a, full_name="Hoàng Văn An")
        make_child(commune=tree.commune_b, full_name="Nông Thị Bình")
        login(client, personas.officer)

        response = client.post(URL, {"reason": REASON})

        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="tre-em-')
        rows = rows_of(response)
        assert rows[0][0] == "Họ và tên"
        names = [row[0] for row in rows[1:]]
        assert names == ["Hoàng Văn An"]

    def test_a_formula_in_a_name_is_neutralised(self, client: Client, tree: Tree,
                                                personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name='=HYPERLINK("http://x","y")')
        login(client, personas.officer)
        names = [row[0] for row in rows_of(client.post(URL, {"reason": REASON}))[1:]]
        assert names == ['\'=HYPERLINK("http://x","y")']

    def test_the_export_is_audited_with_its_reason_and_row_count(
        self, client: Client, tree: Tree, personas: Personas,
    ) -> None:
        make_child(commune=tree.commune_a)
        login(client, personas.officer)
        client.post(URL, {"reason": REASON})
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert (event.actor, event.reason) == (personas.officer, REASON)
        assert "rows=1" in event.changed_fields
        assert event.unit == tree.commune_a

    @pytest.mark.parametrize("reason", ["", "xem", "         "])
    def test_without_a_real_reason_nothing_is_exported(self, client: Client, tree: Tree,
                                                       personas: Personas, reason: str) -> None:
        make_child(commune=tree.commune_a)
        login(client, personas.officer)
        response = client.post(URL, {"reason": reason})
        assert response["Content-Type"].startswith("text/html")
        assert "lý do" in response.content.decode()
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    def test_the_posted_name_search_narrows_the_file(self, client: Client, tree: Tree,
                                                     personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name="Hoàng Văn An")
        make_child(commune=tree.commune_a, full_name="Lục Thị Mai")
        login(client, personas.officer)
        rows = rows_of(client.post(URL, {"reason": REASON, "q": "luc thi"}))
        assert [row[0] for row in rows[1:]] == ["Lục Thị Mai"]

    @pytest.mark.parametrize("persona", ["collaborator", "auditor", "intake", "admin"])
    def test_roles_without_the_export_capability_get_403(
        self, client: Client, tree: Tree, personas: Personas, persona: str,
    ) -> None:
        make_child(commune=tree.commune_a)
        login(client, getattr(personas, persona))
        assert client.post(URL, {"reason": REASON}).status_code == 403
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
        assert Child.objects.count() == 1


class SpecialCircumstancesOnTests:
    """The list that goes with a report: as the register was on the report's last day."""

    DAY = datetime.date(2026, 6, 30)

    def test_the_children_in_special_circumstances_living_there_that_day(self, tree,
                                                                         personas) -> None:
        orphan = make_child(commune=tree.commune_a, full_name="Trẻ mồ côi")
        make_circumstance(child=orphan, code="a", start_date=datetime.date(2024, 1, 1))
        ended = make_child(commune=tree.commune_a, full_name="Trẻ đã hết hoàn cảnh")
        make_circumstance(child=ended, code="a", start_date=datetime.date(2024, 1, 1),
                          end_date=datetime.date(2026, 3, 1))
        later = make_child(commune=tree.commune_a, full_name="Trẻ có hoàn cảnh sau")
        make_circumstance(child=later, code="l", start_date=datetime.date(2026, 8, 1))
        left = make_child(commune=tree.commune_a, full_name="Trẻ chuyển đi sau ngày đó")
        make_circumstance(child=left, code="b", start_date=datetime.date(2024, 1, 1))
        arrived = make_child(commune=tree.commune_b, full_name="Trẻ chuyển đến sau ngày đó")
        make_circumstance(child=arrived, code="a", start_date=datetime.date(2024, 1, 1))
        relocate(arrived, commune=tree.commune_a, on=datetime.date(2026, 9, 1))
        relocate(left, commune=tree.commune_b, on=datetime.date(2026, 9, 1))

        children, groups = special_circumstances_on(user=personas.province_officer,
                                                    unit=tree.commune_a, day=self.DAY)
        assert [c.full_name for c in children] == ["Trẻ chuyển đi sau ngày đó", "Trẻ mồ côi"]
        # Group b (abandoned) reveals abuse: the province reads it only for the cases shared
        # with it (test_restricted_circumstances: the commune's chairman reads it).
        assert groups[orphan.pk] == "a"
        assert groups[left.pk] == "Có hoàn cảnh đặc biệt được bảo mật"
        # Commune A's officer no longer sees the child who left: not listed for it.
        mine, _groups = special_circumstances_on(user=personas.officer, unit=tree.commune_a,
                                                 day=self.DAY)
        assert [c.full_name for c in mine] == ["Trẻ mồ côi"]


class ExportCachingTests:
    def test_the_list_of_children_is_kept_by_no_cache(self, client: Client, tree: Tree,
                                                      personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name="Hoàng Văn An")
        login(client, personas.officer)
        response = client.post(URL, {"reason": REASON})
        assert response["Cache-Control"] == "no-store"
