"""The frame around every page: health check, home, navigation, language, assets, deployment."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from treem.testing import Personas, login

TREEM = Path(__file__).resolve().parents[2]



class HealthzTests:
    def test_it_answers_ok_without_sign_in(self, db: None) -> None:
        response = Client().get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_it_reveals_nothing_else(self, db: None) -> None:
        response = Client().get("/healthz")
        assert set(response.json()) == {"status"}


class HomeTests:
    def test_it_lists_the_users_role_and_unit(self, personas: Personas) -> None:
        content = login(Client(), personas.officer).get(reverse("web:home")).content.decode()
        assert "Người làm công tác bảo vệ trẻ em cấp xã" in content
        assert "Phường Thục Phán" in content
        assert "Xin chào, officer_a" in content

    def test_it_names_the_sector_of_a_sector_focal_point(self, personas: Personas) -> None:
        content = login(Client(), personas.sector_focal).get("/").content.decode()
        assert "Đầu mối ngành" in content
        assert "(Công an)" in content
        assert "Tỉnh Cao Bằng" in content

    def test_a_user_without_a_role_is_told_to_ask_an_administrator(self, tree: Any) -> None:
        from treem.testing import make_user

        content = login(Client(), make_user("no_role")).get("/").content.decode()
        assert "Bạn chưa được giao vai trò nào." in content


class NavigationTests:
    @pytest.mark.parametrize(("persona", "sees_users", "sees_audit"), [
        ("admin", True, False),
        ("auditor", False, True),
        ("officer", False, False),
        ("province_officer", False, False),
        ("collaborator", False, False),
    ])
    def test_users_only_for_the_admin_and_the_log_only_for_the_auditor(
            self, personas: Personas, persona: str, sees_users: bool, sees_audit: bool) -> None:
        content = login(Client(), getattr(personas, persona)).get("/").content.decode()
        users_link = f'<a href="{reverse("accounts:user_list")}">Người dùng</a>'
        audit_link = f'<a href="{reverse("audit:event_list")}">Nhật ký</a>'
        assert (users_link in content) is sees_users
        assert (audit_link in content) is sees_audit
        assert f'<a href="{reverse("accounts:profile")}">Tài khoản</a>' in content

    def test_the_current_page_is_marked(self, personas: Personas) -> None:
        content = login(Client(), personas.officer).get(reverse("geo:unit_browse")).content.decode()
        assert f'<a href="{reverse("geo:unit_browse")}" aria-current="page">' in content

    def test_a_collaborator_signed_in_without_a_second_factor_gets_navigation(
            self, personas: Personas) -> None:
        client = Client()
        client.force_login(personas.collaborator)  # the password alone, as for volunteers
        content = client.get("/").content.decode()
        assert f'<a href="{reverse("geo:unit_browse")}">Đơn vị hành chính</a>' in content
        assert "Đăng xuất" in content

    def test_a_staff_user_between_password_and_code_gets_no_navigation(
            self, personas: Personas) -> None:
        client = Client()
        client.force_login(personas.officer)  # password accepted, code not yet entered
        response = client.get(reverse("accounts:otp"))
        assert response.status_code == 200
        assert "Điều hướng chính" not in response.content.decode()

    def test_a_visitor_who_is_not_signed_in_gets_no_navigation(self, db: None) -> None:
        content = Client().get(reverse("accounts:login")).content.decode()
        assert "Điều hướng chính" not in content


class HeadTests:
    @pytest.mark.parametrize("signed_in", [False, True])
    def test_every_page_describes_the_service_and_asks_search_engines_to_stay_out(
            self, personas: Personas, signed_in: bool) -> None:
        client = login(Client(), personas.officer) if signed_in else Client()
        content = client.get(reverse("web:home" if signed_in else "accounts:login")).content.decode()
        # Pages of a child-protection register are never to be found by a search engine; the
        # tag rather than a robots.txt Disallow, which would keep crawlers from reading it.
        assert '<meta name="robots" content="noindex, nofollow">' in content
        assert re.search(r'<meta name="description" content="[^"]*bảo vệ trẻ em[^"]*">', content)


class LanguageTests:
    @pytest.fixture
    def english(self, personas: Personas) -> Client:
        client = login(Client(), personas.admin)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        return client

    @pytest.mark.parametrize("url_name", ["web:home", "geo:unit_browse", "accounts:profile",
                                          "accounts:user_list", "accounts:password_change",
                                          "accounts:token_create"])
    def test_english_does_not_break_pages(self, english: Client, url_name: str) -> None:
        response = english.get(reverse(url_name))
        assert response.status_code == 200
        content = response.content.decode()
        assert '<html lang="en">' in content
        assert '<option value="en" selected>' in content

    def test_english_does_not_break_the_audit_log(self, personas: Personas) -> None:
        client = login(Client(), personas.auditor)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.get(reverse("audit:event_list"), {"date_from": "2026-02-01",
                                                             "date_to": "2026-01-01"})
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()

    def test_vietnamese_is_the_default(self, personas: Personas) -> None:
        content = login(Client(), personas.admin).get("/").content.decode()
        assert '<html lang="vi">' in content


def template_files() -> list[Path]:
    return sorted(TREEM.glob("**/templates/**/*.html"))


def static_text_files() -> list[Path]:
    return sorted(p for ext in ("css", "js") for p in TREEM.glob(f"**/static/**/*.{ext}"))


_TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
_ASSET_TAG = re.compile(r"<(script|link)\b[^>]*>", re.S | re.I)
_ASSET_URL = re.compile(r"""\b(?:src|href)\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_REMOTE_IN_ATTRIBUTE = re.compile(r"""=\s*["']\s*(?:https?:)?//""", re.I)
_REMOTE_IN_CSS = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:https?:)?//""", re.I)


