import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from treem.audit.models import Action, AuditEvent
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
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
