"""A write of the fund in a process of its own, for the tests that kill it mid-write.

    python -m treem.fund.tests.fund_worker MARKER INSERTS TABLE statement FUND_ID USERNAME FILE
    python -m treem.fund.tests.fund_worker MARKER INSERTS TABLE checkpoint FUND_ID

Once INSERTS statements inserting into TABLE have run, MARKER is created and the process
sleeps, inside whatever transaction it is in, until it is killed.
"""

import os
import sys
import time
from pathlib import Path
from typing import Any


def _pause_after_inserts(marker: Path, inserts: int, table: str) -> None:
    from django.db.backends import utils

    original = utils.CursorWrapper.execute
    done: list[str] = []
    prefix = f'INSERT INTO "{table.upper()}" '

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        result = original(self, sql, params)
        if sql.lstrip().upper().startswith(prefix):
            done.append(sql)
            if len(done) == inserts:
                marker.touch()
                time.sleep(600)
        return result

    utils.CursorWrapper.execute = execute  # type: ignore[method-assign,assignment]


def main(argv: list[str]) -> int:
    marker, inserts, table, what, fund_id, *rest = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    import django

    django.setup()
    from treem.fund.balances import checkpoint_write
    from treem.fund.importing import statement_import
    from treem.fund.models import Fund

    fund = Fund.objects.get(public_id=fund_id)
    _pause_after_inserts(Path(marker), int(inserts), table)
    if what == "checkpoint":
        checkpoint_write(fund)
    else:
        from treem.accounts.models import User

        username, path = rest
        statement_import(actor=User.objects.get(username=username), fund=fund,
                         file=Path(path).read_bytes(), mode="all", create_donors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
