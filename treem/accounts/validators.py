from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password needs at least one letter and one digit (on top of Django's checks)."""

    def validate(self, password: str, user: object = None) -> None:
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError(
                _("Mật khẩu phải có cả chữ và số."), code="password_character_classes"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có cả chữ và số.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length check, with a message in Vietnamese.

    Django's Vietnamese catalogue lacks the (plural) error message of its own validator, so
    users were told "This password is too short..." in English.
    """

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }
