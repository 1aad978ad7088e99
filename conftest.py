import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from treem.testing import Personas, Tree, make_personas, make_tree


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Still Argon2 (stored hashes say so), with its cheapest parameters: the production ones
    # cost ~150 ms a hash and every test hashes the passwords of nine personas.
    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 8)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # Kept indicator values are keyed by ids, which a rolled-back test gives out again.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def uploaded_files(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Files a test uploads (evidence of plans) go to a directory of its own, never var/.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("files")


@pytest.fixture
def tree(db: None) -> Tree:
    return make_tree()


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return make_personas(tree)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fails any connection the code under test opens from Python; the list has their addresses."""
    attempts: list[Any] = []

    def refuse(_socket: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError(f"a test opened a connection to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """For a test whose rows are committed (two transactions at once, a forked worker): the
    database is emptied after it by pytest-django's flush, which the audit trail's
    append-only triggers refuse, so they are removed just before (`treem.audit.triggers`)."""
    from treem.audit import triggers

    yield
    triggers.remove(connection)