class LocalAssetsTests:
    """Pages must work on a government network that reaches no CDN, and leak no visits to one."""

    def test_there_are_templates_to_check(self) -> None:
        assert len(template_files()) >= 15

    @pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TREEM)))
    def test_scripts_and_stylesheets_come_from_local_static_files(self, path: Path) -> None:
        source = path.read_text()
        for tag in _ASSET_TAG.finditer(source):
            for match in _ASSET_URL.finditer(tag.group(0)):
                url = match.group(2).strip()
                # "data:" is inline (the empty favicon that spares a request), so local too; a
                # URL of treem's own (the offline app's manifest, served by a view) as well.
                assert url.startswith(("{% static ", "/static/", "data:", "{% url ")), (
                    tag.group(0), path)

    @pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TREEM)))
    def test_no_tag_refers_to_a_remote_url(self, path: Path) -> None:
        source = path.read_text()
        remote = [tag for tag in _TAG.findall(source) if _REMOTE_IN_ATTRIBUTE.search(tag)]
        assert remote == []
        assert not _REMOTE_IN_CSS.search(source)

    def test_stylesheets_and_scripts_load_nothing_remote(self) -> None:
        remote = [p for p in static_text_files() if _REMOTE_IN_CSS.search(p.read_text())]
        assert remote == []

    @pytest.mark.parametrize("url_name", ["web:home", "geo:unit_browse", "accounts:login"])
    def test_rendered_pages_load_only_local_static_files(self, personas: Personas,
                                                         url_name: str) -> None:
        content = login(Client(), personas.officer).get(reverse(url_name), follow=True
                                                        ).content.decode()
        urls = [m.group(2) for tag in _ASSET_TAG.finditer(content)
                for m in _ASSET_URL.finditer(tag.group(0))]
        assert urls, "no script or stylesheet found"
        assert all(url.startswith((settings.STATIC_URL, "data:")) for url in urls), urls
        assert any(url.startswith(settings.STATIC_URL) for url in urls), urls


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The test process's own settings must not leak into the production process (the browser
    # tests of this worker set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("TREEM_") and k not in ("SECRET_KEY", "DATABASE_URL",
                                                          "ALLOWED_HOSTS",
                                                          "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, capture_output=True,
        text=True, timeout=60, env={**base, "DJANGO_SETTINGS_MODULE": "treem.settings", **env},
    )


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TREEM_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(60)[:60],
        "ALLOWED_HOSTS": "treem.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "TREEM_DATA_DIR": str(tmp_path),
    }


class ProductionModeTests:
    def test_the_deployment_checks_pass(self, production_env: dict[str, str]) -> None:
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "WARNINGS" not in output
        assert "System check identified no issues" in output

    @pytest.mark.parametrize("secret_key", [None, "too-short-for-production"])
    def test_it_refuses_to_start_without_a_real_secret_key(
            self, production_env: dict[str, str], secret_key: str | None) -> None:
        env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
        if secret_key is not None:
            env["SECRET_KEY"] = secret_key
        result = manage("check", env=env)
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr
