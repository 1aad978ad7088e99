"""Test helpers shared by every app: a small unit tree and the personas of STYLE.md.

Factories create rows directly (services are what the tests exercise); the tree mirrors the
real one: a nation, a current province with two communes and a village, a second province,
and a province and commune of the structure before July 2025 that became the first ones.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role, Sector
from treem.geo.models import (
    LAST_DAY_BEFORE_REORGANISATION,
    REORGANISATION_DATE,
    Level,
    SuccessionKind,
    Unit,
    UnitSuccession,
)
from treem.geo.paths import child_path
from treem.lib.text import fold

PASSWORD = "Mat-khau-2026"


def make_unit(*, parent: Unit | None, level: str, code: str, name: str, kind: str = "",
              current: bool = True, province_code: str = "") -> Unit:
    unit = Unit.objects.create(
        level=level, code=code, name=name, kind=kind or name.split(" ")[0], name_folded=fold(name),
        parent=parent, path=f"~{level}{code}{'' if current else 'old'}",
        province_code=province_code or (code if level == Level.PROVINCE else
                                        parent.province_code if parent else ""),
        valid_from=REORGANISATION_DATE if current and level != Level.VILLAGE else None,
        valid_to=None if current else LAST_DAY_BEFORE_REORGANISATION,
    )
    unit.path = child_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    return unit


@dataclass
class Tree:
    nation: Unit
    province: Unit          # Tỉnh Cao Bằng (current)
    commune_a: Unit         # Phường Thục Phán
    commune_b: Unit         # Xã Hòa An, same province
    village_a: Unit         # Thôn Nà Pồng, in commune A
    other_province: Unit    # Thành phố Hà Nội
    commune_c: Unit         # Phường Hoàn Kiếm, in the other province
    old_province: Unit      # Tỉnh Cao Bằng before July 2025
    old_district: Unit
    old_commune: Unit       # Phường Sông Hiến, became part of commune A


def make_tree() -> Tree:
    nation = make_unit(parent=None, level=Level.NATION, code="VN", name="Việt Nam", kind="Quốc gia")
    province = make_unit(parent=nation, level=Level.PROVINCE, code="04", name="Tỉnh Cao Bằng",
                         province_code="04")
    commune_a = make_unit(parent=province, level=Level.COMMUNE, code="01273",
                          name="Phường Thục Phán")
    commune_b = make_unit(parent=province, level=Level.COMMUNE, code="01279", name="Xã Hòa An")
    village_a = make_unit(parent=commune_a, level=Level.VILLAGE, code="01273-001",
                          name="Thôn Nà Pồng", kind="Thôn")
    other_province = make_unit(parent=nation, level=Level.PROVINCE, code="01",
                               name="Thành phố Hà Nội", province_code="01")
    commune_c = make_unit(parent=other_province, level=Level.COMMUNE, code="00070",
                          name="Phường Hoàn Kiếm")
    old_province = make_unit(parent=nation, level=Level.PROVINCE, code="04", name="Tỉnh Cao Bằng",
                             current=False, province_code="04")
    old_district = make_unit(parent=old_province, level=Level.DISTRICT, code="040",
                             name="Thành phố Cao Bằng", current=False)
    old_commune = make_unit(parent=old_district, level=Level.COMMUNE, code="01270",
                            name="Phường Sông Hiến", current=False)
    for old, new in ((old_province, province), (old_commune, commune_a)):
        UnitSuccession.objects.create(predecessor=old, successor=new, kind=SuccessionKind.WHOLE,
                                      effective_on=REORGANISATION_DATE)
    return Tree(nation, province, commune_a, commune_b, village_a, other_province, commune_c,
                old_province, old_district, old_commune)


def make_user(username: str, *, role: str | None = None, unit: Unit | None = None,
              sector: str = "", full_name: str = "", **fields: Any) -> User:
    user = User(username=username, full_name=full_name or username, **fields)
    user.set_password(PASSWORD)
    user.save()
    if role is not None and unit is not None:
        RoleAssignment.objects.create(user=user, role=role, unit=unit, sector=sector)
    return user


@dataclass
class Personas:
    collaborator: User      # village collaborator, village of commune A (no second factor)
    officer: User           # commune officer of commune A
    chairman: User          # commune leader of commune A
    outsider: User          # commune officer of commune B
    province_officer: User  # area officer of the province
    sector_focal: User      # police focal point of the province
    auditor: User           # auditor of the province (read-only)
    intake: User            # hotline operator, nation-wide
    admin: User             # system administrator of the province


def make_personas(tree: Tree) -> Personas:
    return Personas(
        collaborator=make_user("ctv_a", role=Role.VILLAGE_COLLABORATOR, unit=tree.village_a),
        officer=make_user("officer_a", role=Role.COMMUNE_OFFICER, unit=tree.commune_a),
        chairman=make_user("chairman_a", role=Role.COMMUNE_LEADER, unit=tree.commune_a),
        outsider=make_user("officer_b", role=Role.COMMUNE_OFFICER, unit=tree.commune_b),
        province_officer=make_user("province", role=Role.AREA_OFFICER, unit=tree.province),
        sector_focal=make_user("police", role=Role.SECTOR_FOCAL, unit=tree.province,
                               sector=Sector.POLICE),
        auditor=make_user("auditor", role=Role.AUDITOR, unit=tree.province),
        intake=make_user("intake", role=Role.INTAKE_OPERATOR, unit=tree.nation),
        admin=make_user("admin", role=Role.SYSTEM_ADMIN, unit=tree.province),
    )


def confirmed_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def login(client: Client, user: User) -> Client:
    """Sign `user` in with a verified second factor, as after a complete login."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()
    return client


