"""A management command run in a process of its own, for the tests that kill it or race it.

    python -m treem.registry.tests.import_worker [--barrier DIR --parties N]
        [--pause-on-child-insert FILE] -- COMMAND ARGS...

--barrier: the process's first `Writer` (the commit, after it checked the rows against the
register, before it writes) waits until N processes have got there: two commits that both
found the register without the file's children, as two officers clicking at once.
--pause-on-child-insert: once a statement inserting into the child table has run, FILE is
created and the process sleeps, inside whatever transaction it is in, until it is killed.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any


def _barrier(folder: Path, parties: int) -> None:
    from treem.registry.importing import writing

    original = writing.Writer.__init__
    arrived: list[bool] = []

    def waiting(self: Any, *args: Any, **kwargs: Any) -> None:
        if not arrived:
            arrived.append(True)
            (folder / str(os.getpid())).touch()
            deadline = time.monotonic() + 240
            while len(list(folder.iterdir())) < parties and time.monotonic() < deadline:
                time.sleep(0.02)
        original(self, *args, **kwargs)

    writing.Writer.__init__ = waiting  # type: ignore[method-assign]


def _pause_on_child_insert(marker: Path) -> None:
    from django.db.backends import utils

    original = utils.CursorWrapper.execute

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        result = original(self, sql, params)
        if sql.lstrip().upper().startswith('INSERT INTO "REGISTRY_CHILD" '):
            marker.touch()
            time.sleep(600)
        return result

    utils.CursorWrapper.execute = execute  # type: ignore[method-assign,assignment]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--barrier", type=Path)
    parser.add_argument("--parties", type=int, default=2)
    parser.add_argument("--pause-on-child-insert", type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.barrier:
        _barrier(args.barrier, args.parties)
    if args.pause_on_child_insert:
        _pause_on_child_insert(args.pause_on_child_insert)
    command = [part for part in args.command if part != "--"]
    call_command(*command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
