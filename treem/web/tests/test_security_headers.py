import pytest
from django.core.checks import run_checks
from django.test import Client
from pytest_django import Settings

from treem.testing import Personas, Tree, login


class SecurityHeaderTests:
    def test_every_page_forbids_inline_and_foreign_scripts(self, client: Client, db: None) -> None:
        policy = client.get("/accounts/login/")["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"

    def test_pages_carry_no_inline_script_or_handler(self, client: Client,
                                                     personas: Personas) -> None:
        login(client, personas.officer)
        for url in ("/", "/units/", "/accounts/me/", "/accounts/login/"):
            page = client.get(url, follow=True).content.decode()
            assert "onchange=" not in page and "onclick=" not in page, url
            for chunk in page.split("<script")[1:]:
                assert chunk.lstrip().startswith(("src=", 'type="application/json"')), url


class HtmxRedirectTests:
    def test_an_expired_session_during_a_search_reloads_the_whole_page(
        self, client: Client, tree: Tree
    ) -> None:
        response = client.get("/units/", {"q": "thuc phan"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 204
        assert response["HX-Redirect"].startswith("/accounts/login/?next=/units/")

    def test_an_ordinary_redirect_is_left_alone(self, client: Client, tree: Tree) -> None:
        response = client.get("/units/")
        assert response.status_code == 302
        assert "HX-Redirect" not in response


class CsrfFailureTests:
    def test_a_stale_form_explains_itself_in_vietnamese(self, personas: Personas) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post("/accounts/login/", {"username": "officer_a", "password": "x"})
        assert response.status_code == 403
        assert "Phiên làm việc đã hết hạn" in response.content.decode()


class SettingsCheckTests:
    def test_an_unknown_exempt_role_stops_the_start(self, settings: Settings) -> None:
        settings.TREEM_TWO_FACTOR_EXEMPT_ROLES = ["village_colaborator"]
        errors = [e for e in run_checks() if e.id == "treem.accounts.E001"]
        assert len(errors) == 1
        assert "village_colaborator" in errors[0].msg

    @pytest.mark.parametrize("roles", [[], ["village_collaborator", "auditor"]])
    def test_known_roles_pass(self, settings: Settings, roles: list[str]) -> None:
        settings.TREEM_TWO_FACTOR_EXEMPT_ROLES = roles
        assert not [e for e in run_checks() if e.id == "treem.accounts.E001"]


class LanguageTests:
    def test_an_english_browser_still_gets_vietnamese(self, client: Client, db: None) -> None:
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert "Đăng nhập" in page.content.decode()

    def test_the_language_chosen_in_the_menu_wins(self, client: Client, db: None) -> None:
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
        assert "Sign in" in page.content.decode()
