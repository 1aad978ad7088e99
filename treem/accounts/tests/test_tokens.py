"""Personal API tokens: creation, use with the API, expiry and revocation, and their pages."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from treem.accounts import exceptions as exc
from treem.accounts import services
from treem.accounts.models import ApiToken, User
from treem.accounts.roles import Role
from treem.api_support import error_body
from treem.audit.models import Action, AuditEvent
from treem.testing import (
    PASSWORD,
    Personas,
    Tree,
    confirmed_device,
    lock_out,
    locked_until,
    login,
    sign_in_failures,
    totp_now,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response



def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def api_get(path: str, raw: str) -> Response:
    return Client().get(f"/api/v1{path}", headers=bearer(raw))


def obtain(**body: Any) -> Response:
    return Client().post("/api/v1/auth/token", data=json.dumps(body),
                         content_type="application/json")


def every_stored_text() -> str:
    """Every value of every column of every table, as one string."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


class TokenCreateTests:
    def test_it_returns_the_raw_token_and_stores_only_its_digest(
        self, personas: Personas
    ) -> None:
        token, raw = services.token_create(user=personas.officer, name="Báo cáo Excel", days=30)

        assert raw.startswith("treem_")
        assert len(raw) > 40
        token.refresh_from_db()
        assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in every_stored_text()
        assert raw[len("treem_"):] not in every_stored_text()
        assert token.prefix == raw[len("treem_"):][:8]

    def test_each_token_is_different(self, personas: Personas) -> None:
        _first, one = services.token_create(user=personas.officer, name="A", days=1)
        _second, two = services.token_create(user=personas.officer, name="B", days=1)

        assert one != two

    def test_it_expires_after_the_days_asked(self, personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=90)

        remaining = token.expires_at - timezone.now()
        assert datetime.timedelta(days=89, hours=23) < remaining <= datetime.timedelta(days=90)

    def test_it_writes_an_audit_event(self, tree: Tree, personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=1)

        event = AuditEvent.objects.get(action=Action.TOKEN_CREATED)
        assert (event.actor, event.object_id, event.unit) == (
            personas.officer, str(token.public_id), tree.commune_a)

    @pytest.mark.parametrize("days", [0, -1, 91])
    def test_it_refuses_a_duration_out_of_range(self, personas: Personas, days: int) -> None:
        before = (ApiToken.objects.count(), AuditEvent.objects.count())

        with pytest.raises(ValidationError) as error:
            services.token_create(user=personas.officer, name="A", days=days)

        assert error.value.message_dict["days"] == ["Thời hạn khóa API phải từ 1 đến 90 ngày."]
        assert (ApiToken.objects.count(), AuditEvent.objects.count()) == before

    def test_it_refuses_an_empty_name(self, personas: Personas) -> None:
        with pytest.raises(ValidationError):
            services.token_create(user=personas.officer, name="  ", days=1)

        assert ApiToken.objects.count() == 0


