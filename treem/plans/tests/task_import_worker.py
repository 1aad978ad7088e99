"""A plan's task import (`tasks_import`) in a process of its own, for the test that kills it.

    python -m treem.plans.tests.task_import_worker MARKER INSERTS PLAN_ID USERNAME FILE

Once INSERTS statements inserting into the task table have run, MARKER is created and the
process sleeps, inside whatever transaction it is in, until it is killed.
"""

import os
import sys
import time
from pathlib import Path
from typing import Any


def _pause_after_task_inserts(marker: Path, inserts: int) -> None:
    from django.db.backends import utils

    original = utils.CursorWrapper.execute
    done: list[str] = []

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        result = original(self, sql, params)
        if sql.lstrip().upper().startswith('INSERT INTO "PLANS_TASK" '):
            done.append(sql)
            if len(done) == inserts:
                marker.touch()
                time.sleep(600)
        return result

    utils.CursorWrapper.execute = execute  # type: ignore[method-assign,assignment]


def main(argv: list[str]) -> int:
    marker, inserts, plan_id, username, path = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    import django

    django.setup()
    from treem.accounts.models import User
    from treem.plans.models import Plan
    from treem.plans.task_import import tasks_import

    _pause_after_task_inserts(Path(marker), int(inserts))
    tasks_import(actor=User.objects.get(username=username),
                 plan=Plan.objects.get(public_id=plan_id), data=Path(path).read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