@contextmanager
def writes_nothing(snapshot: Callable[[], object]) -> Iterator[None]:
    """Fail unless what `snapshot` reads (row counts, say) is the same after the block."""
    before = snapshot()
    yield
    assert snapshot() == before


def refused(call: Callable[..., object], *, snapshot: Callable[[], object],
            **kwargs: Any) -> Any:
    """Run a service that must refuse; return its error (a ValidationError, or the
    PermissionDenied of an actor outside its scope) after checking nothing was written."""
    with writes_nothing(snapshot):
        try:
            call(**kwargs)
        except (ValidationError, PermissionDenied) as error:
            return error
    raise AssertionError(f"{getattr(call, '__name__', call)} did not refuse")


def out_of_scope(error: object) -> str:
    """The message of a refusal of scope: services raise PermissionDenied for an actor acting
    outside its scope (one convention across apps; pages and the API answer 403 or 404)."""
    assert isinstance(error, PermissionDenied), f"expected PermissionDenied, got {error!r}"
    return str(error)


def messages_of(error: ValidationError, field: str | None = None) -> list[str]:
    if field is None:
        return list(error.messages)
    return list(error.message_dict[field])


def totp_now(device: TOTPDevice, *, at: datetime.datetime | None = None) -> str:
    """The code an authenticator app would show for `device` now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


# The address of Django's test client (REMOTE_ADDR), where sign-in locks of tests fall.
TEST_CLIENT_ADDRESS = "127.0.0.1"


def sign_in_failures(username: str, address: str = TEST_CLIENT_ADDRESS) -> int:
    """Failed sign-ins counted for `username` at `address` since the last success or lock."""
    from treem.accounts.models import SignInThrottle

    row = SignInThrottle.objects.filter(username=username.lower(), address=address).first()
    return row.failures if row else 0


def locked_until(username: str, address: str = TEST_CLIENT_ADDRESS) -> datetime.datetime | None:
    from treem.accounts.models import SignInThrottle

    row = SignInThrottle.objects.filter(username=username.lower(), address=address).first()
    return row.locked_until if row else None


def lock_out(username: str, *, until: datetime.datetime,
             address: str = TEST_CLIENT_ADDRESS, failures: int = 0) -> None:
    """Lock `address` out of `username` until then, as five failures would."""
    from treem.accounts.models import SignInThrottle

    SignInThrottle.objects.update_or_create(username=username.lower(), address=address,
                                            defaults={"locked_until": until,
                                                      "failures": failures})


class _PostForm(HTMLParser):
    """The fields of the page's forms that post, as a browser would send them when submitted
    without a change."""

    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.data: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("method", "").lower() == "post" and (
                self.action is None or a.get("action", "") == self.action)
        elif not self.inside or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(a["name"], []).append(a.get("value", default))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a["name"], []
            self.data.setdefault(a["name"], [])
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.data[a["name"]] = [""]

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected]
            self.data[self.select] = chosen or [value for value, _ in self.options[:1]]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that follows <textarea>.
            text = self.data[self.textarea][0]
            self.data[self.textarea][0] = text[1:] if text.startswith("\n") else text
            self.textarea = None


def form_data(page: str, *, action: str | None = None) -> dict[str, Any]:
    """What the posting form(s) of `page` (only the one posting to `action`, if given) send
    when submitted as they stand: the data of a form read earlier and posted later."""
    parser = _PostForm(action)
    parser.feed(page)
    return {name: values if len(values) > 1 else (values[0] if values else "")
            for name, values in parser.data.items() if values}


def at_once(calls: dict[str, Callable[[], Any]], *, meet: tuple[Any, str],
            monkeypatch: Any) -> dict[str, Any]:
    """Run each call in its own thread and connection, all reaching `meet` (a module and the
    name of a function the code under test calls just before it writes) before any goes on,
    unless one holds a lock the others wait on (then its wait times out and it goes on alone).
    Returns what each call returned, or its ValidationError's messages, or the name of any
    other exception (what the user would get as a server error)."""
    import contextlib
    import threading

    from django.db import connections

    module, name = meet
    meeting = threading.Barrier(len(calls), timeout=3)
    real = getattr(module, name)

    def met(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, met)
    results: dict[str, Any] = {}

    def run(label: str, call: Callable[[], Any]) -> None:
        try:
            results[label] = call()
        except ValidationError as error:
            results[label] = error.messages
        except Exception as error:  # noqa: BLE001 - what the user would get: a server error
            results[label] = type(error).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


def in_turn(first: Callable[[], Any], second: Callable[[], Any], *, holding: tuple[Any, str],
            monkeypatch: Any) -> dict[str, Any]:
    """Run `first` in its own thread and connection and, once it has passed `holding` (a module
    and the name of a function the code under test calls just after it takes its row lock),
    `second` in another: the second must wait for the first to commit before it reads what it
    compares against. Returns {"first": …, "second": …}: what each call returned or raised."""
    import threading

    from django.db import connections

    module, name = holding
    passed, results = threading.Event(), {}
    real = getattr(module, name)

    def pass_then_linger(*args: Any, **kwargs: Any) -> Any:
        answer = real(*args, **kwargs)
        if threading.current_thread().name == "first":
            passed.set()
            threading.Event().wait(0.5)  # long enough for the second to wait on the lock
        return answer

    monkeypatch.setattr(module, name, pass_then_linger)

    def run(label: str, call: Callable[[], Any]) -> None:
        try:
            results[label] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            results[label] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=("first", first), name="first"),
               threading.Thread(target=run, args=("second", second), name="second")]
    threads[0].start()
    if not passed.wait(10):
        raise AssertionError(f"the first call never reached {name}")
    threads[1].start()
    for thread in threads:
        thread.join(20)
    return results


def load_migration_data() -> None:
    """The rows the migrations load (the ethnic groups and circumstance groups, the activity
    types and topics, the fund's kinds of need), loaded again: a transactional test's flush
    emptied them for the tests that follow it in the same process (browser journeys, the live
    server's API tests)."""
    from treem.fund.catalogues import load_need_kinds
    from treem.plans.activities.loading import load_types
    from treem.registry.catalogues import load_catalogues

    load_catalogues()
    load_types()
    load_need_kinds()


def sheet_rewritten(data: bytes, pattern: bytes, replacement: bytes) -> bytes:
    """The workbook `data` with its first sheet's XML rewritten as no spreadsheet program
    writes it (a wrong declared dimension, a row past Excel's last)."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = re.sub(pattern, replacement, content)
            archive.writestr(name, content)
    return buffer.getvalue()


def postgresql_marker(reason: str) -> Any:
    """Skip marker of tests that need PostgreSQL: on SQLite they skip with `reason`."""
    import pytest
    from django.db import connection

    return pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)


def at_once_marker() -> Any:
    """Skip marker of tests that run two writing transactions at once: they need PostgreSQL
    (the test SQLite database is in memory, shared by the threads' connections)."""
    return postgresql_marker(
        "two writing transactions at once need PostgreSQL (the test SQLite database is "
        "in memory, shared by the threads' connections)")


@contextmanager
def replica_alias(settings_dict: dict[str, Any] | None = None) -> Iterator[Any]:
    """A database alias "replica", as TREEM_REPLICA_DATABASE_URL makes one, for the block:
    by default a second connection to the test database. Removed after, connection closed."""
    from django.db import connections

    from treem.lib.routing import REPLICA, forget_refusal

    connections.settings[REPLICA] = dict(settings_dict or connections["default"].settings_dict)
    forget_refusal()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        forget_refusal()
