"""The registers of processing activities: one per province, loaded with what treem does,
edited by the province's administrators, printed as the impact-assessment dossier."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import EditConflict
from treem.privacy.models import Basis, ProcessingActivity, RecordKind
from treem.privacy.processing import selectors, services
from treem.testing import Personas, Tree, login, make_user, writes_nothing

pytestmark = pytest.mark.django_db


def activity(tree: Tree, kind: str = RecordKind.CASE) -> ProcessingActivity:
    return ProcessingActivity.objects.get(unit=tree.province, record_kind=kind)


def values(row: ProcessingActivity, **changes: object) -> dict[str, object]:
    return {"purposes": row.purposes, "basis": row.basis, "basis_articles": row.basis_articles,
            "basic_data": row.basic_data, "sensitive_data": row.sensitive_data,
            "capabilities": row.capabilities, "retention": row.retention,
            "transfers": row.transfers, **changes}


class DefaultsTests:
    def test_every_current_province_gets_every_kind_once(self, tree: Tree, register: int
                                                         ) -> None:
        assert register == 2 * len(RecordKind)  # the two current provinces of the tree
        assert services.defaults_load() == 0
        assert not ProcessingActivity.objects.filter(unit=tree.old_province).exists()

    def test_the_roles_shown_are_those_the_code_lets_in(self, tree: Tree, register: int) -> None:
        [case] = [a for a in selectors.activities(province=tree.province)
                  if a.record.record_kind == RecordKind.CASE]
        assert str(Role.COMMUNE_OFFICER.label) in case.roles
        assert str(Role.SYSTEM_ADMIN.label) not in case.roles
        assert str(Role.INTAKE_OPERATOR.label) in case.roles  # it receives notifications


class EditTests:
    def test_the_admin_edits_with_a_reason_audited(self, tree: Tree, personas: Personas,
                                                   register: int) -> None:
        row = activity(tree)
        edited = services.activity_update(actor=personas.admin, activity=row, base_version=1,
                                          reason="Thêm thời hạn", **values(
                                              row, retention="10 năm sau khi trẻ đủ 18 tuổi."))
        assert edited.version == 2 and edited.updated_by == personas.admin
        event = AuditEvent.objects.get(action=Action.UPDATE, object_type="privacy.processingactivity")
        assert event.changed_fields == ["retention"] and event.reason == "Thêm thời hạn"

    @pytest.mark.parametrize(("changes", "field"), [
        ({"purposes": " "}, "purposes"), ({"basis": "whim"}, "basis"),
        ({"capabilities": []}, "capabilities"), ({"capabilities": ["read_minds"]}, "capabilities"),
    ])
    def test_bad_values_are_refused_and_nothing_changes(self, tree: Tree, personas: Personas,
                                                        register: int, changes: dict,
                                                        field: str) -> None:
        row = activity(tree)
        with writes_nothing(lambda: list(ProcessingActivity.objects.values())), \
                pytest.raises(ValidationError) as refused:
            services.activity_update(actor=personas.admin, activity=row, base_version=1,
                                     reason="Sửa", **values(row, **changes))
        assert field in refused.value.message_dict

    def test_a_stale_edit_is_a_conflict(self, tree: Tree, personas: Personas,
                                        register: int) -> None:
        row = activity(tree)
        services.activity_update(actor=personas.admin, activity=row, base_version=1,
                                 reason="Một", **values(row, transfers="DHIS2."))
        with pytest.raises(EditConflict):
            services.activity_update(actor=personas.admin, activity=activity(tree),
                                     base_version=1, reason="Hai",
                                     **values(row, transfers="Không."))

    def test_the_other_provinces_admin_cannot_edit_it(self, tree: Tree, register: int) -> None:
        admin_c = make_user("admin_c", role=Role.SYSTEM_ADMIN, unit=tree.other_province)
        row = activity(tree)
        with pytest.raises(PermissionDenied):
            services.activity_update(actor=admin_c, activity=row, base_version=1, reason="x",
                                     **values(row, basis=Basis.LAW))


class PageTests:
    def test_the_register_shows_the_readers_province_only(self, client: Client, tree: Tree,
                                                          personas: Personas,
                                                          register: int) -> None:
        login(client, personas.auditor)
        page = client.get(reverse("privacy:register")).content.decode()
        assert tree.province.name in page and "Hồ sơ vụ việc bảo vệ trẻ em" in page
        assert client.get(reverse("privacy:register"),
                          {"province": tree.other_province.code}).status_code == 404

    def test_a_nation_wide_reader_chooses_the_province(self, client: Client, tree: Tree,
                                                       register: int) -> None:
        login(client, make_user("auditor_vn", role=Role.AUDITOR, unit=tree.nation))
        page = client.get(reverse("privacy:register")).content.decode()
        assert "Chọn tỉnh, thành phố để xem sổ" in page
        assert "Hồ sơ vụ việc bảo vệ trẻ em" not in page  # no province shown by default
        chosen = client.get(reverse("privacy:register"),
                            {"province": tree.other_province.code}).content.decode()
        assert "<h2>Thành phố Hà Nội</h2>" in chosen and "Hồ sơ vụ việc bảo vệ trẻ em" in chosen

    def test_the_dossier_is_a_word_file_too(self, client: Client, tree: Tree,
                                            personas: Personas, register: int) -> None:
        import io

        from docx import Document

        login(client, personas.province_officer)
        response = client.post(reverse("privacy:dossier"), {
            "province": tree.province.code, "controller": "Ủy ban nhân dân tỉnh Cao Bằng",
            "address": "Số 11 Hoàng Đình Giong", "officer": "Phòng Bảo vệ trẻ em",
            "officer_contact": "0206 385 0000", "format": "docx"})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('.docx"')
        document = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG" in text and "Tỉnh Cao Bằng" in text
        assert "Hồ sơ vụ việc bảo vệ trẻ em" in text  # a kind of record, as a heading
        activity = ProcessingActivity.objects.get(unit=tree.province, record_kind="case")
        assert activity.purposes in cells
        assert len(document.tables) == len(RecordKind) + 1  # each kind, then the risks
        assert AuditEvent.objects.filter(action=Action.EXPORT,
                                         changed_fields=["docx", "impact_assessment"]).exists()

    def test_the_dossier_is_a_pdf_of_the_province_audited(self, client: Client, tree: Tree,
                                                          personas: Personas,
                                                          register: int) -> None:
        login(client, personas.province_officer)
        form = {"province": tree.province.code, "controller": "Ủy ban nhân dân tỉnh Cao Bằng",
                "address": "Số 11 Hoàng Đình Giong", "officer": "Phòng Bảo vệ trẻ em",
                "officer_contact": "0206 385 0000"}
        response = client.post(reverse("privacy:dossier"), form)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(action=Action.EXPORT,
                                         changed_fields=["impact_assessment", "pdf"]).count() == 1
        outside = client.post(reverse("privacy:dossier"),
                              {**form, "province": tree.other_province.code})
        assert outside.status_code == 200 and b"%PDF" not in outside.content[:4]

    def test_a_commune_officer_reads_no_register(self, client: Client, personas: Personas,
                                                 register: int) -> None:
        login(client, personas.officer)
        assert client.get(reverse("privacy:register")).status_code == 403
