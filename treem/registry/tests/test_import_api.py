"""The Excel import over the API and from the command line: the same service and scope."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from treem.accounts.services import token_create
from treem.registry.models import Child, ImportJob
from treem.registry.tests.test_import import GOOD_FILE, XLSX, counts, row, xlsx
from treem.testing import Personas, Tree, login

API = "/api/v1"
HALF_BAD = xlsx([row(full_name="Đúng Một"),
                 row(full_name="Sai Ngày", birth_date="31/02/2016"),
                 row(full_name="Đúng Hai", sex="Nữ")])
NOTHING = {"Child": 0, "ChildResidence": 0, "Caregiver": 0, "events": 0}


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.TREEM_IMPORT_SYNC = True


@pytest.fixture
def officer(client: Client, personas: Personas) -> Client:
    return login(client, personas.officer)


def bearer(user: Any) -> Client:
    _token, raw = token_create(user=user, name="import", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def upload(client: Client, commune: Any, data: bytes | None, *,
           name: str = "danh sach.xlsx") -> Any:
    form = {} if data is None else {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    return client.post(f"{API}/communes/{commune.public_id}/imports", form)


def commit(client: Client, job_id: Any, mode: str) -> Any:
    return client.post(f"{API}/imports/{job_id}/commit", {"mode": mode},
                       content_type="application/json")


class ImportApiTests:
    def test_it_uploads_checks_and_commits_a_file_with_a_token(self, tree: Tree,
                                                               personas: Personas) -> None:
        client = bearer(personas.officer)
        response = upload(client, tree.commune_a, xlsx([row(), row(full_name="Lò Thị Hoa")]))
        assert response.status_code == 202, response.content
        job = response.json()
        assert (job["status"], job["total_rows"], job["valid_rows"], job["error_rows"]) == (
            "validated", 2, 2, 0)
        assert job["commune"] == tree.commune_a.code

        response = commit(client, job["id"], "all")
        assert response.status_code == 202, response.content
        status = client.get(f"{API}/imports/{job['id']}").json()
        assert (status["status"], status["created_count"], status["percent"]) == ("done", 2, 100)
        assert set(Child.objects.values_list("full_name", flat=True)) == {
            "Hoàng Văn Khải", "Lò Thị Hoa"}

    def test_errors_are_listed_by_row_and_column_page_by_page(self, officer: Client,
                                                              tree: Tree) -> None:
        job = upload(officer, tree.commune_a, HALF_BAD).json()
        assert (job["valid_rows"], job["error_rows"]) == (2, 1)
        page = officer.get(f"{API}/imports/{job['id']}/errors").json()
        assert page["count"] == 1
        assert page["items"][0]["row"] == 3 and page["items"][0]["column"] == "C"
        assert "không có thật" in page["items"][0]["message"]
        assert officer.get(f"{API}/imports/{job['id']}/errors",
                           {"page": 2}).json()["items"] == []

    def test_all_or_nothing_is_refused_while_a_row_is_wrong(self, officer: Client,
                                                            tree: Tree) -> None:
        job = upload(officer, tree.commune_a, HALF_BAD).json()
        response = commit(officer, job["id"], "all")
        assert response.status_code == 422
        assert "Tệp còn dòng có lỗi" in response.json()["detail"]
        assert counts() == NOTHING

        assert commit(officer, job["id"], "valid_only").status_code == 202
        assert counts()["Child"] == 2
        assert commit(officer, job["id"], "valid_only").status_code == 422  # done already

    def test_an_unknown_mode_is_refused(self, officer: Client, tree: Tree) -> None:
        job = upload(officer, tree.commune_a, GOOD_FILE).json()
        assert commit(officer, job["id"], "everything").status_code == 422
        assert officer.post(f"{API}/imports/{job['id']}/commit", {},
                            content_type="application/json").status_code == 422
        assert counts() == NOTHING

    def test_a_bad_file_is_refused_with_its_message(self, officer: Client, tree: Tree) -> None:
        response = upload(officer, tree.commune_a, b"Ho va ten,Gioi tinh\n", name="x.xlsx")
        assert response.status_code == 422
        assert "không phải tệp Excel (.xlsx)" in response.json()["detail"]
        assert upload(officer, tree.commune_a, None).status_code == 422
        assert ImportJob.objects.count() == 0

    def test_a_file_above_the_size_limit_is_refused(self, officer: Client, tree: Tree,
                                                    settings: Any) -> None:
        settings.TREEM_IMPORT_MAX_BYTES = 1024
        response = upload(officer, tree.commune_a, GOOD_FILE)
        assert response.status_code == 422 and "Tệp lớn hơn" in response.json()["detail"]
        assert ImportJob.objects.count() == 0

    def test_a_file_that_cannot_be_read_fails_the_job(self, officer: Client,
                                                      tree: Tree) -> None:
        data = xlsx([row()], headers=["Tên gì đó", "Cột khác"])
        job = upload(officer, tree.commune_a, data).json()
        assert job["status"] == "failed" and "Không tìm thấy dòng tiêu đề" in job["message"]

    def test_the_officer_of_another_commune_gets_404(self, tree: Tree,
                                                     personas: Personas) -> None:
        job = upload(bearer(personas.officer), tree.commune_a, GOOD_FILE).json()
        outsider = bearer(personas.outsider)
        assert outsider.get(f"{API}/imports/{job['id']}").status_code == 404
        assert outsider.get(f"{API}/imports/{job['id']}/errors").status_code == 404
        assert commit(outsider, job["id"], "all").status_code == 404
        assert upload(outsider, tree.commune_a, GOOD_FILE).status_code == 404
        assert ImportJob.objects.count() == 1 and counts() == NOTHING

    @pytest.mark.parametrize("persona", ["auditor", "province_officer", "intake", "admin"])
    def test_roles_that_keep_no_register_get_403(self, tree: Tree, personas: Personas,
                                                 persona: str) -> None:
        job = upload(bearer(personas.officer), tree.commune_a, GOOD_FILE).json()
        client = bearer(getattr(personas, persona))
        assert client.get(f"{API}/imports/{job['id']}").status_code == 403
        assert client.get(f"{API}/imports/{job['id']}/errors").status_code == 403
        assert commit(client, job["id"], "all").status_code == 403
        assert upload(client, tree.commune_a, GOOD_FILE).status_code == 403
        assert ImportJob.objects.count() == 1 and counts() == NOTHING

    def test_an_anonymous_caller_gets_401(self, tree: Tree) -> None:
        assert upload(Client(), tree.commune_a, GOOD_FILE).status_code == 401
        assert ImportJob.objects.count() == 0


class ImportCommandTests:
    def write(self, tmp_path: Path, data: bytes) -> str:
        path = tmp_path / "danh sach.xlsx"
        path.write_bytes(data)
        return str(path)

    def run(self, *args: str) -> str:
        from io import StringIO

        out = StringIO()
        call_command("import_children", *args, stdout=out)
        return out.getvalue()

    def test_it_imports_a_file_and_prints_a_summary(self, tmp_path: Path, tree: Tree,
                                                    personas: Personas) -> None:
        out = self.run(self.write(tmp_path, GOOD_FILE), "--commune", tree.commune_a.code,
                       "--user", "officer_a")
        assert "1 dòng trong tệp, 1 dòng hợp lệ, 0 dòng có lỗi." in out
        assert "Đã ghi vào sổ: 1 trẻ mới, 0 trẻ được cập nhật, 0 trẻ không thay đổi." in out
        job = ImportJob.objects.get()
        assert (job.status, job.created_by, job.mode) == ("done", personas.officer, "all")
        assert counts()["events"] == 1

    def test_all_or_nothing_writes_nothing_and_lists_the_errors(
            self, tmp_path: Path, tree: Tree, personas: Personas) -> None:
        path = self.write(tmp_path, HALF_BAD)
        with pytest.raises(CommandError, match="Tệp còn dòng có lỗi"):
            self.run(path, "--commune", tree.commune_a.code, "--user", "officer_a")
        assert counts() == NOTHING

        out = self.run(path, "--commune", tree.commune_a.code, "--user", "officer_a",
                       "--valid-only")
        assert "Dòng 3, cột C · Ngày sinh:" in out
        assert "Đã ghi vào sổ: 2 trẻ mới" in out

    def test_a_commune_outside_the_users_scope_is_refused(
            self, tmp_path: Path, tree: Tree, personas: Personas) -> None:
        path = self.write(tmp_path, GOOD_FILE)
        with pytest.raises(CommandError, match="không ghi sổ theo dõi trẻ em"):
            self.run(path, "--commune", tree.commune_b.code, "--user", "officer_a")
        with pytest.raises(CommandError, match="không ghi sổ theo dõi trẻ em"):
            self.run(path, "--commune", tree.commune_a.code, "--user", "auditor")
        with pytest.raises(CommandError, match="Không có người dùng"):
            self.run(path, "--commune", tree.commune_a.code, "--user", "nobody")
        assert ImportJob.objects.count() == 0

    def test_a_bad_or_missing_file_is_refused(self, tmp_path: Path, tree: Tree,
                                              personas: Personas) -> None:
        with pytest.raises(CommandError, match="không phải tệp Excel"):
            self.run(self.write(tmp_path, b"not a workbook"), "--commune",
                     tree.commune_a.code, "--user", "officer_a")
        with pytest.raises(CommandError, match="Không đọc được tệp"):
            self.run(str(tmp_path / "missing.xlsx"), "--commune", tree.commune_a.code,
                     "--user", "officer_a")
        assert counts() == NOTHING


class MalformedUploadTests:
    """A multipart body without its boundary (or with a broken one) is the client's mistake:
    a 400 with a Vietnamese message, never a server error, and nothing stored."""

    @pytest.mark.parametrize("content_type", [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\u00e9\u00e9\"",
    ])
    def test_the_api_upload_without_a_boundary_is_a_400(self, tree: Tree, personas: Personas,
                                                        content_type: str) -> None:
        client = bearer(personas.officer)
        client.raise_request_exception = False
        response = client.post(f"{API}/communes/{tree.commune_a.public_id}/imports",
                               data=b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"
                                    b"abc\r\n--x--\r\n", content_type=content_type)
        assert response.status_code == 400, response.content
        assert "Dữ liệu tải lên không đúng dạng multipart/form-data" in \
            response.json()["detail"]
        assert not ImportJob.objects.exists()

    def test_the_upload_page_without_a_boundary_is_a_400(self, officer: Client) -> None:
        officer.raise_request_exception = False
        response = officer.post(_upload_url(),
                                data=b"--x\r\n\r\n", content_type="multipart/form-data")
        assert response.status_code == 400
        assert "Dữ liệu tải lên không đúng dạng multipart/form-data" in \
            response.content.decode()
        assert not ImportJob.objects.exists()


def _upload_url() -> str:
    from django.urls import reverse

    return reverse("registry:import_upload")
