"""Lockout by username and address, slowdown by username, and unlocking by an e-mailed link.

Whoever knows a username must not be able to keep its owner out: failures lock the address
they came from for that username (django-axes' `[["username", "ip_address"]]`), while the
username alone is only slowed down, with growing waits (Keycloak's brute-force detection),
which do not apply at an address the user has already signed in from."""

from __future__ import annotations

import datetime
import io
import json
import re
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from treem.accounts import exceptions as exc
from treem.accounts.models import SignInThrottle, UnlockLink
from treem.audit.models import Action, AuditEvent
from treem.testing import PASSWORD, Personas, confirmed_device, totp_now

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN_URL = "/accounts/login/"
OTP_URL = "/accounts/2fa/"
UNLOCK_URL = "/accounts/unlock/"
WRONG = "Sai-mat-khau-1"
ATTACKER, USER = "203.0.113.66", "198.51.100.7"


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Response:
    return client.post(LOGIN_URL, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def errors(response: Response) -> list[str]:
    return [str(e) for errs in response.context["form"].errors.values() for e in errs]


def fail(address: str, times: int, username: str = "ctv_a") -> None:
    for _ in range(times):
        sign_in(at(address), username, WRONG)


def obtain(address: str, **body: Any) -> Response:
    return at(address).post("/api/v1/auth/token", data=json.dumps(body),
                            content_type="application/json")


def later(**delta: float) -> Any:
    return mock.patch("django.utils.timezone.now",
                      return_value=timezone.now() + datetime.timedelta(**delta))


def spray(count: int, username: str = "ctv_a") -> None:
    """One wrong password from each of `count` addresses."""
    for n in range(count):
        fail(f"192.0.2.{n + 1}", 1, username)


class AddressLockTests:
    def test_an_attacker_at_one_address_does_not_keep_the_user_out_at_another(
        self, personas: Personas
    ) -> None:
        fail(ATTACKER, 5)
        client = at(USER)

        response = sign_in(client, "ctv_a")

        assert response.status_code == 302
        assert signed_in(client)

    def test_the_attacker_is_locked_at_its_address_even_with_the_right_password(
        self, personas: Personas
    ) -> None:
        fail(ATTACKER, 5)
        client = at(ATTACKER)

        response = sign_in(client, "ctv_a")

        assert errors(response) == [str(exc.LOGIN_FAILED)]
        assert not signed_in(client)

    def test_the_lock_of_an_address_is_for_that_username_only(self,
                                                              personas: Personas) -> None:
        fail(ATTACKER, 5, "ctv_a")

        assert signed_in_after(sign_in, at(ATTACKER), "officer_a")

    def test_four_failures_do_not_lock_and_a_success_resets_the_count(
        self, personas: Personas
    ) -> None:
        fail(USER, 4)
        assert signed_in_after(sign_in, at(USER), "ctv_a")

        fail(USER, 4)

        assert signed_in_after(sign_in, at(USER), "ctv_a")

    def test_the_lock_lasts_the_configured_minutes(self, personas: Personas,
                                                   settings: Any) -> None:
        settings.TREEM_LOCKOUT_THRESHOLD = 3
        settings.TREEM_LOCKOUT_MINUTES = 30
        fail(ATTACKER, 3)

        with later(minutes=29):
            assert not signed_in_after(sign_in, at(ATTACKER), "ctv_a")
        with later(minutes=30, seconds=1):
            assert signed_in_after(sign_in, at(ATTACKER), "ctv_a")

    def test_the_lock_and_the_failures_are_audited_with_the_address(
        self, personas: Personas
    ) -> None:
        fail(ATTACKER, 5)

        locked = AuditEvent.objects.get(action=Action.LOCKED)
        assert locked.actor_username == "ctv_a"
        assert locked.ip == ATTACKER
        assert locked.object_id == str(personas.collaborator.public_id)
        assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, ip=ATTACKER).count() == 5

    def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(
        self, personas: Personas
    ) -> None:
        wrong = sign_in(at(ATTACKER), "ctv_a", WRONG)
        unknown = sign_in(at(ATTACKER), "khong_co_ai", WRONG)
        fail(ATTACKER, 5, "khong_co_ai")
        fail(ATTACKER, 4, "ctv_a")
        locked = sign_in(at(ATTACKER), "ctv_a", PASSWORD)
        locked_unknown = sign_in(at(ATTACKER), "khong_co_ai", PASSWORD)

        assert (errors(wrong) == errors(unknown) == errors(locked) == errors(locked_unknown)
                == [str(exc.LOGIN_FAILED)])
        assert str(exc.LOGIN_FAILED).startswith("Đăng nhập không thành công")

    def test_wrong_codes_lock_the_address_they_come_from(self, personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        attacker = at(ATTACKER)
        sign_in(attacker, "officer_a")
        for _ in range(5):
            attacker.post(OTP_URL, {"token": "000000"})
        device.throttle_reset()

        refused = attacker.post(OTP_URL, {"token": totp_now(device)})
        user = at(USER)
        sign_in(user, "officer_a")
        accepted = user.post(OTP_URL, {"token": totp_now(device), "next": "/"})

        assert errors(refused) == [str(exc.OTP_INVALID)]
        assert accepted.status_code == 302
        assert AuditEvent.objects.filter(action=Action.LOCKED, ip=ATTACKER).count() == 1


def signed_in_after(action: Any, client: Client, username: str) -> bool:
    action(client, username)
    return signed_in(client)


class UsernameSlowdownTests:
    def test_many_addresses_for_one_username_are_slowed_down(self, personas: Personas) -> None:
        spray(20)

        assert not signed_in_after(sign_in, at("192.0.2.200"), "ctv_a")

    def test_the_slowdown_does_not_stop_the_user_at_an_address_it_signed_in_from(
        self, personas: Personas
    ) -> None:
        assert signed_in_after(sign_in, at(USER), "ctv_a")
        spray(25)

        assert signed_in_after(sign_in, at(USER), "ctv_a")

    def test_the_wait_grows_with_the_failures_and_then_passes(self, personas: Personas,
                                                              settings: Any) -> None:
        settings.TREEM_SLOWDOWN_STEP_SECONDS = 60
        spray(20)
        with later(seconds=61):
            fail("192.0.2.150", 1)  # the 21st failure: a wait of two steps

        with later(seconds=61 + 119):
            assert not signed_in_after(sign_in, at("192.0.2.200"), "ctv_a")
        with later(seconds=61 + 121):
            assert signed_in_after(sign_in, at("192.0.2.200"), "ctv_a")

    def test_the_wait_is_capped(self, personas: Personas, settings: Any) -> None:
        settings.TREEM_SLOWDOWN_STEP_SECONDS = 600
        settings.TREEM_SLOWDOWN_MAX_MINUTES = 15
        spray(23)
        throttle = SignInThrottle.objects.get(username="ctv_a", address="")

        assert throttle.locked_until is not None
        assert throttle.locked_until <= timezone.now() + datetime.timedelta(minutes=15)

    def test_the_slowdown_is_audited_once(self, personas: Personas) -> None:
        spray(20)

        event = AuditEvent.objects.get(action=Action.LOCKED)
        assert event.reason == "username"

    def test_failures_older_than_the_window_are_forgotten(self, personas: Personas,
                                                          settings: Any) -> None:
        settings.TREEM_SLOWDOWN_WINDOW_HOURS = 12
        spray(19)

        with later(hours=12, seconds=1):
            fail("192.0.2.100", 1)
            assert signed_in_after(sign_in, at("192.0.2.200"), "ctv_a")


class ApiTokenLockoutTests:
    def test_an_attacker_at_one_address_does_not_stop_the_users_token_at_another(
        self, personas: Personas
    ) -> None:
        for _ in range(5):
            assert obtain(ATTACKER, username="ctv_a", password=WRONG).status_code == 401

        locked = obtain(ATTACKER, username="ctv_a", password=PASSWORD)
        granted = obtain(USER, username="ctv_a", password=PASSWORD)

        assert locked.status_code == 401
        assert locked.json()["detail"] == str(exc.LOGIN_FAILED)
        assert granted.status_code == 200

    def test_wrong_codes_over_the_api_lock_the_address(self, personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        for _ in range(5):
            obtain(ATTACKER, username="officer_a", password=PASSWORD, otp="000000")
        device.throttle_reset()

        refused = obtain(ATTACKER, username="officer_a", password=PASSWORD,
                         otp=totp_now(device))
        device.throttle_reset()
        granted = obtain(USER, username="officer_a", password=PASSWORD, otp=totp_now(device))

        assert refused.status_code == 401
        assert granted.status_code == 200


def request_link(address: str, username: str) -> Response:
    return at(address).post(UNLOCK_URL, {"username": username}, follow=True)


def link_in_mail() -> str:
    assert len(mail.outbox) == 1
    found = re.search(r"/accounts/unlock/([A-Za-z0-9_-]+)/", str(mail.outbox[0].body))
    assert found is not None
    return found.group(0)


class UnlockLinkTests:
    @pytest.fixture(autouse=True)
    def _emails(self, personas: Personas) -> None:
        for user in (personas.collaborator, personas.officer):
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])

    def test_the_link_unlocks_every_address_and_the_username(self, personas: Personas,
                                                             django_capture_on_commit_callbacks: Any
                                                             ) -> None:
        fail(ATTACKER, 5)
        spray(20)
        with django_capture_on_commit_callbacks(execute=True):
            request_link(USER, "ctv_a")
        link = link_in_mail()
        assert mail.outbox[0].to == ["ctv_a@example.org"]

        page = at(USER).get(link)
        assert page.status_code == 200
        # A GET (a mail scanner opening the link) changes nothing.
        assert SignInThrottle.objects.filter(locked_until__gt=timezone.now()).count() == 2
        response = at(USER).post(link, follow=True)

        assert "Đã mở khóa" in response.content.decode()
        assert signed_in_after(sign_in, at(ATTACKER), "ctv_a")
        assert signed_in_after(sign_in, at("192.0.2.250"), "ctv_a")
        assert AuditEvent.objects.filter(action=Action.UNLOCKED, actor_username="ctv_a",
                                         reason="link").count() == 1

    def test_a_used_link_does_nothing(self, personas: Personas,
                                      django_capture_on_commit_callbacks: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            request_link(USER, "ctv_a")
        link = link_in_mail()
        at(USER).post(link)
        fail(ATTACKER, 5)

        response = at(ATTACKER).post(link, follow=True)

        assert "Liên kết mở khóa không hợp lệ hoặc đã hết hạn" in response.content.decode()
        assert not signed_in_after(sign_in, at(ATTACKER), "ctv_a")
        assert AuditEvent.objects.filter(action=Action.UNLOCKED).count() == 1

    def test_an_expired_link_does_nothing(self, personas: Personas, settings: Any,
                                          django_capture_on_commit_callbacks: Any) -> None:
        settings.TREEM_UNLOCK_LINK_MINUTES = 30
        fail(ATTACKER, 5)
        with django_capture_on_commit_callbacks(execute=True):
            request_link(USER, "ctv_a")
        link = link_in_mail()

        with later(minutes=31):
            response = at(ATTACKER).post(link, follow=True)

        assert "Liên kết mở khóa không hợp lệ hoặc đã hết hạn" in response.content.decode()
        assert UnlockLink.objects.get().used_at is None
        assert not signed_in_after(sign_in, at(ATTACKER), "ctv_a")

    def test_a_made_up_link_does_nothing(self, personas: Personas) -> None:
        fail(ATTACKER, 5)

        response = at(ATTACKER).post(f"{UNLOCK_URL}khong-co-lien-ket-nay/", follow=True)

        assert "Liên kết mở khóa không hợp lệ hoặc đã hết hạn" in response.content.decode()
        assert not signed_in_after(sign_in, at(ATTACKER), "ctv_a")

    def test_asking_says_the_same_whether_the_account_exists_or_not(
        self, personas: Personas, django_capture_on_commit_callbacks: Any
    ) -> None:
        personas.chairman.email = ""
        personas.chairman.save(update_fields=["email"])
        with django_capture_on_commit_callbacks(execute=True):
            answers = [request_link(USER, name).content.decode()
                       for name in ("khong_co_ai", "chairman_a", "CTV_A")]

        said = [re.search(r'<ul class="messages"[^>]*>\s*<li[^>]*>(.*?)</li>', answer, re.S)
                for answer in answers]
        assert all(said)
        assert len({s.group(1) for s in said if s}) == 1
        assert "Nếu tài khoản" in answers[0]
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ctv_a@example.org"]
        assert "Mở khóa" in mail.outbox[0].subject

    def test_the_link_is_stored_only_as_a_digest(self, personas: Personas,
                                                 django_capture_on_commit_callbacks: Any
                                                 ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            request_link(USER, "ctv_a")
        secret = link_in_mail().rstrip("/").rsplit("/", 1)[-1]

        assert not UnlockLink.objects.filter(token_hash__contains=secret).exists()

    def test_asking_again_at_once_sends_no_second_mail(
        self, personas: Personas, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            request_link(USER, "ctv_a")
            request_link(ATTACKER, "ctv_a")

        assert len(mail.outbox) == 1


class AdminUnlockTests:
    def test_the_administrator_unlocks_every_address_and_it_is_audited(
        self, personas: Personas
    ) -> None:
        from treem.accounts import services

        fail(ATTACKER, 5)
        spray(20)

        services.user_unlock(actor=personas.admin, user=personas.collaborator)

        assert signed_in_after(sign_in, at(ATTACKER), "ctv_a")
        assert AuditEvent.objects.filter(action=Action.UNLOCKED, actor=personas.admin).exists()


class PurgeTests:
    """One counter row is made per username and address tried: the daily purge keeps only
    those that still lock, count or make an address known."""

    def test_it_deletes_only_the_counters_that_hold_nothing(self, personas: Personas) -> None:
        now = timezone.now()
        old = now - datetime.timedelta(days=91)
        recent = now - datetime.timedelta(days=3)
        rows: dict[str, dict[str, Any]] = {
            "sprayed_long_ago": dict(failures=1, last_failure_at=old),
            "locked": dict(failures=5, last_failure_at=old,
                           locked_until=now + datetime.timedelta(minutes=5)),
            "failed_lately": dict(failures=2, last_failure_at=recent),
            "known_address": dict(last_success_at=recent, last_failure_at=old),
            "lock_ended_long_ago": dict(failures=5, last_failure_at=old, locked_until=old),
        }
        for name, fields in rows.items():
            SignInThrottle.objects.create(username=name, address="203.0.113.9", **fields)

        out = io.StringIO()
        call_command("purge_sign_in_throttles", stdout=out)

        assert out.getvalue().strip() == "2"
        assert set(SignInThrottle.objects.values_list("username", flat=True)) == {
            "locked", "failed_lately", "known_address"}

    def test_a_purged_name_starts_again_from_nothing(self, personas: Personas) -> None:
        fail("203.0.113.9", 2)
        SignInThrottle.objects.update(
            last_failure_at=timezone.now() - datetime.timedelta(days=91))

        call_command("purge_sign_in_throttles", stdout=io.StringIO())

        assert not SignInThrottle.objects.exists()
        client = at("203.0.113.9")
        sign_in(client, "ctv_a")
        assert signed_in(client)
