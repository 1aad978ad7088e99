"""The demo the audit measures: set up on a throwaway SQLite database, served by gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Not DEBUG: the pages are measured as production renders them (no debug pages, the same
    # logging); DEMO only because setup_demo refuses to run without it.
    env.update({"TREEM_DATA_DIR": str(data_dir), "TREEM_DEMO": "1", "TREEM_DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "treem.settings"})
    env.pop("DATABASE_URL", None)  # always the throwaway SQLite file, never a real database
    return env


def setup(data_dir: Path) -> None:
    """setup_demo into `data_dir`, unless a demo database is already there (--data-dir reuse)."""
    if (data_dir / "treem.sqlite3").exists():
        print(f"== demo: reusing {data_dir / 'treem.sqlite3'}", flush=True)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"== demo: setup_demo into {data_dir} (a minute or two)", flush=True)
    subprocess.run([sys.executable, "manage.py", "setup_demo"], cwd=ROOT, env=environment(data_dir),
                   check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(data_dir: Path, *, log: Path) -> Iterator[str]:
    """gunicorn on a free local port for the duration of the block; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 (our arguments, no shell)
            [str(gunicorn), "treem.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--access-logfile", "-"],
            cwd=ROOT, env=environment(data_dir), stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(base + "/healthz", server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a local http URL we built)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {seconds:.0f} s")
