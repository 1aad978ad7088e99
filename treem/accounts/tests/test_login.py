"""The web sign-in: password, second factor, lockout, sessions and the password policy."""

from __future__ import annotations

import base64
import datetime
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import exceptions as exc
from treem.accounts.models import User
from treem.accounts.validators import MinimumLengthValidator
from treem.audit.models import Action, AuditEvent
from treem.testing import (
    PASSWORD,
    Personas,
    confirmed_device,
    lock_out,
    locked_until,
    login,
    sign_in_failures,
    totp_now,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN_URL = "/accounts/login/"
OTP_URL = "/accounts/2fa/"



def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Response:
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def send_code(client: Client, code: str) -> Response:
    return client.post(OTP_URL, {"token": code, "next": "/"})


def wrong_code(device: TOTPDevice) -> str:
    """A code the device rejects: none of those of the steps its tolerance accepts."""
    now = timezone.now()
    accepted = {
        totp_now(device, at=now + datetime.timedelta(seconds=30 * shift))
        for shift in range(-device.tolerance - 1, device.tolerance + 2)
    }
    return next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in accepted)


def form_errors(response: Response) -> list[str]:
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def assert_sent_to_login(response: Response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


class PasswordStepTests:
    def test_village_collaborator_lands_on_the_home_page(self, client: Client,
                                                         personas: Personas) -> None:
        response = sign_in(client, "ctv_a")

        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200
        assert AuditEvent.objects.filter(action=Action.LOGIN, actor=personas.collaborator).exists()

    def test_commune_officer_is_sent_to_the_second_factor(self, client: Client,
                                                          personas: Personas) -> None:
        response = sign_in(client, "officer_a")

        assert response.status_code == 302
        assert response["Location"].startswith(OTP_URL)
        assert is_signed_in(client)
        assert DEVICE_ID_SESSION_KEY not in client.session

    def test_the_next_page_survives_the_second_factor_whole(self, client: Client,
                                                            personas: Personas) -> None:
        response = sign_in(client, "officer_a", next="/units/?q=ha&level=commune")

        follow = client.get(response["Location"])
        assert follow.context["next"] == "/units/?q=ha&level=commune"

    @pytest.mark.parametrize("path", ["/", "/units/", "/accounts/me/", "/accounts/users/"])
    def test_an_unverified_officer_reaches_no_page(self, client: Client, personas: Personas,
                                                   path: str) -> None:
        sign_in(client, "officer_a")

        response = client.get(path)

        assert response.status_code == 302
        assert response["Location"].startswith(OTP_URL)

    def test_an_unverified_officer_gets_401_json_from_the_api(self, client: Client,
                                                              personas: Personas) -> None:
        sign_in(client, "officer_a")

        response = client.get("/api/v1/me")

        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()

    def test_wrong_password_and_unknown_user_get_the_same_message(self, client: Client,
                                                                  personas: Personas) -> None:
        wrong_password = sign_in(client, "officer_a", "Sai-mat-khau-1")
        unknown_user = sign_in(client, "khong_co_ai", "Sai-mat-khau-1")

        assert wrong_password.status_code == unknown_user.status_code == 200
        assert form_errors(wrong_password) == form_errors(unknown_user) == [str(exc.LOGIN_FAILED)]
        assert str(exc.LOGIN_FAILED) in wrong_password.content.decode()
        assert not is_signed_in(client)

    def test_an_inactive_user_cannot_sign_in(self, client: Client, personas: Personas) -> None:
        User.objects.filter(pk=personas.collaborator.pk).update(is_active=False)

        response = sign_in(client, "ctv_a")

        assert form_errors(response) == [str(exc.LOGIN_FAILED)]
        assert not is_signed_in(client)

    def test_a_signed_in_user_is_sent_home_from_the_login_page(self, client: Client,
                                                               personas: Personas) -> None:
        login(client, personas.officer)

        response = client.get(LOGIN_URL)

        assert response.status_code == 302
        assert response["Location"] == "/"


class OpenRedirectTests:
    def test_an_external_next_is_replaced_by_home(self, client: Client,
                                                  personas: Personas) -> None:
        response = sign_in(client, "ctv_a", next="https://evil.example/steal")

        assert response.status_code == 302
        assert response["Location"] == "/"

    def test_a_scheme_relative_next_is_refused_too(self, client: Client,
                                                   personas: Personas) -> None:
        response = sign_in(client, "ctv_a", next="//evil.example/")

        assert response["Location"] == "/"

    def test_the_login_page_does_not_carry_an_external_next(self, client: Client,
                                                            personas: Personas) -> None:
        response = client.get(LOGIN_URL, {"next": "https://evil.example"})

        assert response.context["next"] == "/"
        assert "evil.example" not in response.content.decode()

    def test_the_second_factor_does_not_redirect_outside(self, client: Client,
                                                         personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a")

        response = client.post(OTP_URL, {"token": totp_now(device),
                                         "next": "https://evil.example"})

        assert response.status_code == 302
        assert response["Location"] == "/"

    def test_a_local_next_is_followed(self, client: Client, personas: Personas) -> None:
        response = sign_in(client, "ctv_a", next="/units/")

        assert response["Location"] == "/units/"


class EnrolmentTests:
    def test_first_login_shows_a_qr_code_and_the_secret(self, client: Client,
                                                        personas: Personas) -> None:
        sign_in(client, "officer_a")

        response = client.get(OTP_URL)

        device = TOTPDevice.objects.get(user=personas.officer, confirmed=False)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        page = response.content.decode()
        assert response.status_code == 200
        assert response.context["enrolling"] is True
        assert "<svg" in page
        assert secret in page

    def test_reloading_the_page_keeps_the_same_secret(self, client: Client,
                                                      personas: Personas) -> None:
        sign_in(client, "officer_a")

        first = client.get(OTP_URL).context["secret"]
        second = client.get(OTP_URL).context["secret"]

        assert first == second
        assert TOTPDevice.objects.filter(user=personas.officer).count() == 1

    def test_a_wrong_code_does_not_confirm_the_device(self, client: Client,
                                                      personas: Personas) -> None:
        sign_in(client, "officer_a")
        client.get(OTP_URL)
        device = TOTPDevice.objects.get(user=personas.officer)

        response = send_code(client, wrong_code(device))

        assert response.status_code == 200
        assert form_errors(response) == [str(exc.OTP_INVALID)]
        assert str(exc.OTP_INVALID) in response.content.decode()
        device.refresh_from_db()
        assert device.confirmed is False
        assert client.get("/").status_code == 302

    def test_the_right_code_confirms_the_device_and_opens_the_home_page(
        self, client: Client, personas: Personas
    ) -> None:
        sign_in(client, "officer_a")
        client.get(OTP_URL)
        device = TOTPDevice.objects.get(user=personas.officer, confirmed=False)
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()

        response = send_code(client, f"{code:06d}")

        assert response.status_code == 302
        assert response["Location"] == "/"
        device.refresh_from_db()
        assert device.confirmed is True
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200
        assert AuditEvent.objects.filter(action=Action.OTP_ENROLLED,
                                         object_id=str(personas.officer.public_id)).exists()

    def test_a_wrong_code_then_the_right_one_confirms(self, client: Client, personas: Personas,
                                                      settings: object) -> None:
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]
        sign_in(client, "officer_a")
        client.get(OTP_URL)
        device = TOTPDevice.objects.get(user=personas.officer)

        send_code(client, wrong_code(device))
        response = send_code(client, totp_now(device))

        assert response.status_code == 302
        assert TOTPDevice.objects.get(pk=device.pk).confirmed is True

    def test_a_code_with_letters_is_refused_by_the_form(self, client: Client,
                                                        personas: Personas) -> None:
        sign_in(client, "officer_a")

        response = send_code(client, "12a456")

        assert form_errors(response) == ["Mã xác thực gồm 6 chữ số."]


class VerificationTests:
    def test_next_login_asks_for_the_code_of_the_confirmed_device(
        self, client: Client, personas: Personas
    ) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a")

        page = client.get(OTP_URL)
        response = send_code(client, totp_now(device))

        assert page.context["enrolling"] is False
        assert "<svg" not in page.content.decode()
        assert response.status_code == 302
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200
        assert TOTPDevice.objects.filter(user=personas.officer).count() == 1

    def test_a_wrong_code_of_the_confirmed_device_is_refused(self, client: Client,
                                                             personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a")

        response = send_code(client, wrong_code(device))

        assert form_errors(response) == [str(exc.OTP_INVALID)]
        assert DEVICE_ID_SESSION_KEY not in client.session
        assert client.get("/api/v1/me").status_code == 401

    def test_a_code_cannot_be_used_twice(self, client: Client, personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        code = totp_now(device)
        sign_in(client, "officer_a")
        send_code(client, code)
        other = Client()
        sign_in(other, "officer_a")

        response = send_code(other, code)

        assert form_errors(response) == [str(exc.OTP_INVALID)]

    def test_a_collaborator_is_sent_home_from_the_second_factor_page(
        self, client: Client, personas: Personas
    ) -> None:
        sign_in(client, "ctv_a")

        response = client.get(OTP_URL)

        assert response.status_code == 302
        assert response["Location"] == "/"
        assert not TOTPDevice.objects.filter(user=personas.collaborator).exists()


class LockoutTests:
    def fail(self, client: Client, times: int, username: str = "officer_a") -> None:
        for _ in range(times):
            sign_in(client, username, "Sai-mat-khau-1")

    def test_four_failures_do_not_lock(self, client: Client, personas: Personas) -> None:
        self.fail(client, 4)

        assert sign_in_failures("officer_a") == 4
        assert locked_until("officer_a") is None

    def test_attempts_during_a_lock_are_recorded_but_not_counted(
        self, client: Client, personas: Personas
    ) -> None:
        self.fail(client, 5)
        self.fail(client, 3)

        user = User.objects.get(pk=personas.officer.pk)
        assert sign_in_failures("officer_a") == 0
        assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED,
                                         object_id=str(user.public_id)).count() == 8
        # When the lock ends, one mistake does not lock the account again.
        lock_out("officer_a", until=timezone.now())
        self.fail(client, 1)
        until = locked_until("officer_a")
        assert until is not None and until <= timezone.now()

    def test_five_failures_lock_the_account_for_fifteen_minutes(self, client: Client,
                                                                personas: Personas) -> None:
        before = timezone.now()

        self.fail(client, 5)

        user = User.objects.get(pk=personas.officer.pk)
        until = locked_until("officer_a")
        assert until is not None
        assert (before + datetime.timedelta(minutes=15) <= until
                <= timezone.now() + datetime.timedelta(minutes=15))
        locked = AuditEvent.objects.filter(action=Action.LOCKED,
                                           object_id=str(user.public_id))
        assert locked.count() == 1
        assert locked.get().actor_username == "officer_a"
        assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED,
                                         object_id=str(user.public_id)).count() == 5

    def test_the_right_password_is_refused_while_locked(self, client: Client,
                                                        personas: Personas) -> None:
        self.fail(client, 5, "ctv_a")

        response = sign_in(client, "ctv_a")

        assert form_errors(response) == [str(exc.LOGIN_FAILED)]
        assert not is_signed_in(client)

    def test_the_right_password_works_again_once_the_lock_has_passed(
        self, client: Client, personas: Personas
    ) -> None:
        self.fail(client, 5, "ctv_a")
        later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)

        with mock.patch("django.utils.timezone.now", return_value=later):
            response = sign_in(client, "ctv_a")

        assert response.status_code == 302
        assert is_signed_in(client)
        assert sign_in_failures("ctv_a") == 0

    def test_a_success_resets_the_count(self, client: Client, personas: Personas) -> None:
        self.fail(client, 4, "ctv_a")
        sign_in(client, "ctv_a")
        client.post("/accounts/logout/")

        self.fail(client, 1, "ctv_a")

        assert sign_in_failures("ctv_a") == 1
        assert locked_until("ctv_a") is None

    def test_wrong_codes_count_towards_the_same_lockout(self, client: Client,
                                                        personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a", "Sai-mat-khau-1")
        sign_in(client, "officer_a")

        for _ in range(4):
            send_code(client, wrong_code(device))

        user = User.objects.get(pk=personas.officer.pk)
        assert locked_until("officer_a") is not None
        assert AuditEvent.objects.filter(action=Action.LOCKED,
                                         object_id=str(user.public_id)).exists()

    def test_the_right_code_is_refused_while_locked(self, client: Client,
                                                    personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a")
        for _ in range(5):
            send_code(client, wrong_code(device))
        device.throttle_reset()  # so that only treem's own lock stands in the way

        response = send_code(client, totp_now(device))

        assert form_errors(response) == [str(exc.OTP_INVALID)]
        assert DEVICE_ID_SESSION_KEY not in client.session

    def test_signing_in_again_does_not_reset_the_count_of_wrong_codes(
        self, client: Client, personas: Personas
    ) -> None:
        # Otherwise the password alone buys an endless supply of guesses at the code.
        device = confirmed_device(personas.officer)
        for _ in range(5):
            attacker = Client()
            sign_in(attacker, "officer_a")
            send_code(attacker, wrong_code(device))

        assert locked_until("officer_a") is not None

    def test_enrolment_is_refused_while_locked(self, client: Client, personas: Personas) -> None:
        sign_in(client, "officer_a")
        client.get(OTP_URL)
        device = TOTPDevice.objects.get(user=personas.officer)
        for _ in range(5):
            send_code(client, wrong_code(device))
        device.throttle_reset()

        response = send_code(client, totp_now(device))

        assert form_errors(response) == [str(exc.OTP_INVALID)]
        assert TOTPDevice.objects.get(pk=device.pk).confirmed is False

    def test_the_right_code_resets_the_count(self, client: Client, personas: Personas) -> None:
        device = confirmed_device(personas.officer)
        sign_in(client, "officer_a", "Sai-mat-khau-1")
        sign_in(client, "officer_a")

        send_code(client, totp_now(device))

        assert sign_in_failures("officer_a") == 0


class LogoutTests:
    def test_logout_refuses_get(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)

        response = client.get("/accounts/logout/")

        assert response.status_code == 405
        assert is_signed_in(client)

    def test_logout_ends_the_session(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)

        response = client.post("/accounts/logout/")

        assert response.status_code == 302
        assert response["Location"] == LOGIN_URL
        assert_sent_to_login(client.get("/"))
        assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=personas.officer).exists()

    def test_logout_everywhere_ends_the_sessions_of_other_browsers(
        self, client: Client, personas: Personas
    ) -> None:
        phone = login(Client(), personas.officer)
        assert phone.get("/").status_code == 200
        login(client, personas.officer)

        response = client.post("/accounts/logout-everywhere/")

        assert response.status_code == 302
        assert_sent_to_login(phone.get("/"))
        assert_sent_to_login(client.get("/"))
        assert AuditEvent.objects.filter(action=Action.LOGOUT_ALL,
                                         actor=personas.officer).exists()

    def test_logout_everywhere_leaves_other_users_signed_in(self, client: Client,
                                                            personas: Personas) -> None:
        colleague = login(Client(), personas.chairman)
        login(client, personas.officer)

        client.post("/accounts/logout-everywhere/")

        assert colleague.get("/").status_code == 200

    def test_logout_everywhere_refuses_get(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)

        assert client.get("/accounts/logout-everywhere/").status_code == 405


class PasswordChangeTests:
    def change(self, client: Client, new: str, old: str = PASSWORD) -> Response:
        return client.post("/accounts/me/password/", {
            "old_password": old, "new_password": new, "new_password_again": new,
        })

    def test_it_keeps_the_current_session_and_ends_the_others(self, client: Client,
                                                              personas: Personas) -> None:
        phone = login(Client(), personas.officer)
        login(client, personas.officer)

        response = self.change(client, "Mat-khau-moi-2027")

        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert_sent_to_login(phone.get("/"))
        user = User.objects.get(pk=personas.officer.pk)
        assert user.check_password("Mat-khau-moi-2027")

    def test_a_wrong_current_password_changes_nothing(self, client: Client,
                                                      personas: Personas) -> None:
        login(client, personas.officer)
        stored = personas.officer.password

        response = self.change(client, "Mat-khau-moi-2027", old="Sai-mat-khau-1")

        assert response.status_code == 200
        assert form_errors(response) == [str(exc.LOGIN_FAILED)]
        assert User.objects.get(pk=personas.officer.pk).password == stored

    @pytest.mark.parametrize(("password", "message"), [
        ("12345678901", "Mật khẩu phải có cả chữ và số."),
        ("matkhaudai", "Mật khẩu phải có cả chữ và số."),
        ("abc123", "Mật khẩu phải có cả chữ và số."),
    ])
    def test_the_policy_rejects_a_weak_password(self, client: Client, personas: Personas,
                                                password: str, message: str) -> None:
        login(client, personas.officer)
        stored = personas.officer.password

        response = self.change(client, password)

        assert response.status_code == 200
        assert any("Mật khẩu" in error for error in form_errors(response))
        assert User.objects.get(pk=personas.officer.pk).password == stored

    def test_mismatched_new_passwords_are_refused(self, client: Client,
                                                  personas: Personas) -> None:
        login(client, personas.officer)

        response = client.post("/accounts/me/password/", {
            "old_password": PASSWORD, "new_password": "Mat-khau-moi-2027",
            "new_password_again": "Mat-khau-moi-2028",
        })

        assert form_errors(response) == ["Hai mật khẩu mới không khớp."]


class PasswordPolicyTests:
    def test_an_all_digit_password_is_rejected_in_vietnamese(self) -> None:
        with pytest.raises(ValidationError) as error:
            validate_password("12345678901")

        assert "Mật khẩu phải có cả chữ và số." in error.value.messages
        assert len(error.value.messages) >= 2  # Django's numeric-only check speaks too

    def test_a_password_without_a_digit_is_rejected_in_vietnamese(self) -> None:
        with pytest.raises(ValidationError) as error:
            validate_password("matkhaudai")

        assert error.value.messages == ["Mật khẩu phải có cả chữ và số."]

    def test_a_short_password_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as error:
            validate_password("Ngan-12")

        assert [e.code for e in error.value.error_list] == ["password_too_short"]

    def test_the_length_check_of_treem_speaks_vietnamese(self) -> None:
        with pytest.raises(ValidationError) as error:
            MinimumLengthValidator(min_length=10).validate("Ngan-12")

        assert error.value.messages == ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự."]
        assert error.value.code == "password_too_short"

    def test_a_long_password_with_letters_and_digits_passes(self) -> None:
        validate_password("Tre-em-vui-2026")

    def test_passwords_are_stored_with_argon2(self, personas: Personas) -> None:
        stored = User.objects.get(pk=personas.officer.pk).password

        assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert stored.startswith("argon2")
        assert identify_hasher(stored).algorithm == "argon2"
        assert PASSWORD not in stored


class SessionTests:
    def test_the_session_lasts_two_idle_hours(self) -> None:
        assert settings.SESSION_COOKIE_AGE == 120 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_each_request_slides_the_expiry(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)
        key = client.session.session_key
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() + datetime.timedelta(minutes=1))

        client.get("/")

        remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
        assert remaining > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    def test_an_idle_session_expires(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)
        assert client.get("/").status_code == 200
        later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)

        with mock.patch("django.utils.timezone.now", return_value=later):
            response = client.get("/")

        assert_sent_to_login(response)

    def test_an_expired_session_is_signed_out(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)
        session = client.session
        session.set_expiry(-1)
        session.save()

        assert_sent_to_login(client.get("/"))
