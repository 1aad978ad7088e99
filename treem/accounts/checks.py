from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from treem.accounts.roles import Role


@register()
def two_factor_exempt_roles_exist(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A mistyped role in TREEM_TWO_FACTOR_EXEMPT_ROLES would silently exempt nobody."""
    unknown = sorted(set(settings.TREEM_TWO_FACTOR_EXEMPT_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [Error(f"TREEM_TWO_FACTOR_EXEMPT_ROLES names unknown roles: {', '.join(unknown)}",
                  hint=f"Known roles: {', '.join(Role.values)}", id="treem.accounts.E001")]