class TokenAuthenticationTests:
    def test_the_token_opens_the_api_with_its_owner(self, tree: Tree,
                                                    personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="A", days=1)

        response = api_get("/me", raw)

        assert response.status_code == 200
        body = response.json()
        assert body["username"] == "officer_a"
        assert body["roles"] == [Role.COMMUNE_OFFICER]
        assert [a["unit"]["id"] for a in body["assignments"]] == [str(tree.commune_a.public_id)]

    def test_the_token_carries_the_scope_of_its_owner(self, tree: Tree,
                                                      personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="A", days=1)

        assert api_get(f"/units/{tree.commune_a.public_id}", raw).status_code == 200
        assert api_get(f"/units/{tree.commune_b.public_id}", raw).status_code == 404
        assert api_get(f"/units/{tree.commune_c.public_id}", raw).status_code == 404

    def test_use_is_recorded(self, personas: Personas) -> None:
        token, raw = services.token_create(user=personas.officer, name="A", days=1)

        api_get("/me", raw)

        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_an_expired_token_is_refused(self, personas: Personas) -> None:
        token, raw = services.token_create(user=personas.officer, name="A", days=1)
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1))

        response = api_get("/me", raw)

        assert response.status_code == 401
        assert response.json() == error_body(401)

    def test_a_revoked_token_is_refused(self, personas: Personas) -> None:
        token, raw = services.token_create(user=personas.officer, name="A", days=1)
        services.token_revoke(actor=personas.officer, token=token)

        assert api_get("/me", raw).status_code == 401

    def test_the_token_of_a_deactivated_user_is_refused(self, personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="A", days=1)

        services.user_set_active(actor=personas.admin, user=personas.officer, active=False)

        assert api_get("/me", raw).status_code == 401

    def test_an_unrevoked_token_of_an_inactive_user_is_refused(self, personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="A", days=1)
        User.objects.filter(pk=personas.officer.pk).update(is_active=False)

        assert api_get("/me", raw).status_code == 401

    def test_a_password_lockout_does_not_cut_off_the_users_token(self, personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="A", days=1)
        lock_out("officer_a", until=timezone.now() + datetime.timedelta(minutes=5))

        assert api_get("/me", raw).status_code == 200

    @pytest.mark.parametrize("header", [
        "Bearer", "Bearer ", "Bearer abc", "Bearer treem_", "Bearer treem_khongcokhoanay",
        "Token treem_abc", "Basic b2ZmaWNlcl9hOk1hdC1raGF1LTIwMjY=",
    ])
    def test_a_malformed_or_unknown_token_is_refused(self, personas: Personas,
                                                     header: str) -> None:
        services.token_create(user=personas.officer, name="A", days=1)

        response = Client().get("/api/v1/me", headers={"Authorization": header})

        assert response.status_code == 401

    def test_a_request_without_credentials_is_refused(self, personas: Personas) -> None:
        assert Client().get("/api/v1/me").status_code == 401

    def test_the_raw_token_is_needed_not_its_digest(self, personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=1)

        assert api_get("/me", token.token_hash).status_code == 401
        assert api_get("/me", f"treem_{token.token_hash}").status_code == 401


class ApiRevokeTests:
    def test_it_revokes_the_token_used(self, personas: Personas) -> None:
        token, raw = services.token_create(user=personas.officer, name="A", days=1)
        other, other_raw = services.token_create(user=personas.officer, name="B", days=1)

        response = Client().post("/api/v1/auth/revoke", headers=bearer(raw))

        assert response.status_code == 204
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert api_get("/me", raw).status_code == 401
        assert api_get("/me", other_raw).status_code == 200
        assert AuditEvent.objects.filter(action=Action.TOKEN_REVOKED,
                                         object_id=str(token.public_id)).exists()

    def test_it_needs_a_token(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)

        assert client.post("/api/v1/auth/revoke").status_code == 401


class ApiTokenObtainTests:
    def test_a_collaborator_gets_a_token_with_the_password(self, personas: Personas) -> None:
        response = obtain(username="ctv_a", password=PASSWORD, name="Điện thoại", days=7)

        assert response.status_code == 200
        raw = response.json()["token"]
        assert api_get("/me", raw).json()["username"] == "ctv_a"
        token = ApiToken.objects.get(user=personas.collaborator)
        assert token.name == "Điện thoại"
        assert token.expires_at - timezone.now() <= datetime.timedelta(days=7)

    def test_an_officer_gets_a_token_with_password_and_code(self, personas: Personas) -> None:
        device = confirmed_device(personas.officer)

        response = obtain(username="officer_a", password=PASSWORD, otp=totp_now(device))

        assert response.status_code == 200
        assert api_get("/me", response.json()["token"]).status_code == 200

    def test_an_officer_without_a_code_is_refused_and_it_counts(self, personas: Personas) -> None:
        confirmed_device(personas.officer)

        response = obtain(username="officer_a", password=PASSWORD)

        assert response.status_code == 401
        assert ApiToken.objects.count() == 0
        assert sign_in_failures("officer_a") == 1

    def test_five_tries_without_the_code_lock_the_account(self, personas: Personas) -> None:
        confirmed_device(personas.officer)

        for _ in range(5):
            obtain(username="officer_a", password=PASSWORD, otp="000000")

        assert locked_until("officer_a") is not None

    def test_an_officer_without_a_device_is_refused(self, personas: Personas) -> None:
        response = obtain(username="officer_a", password=PASSWORD, otp="123456")

        assert response.status_code == 401
        assert response.json()["detail"] == str(exc.OTP_NOT_SET_UP)
        assert ApiToken.objects.count() == 0

    def test_a_wrong_password_is_refused_with_the_generic_message(self,
                                                                  personas: Personas) -> None:
        wrong = obtain(username="ctv_a", password="Sai-mat-khau-1")
        unknown = obtain(username="khong_co_ai", password="Sai-mat-khau-1")

        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json() == error_body(401, str(exc.LOGIN_FAILED))
        assert sign_in_failures("ctv_a") == 1

    def test_a_duration_out_of_range_is_refused_at_its_field(self, personas: Personas) -> None:
        response = obtain(username="ctv_a", password=PASSWORD, days=91)

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"loc": ["body", "days"], "msg": "Phải nhỏ hơn hoặc bằng 90.",
             "type": "less_than_equal"}]
        assert ApiToken.objects.count() == 0


