"""A streaming standby of the test database's PostgreSQL cluster, on this machine.

`pg_basebackup -R` copies the whole primary cluster (every database in it, the test database
among them) into a temporary directory and writes the standby's connection to the primary;
`pg_ctl` starts it on a free port of 127.0.0.1. The servers' binaries refuse to run as root,
so when the tests run as root (as CI does) they run as the `postgres` OS user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The settings a hot standby must hold at least at the primary's values, or it will not start.
COPIED = ("max_connections", "max_worker_processes", "max_wal_senders",
          "max_prepared_transactions", "max_locks_per_transaction")


class StandbyError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise StandbyError(f"{what}: not after {seconds} s")
        time.sleep(0.1)


class Standby:
    def __init__(self, *, bin_dir: Path, primary: dict[str, Any],
                 settings: dict[str, str]) -> None:
        self.bin_dir = bin_dir
        self.primary = primary
        self.settings = settings
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="treem-standby-"))
        self.data = self.folder / "data"
        self.started = False

    def _run(self, program: str, *args: str, seconds: float = 120,
             env: dict[str, str] | None = None) -> None:
        command = as_server_user([str(self.bin_dir / program), *args])
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds,
                                env=env, check=False)
        if result.returncode != 0:
            raise StandbyError(f"{program} {args[0] if args else ''} failed "
                               f"({result.returncode}): {result.stderr.strip()}{self._log()}")

    def _log(self) -> str:
        log = self.folder / "log"
        return f"\n-- the standby's log:\n{log.read_text()[-3000:]}" if log.exists() else ""

    def _write(self, path: Path, text: str) -> None:
        path.write_text(text)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres")

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        primary = self.primary
        # The password through the environment: it stays out of the process list and of
        # the error messages; -R writes it into the standby's primary_conninfo.
        env = {**os.environ, "PGPASSWORD": str(primary["PASSWORD"] or "")}
        self._run("pg_basebackup", "-h", str(primary["HOST"] or "127.0.0.1"),
                  "-p", str(primary["PORT"] or 5432), "-U", str(primary["USER"]),
                  "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
                  env=env)
        # Debian keeps postgresql.conf and pg_hba.conf in /etc, not in the data directory.
        self._write(self.data / "postgresql.conf", "".join(
            [f"{name} = {value}\n" for name, value in self.settings.items()]
            + ["hot_standby = on\n", "fsync = off\n", "shared_buffers = 32MB\n"]))
        self._write(self.data / "pg_hba.conf", "local all all peer\n"
                                               "host all all 127.0.0.1/32 md5\n")
        # On the command line, so that nothing the copied postgresql.auto.conf sets wins.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder}")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.folder / "log"),
                  "-w", "-t", "30", "-o", options)
        self.started = True

    def stop(self) -> None:
        """Stop the server (at once: nothing in it is worth keeping) and remove its files."""
        try:
            if self.started:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w",
                          seconds=60)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def settings_dict(self) -> dict[str, Any]:
        """The primary's connection settings (the test database, its role), to the standby;
        a test mirror of the primary, as TREEM_REPLICA_DATABASE_URL configures it (so the
        test's flush and reloads leave it alone: it replays them)."""
        return {**self.primary, "HOST": "127.0.0.1", "PORT": str(self.port),
                "TEST": {**self.primary.get("TEST", {}), "MIRROR": "default"}}
