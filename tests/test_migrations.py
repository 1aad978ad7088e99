"""Every change to a model has its migration: a label of a choice edited in the code and not
in a migration leaves the database's history behind the code (found after a spelling fix)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited {exit_.code}: a migration is missing\n"
                    f"{out.getvalue()}")