class TokenPageTests:
    def test_the_profile_lists_tokens_without_their_secret(self, client: Client,
                                                           personas: Personas) -> None:
        _token, raw = services.token_create(user=personas.officer, name="Báo cáo Excel", days=1)
        login(client, personas.officer)

        response = client.get("/accounts/me/")

        page = response.content.decode()
        assert response.status_code == 200
        assert "Báo cáo Excel" in page
        assert raw[len("treem_"):][:8] in page
        assert raw not in page

    def test_the_profile_needs_a_login(self, client: Client, personas: Personas) -> None:
        response = client.get("/accounts/me/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_creates_a_token_and_shows_it_once(self, client: Client,
                                                  personas: Personas) -> None:
        login(client, personas.officer)

        response = client.post("/accounts/me/tokens/new/", {"name": "Power BI", "days": "30"})

        raw = response.context["raw_token"]
        token = ApiToken.objects.get(user=personas.officer)
        assert response.status_code == 200
        assert raw in response.content.decode()
        assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in client.get("/accounts/me/").content.decode()
        assert api_get("/me", raw).status_code == 200

    def test_it_refuses_more_than_ninety_days_in_vietnamese(self, client: Client,
                                                            personas: Personas) -> None:
        login(client, personas.officer)

        response = client.post("/accounts/me/tokens/new/", {"name": "Power BI", "days": "91"})

        assert response.status_code == 200
        assert response.context["form"].errors["days"] == [
            "Thời hạn khóa API phải từ 1 đến 90 ngày."]
        assert response.context["raw_token"] is None
        assert ApiToken.objects.count() == 0

    def test_it_revokes_an_own_token(self, client: Client, personas: Personas) -> None:
        token, raw = services.token_create(user=personas.officer, name="A", days=1)
        login(client, personas.officer)

        response = client.post(f"/accounts/me/tokens/{token.public_id}/revoke/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/me/"
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert api_get("/me", raw).status_code == 401

    def test_revoking_twice_changes_nothing(self, client: Client, personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=1)
        login(client, personas.officer)
        client.post(f"/accounts/me/tokens/{token.public_id}/revoke/")
        revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at

        response = client.post(f"/accounts/me/tokens/{token.public_id}/revoke/", follow=True)

        assert str(exc.TOKEN_ALREADY_REVOKED) in response.content.decode()
        assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at

    def test_revoke_refuses_get(self, client: Client, personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=1)
        login(client, personas.officer)

        response = client.get(f"/accounts/me/tokens/{token.public_id}/revoke/")

        assert response.status_code == 405
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    def test_another_users_token_gives_404_and_stays(self, client: Client,
                                                     personas: Personas) -> None:
        token, raw = services.token_create(user=personas.outsider, name="B", days=1)
        login(client, personas.officer)

        response = client.post(f"/accounts/me/tokens/{token.public_id}/revoke/")

        assert response.status_code == 404
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None
        assert api_get("/me", raw).status_code == 200

    def test_an_administrator_cannot_revoke_a_users_token_here(self, client: Client,
                                                               personas: Personas) -> None:
        token, _raw = services.token_create(user=personas.officer, name="A", days=1)
        login(client, personas.admin)

        response = client.post(f"/accounts/me/tokens/{token.public_id}/revoke/")

        assert response.status_code == 404
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None
