"""The English catalogue: complete, compiled, and served after a visitor switches language.

Vietnamese is the source language (the msgids); English lives in locale/en/LC_MESSAGES/django.po and
its compiled django.mo, which is committed so a deployment needs no gettext tools.
"""

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

LOGIN_URL = "/accounts/login/"
SET_LANGUAGE_URL = "/i18n/setlang/"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    # msgstr for a singular entry is form 0; msgstr[n] for a plural one is form n.
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')


def read_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header first. Obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal current, target, started
        if started:
            entries.append(current)
        current, target, started = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, literal = match.groups()
            if keyword == "msgid" and started and target is not None and target[0] == "msgstr":
                finish()  # a new entry without a blank line before it
            if not started:
                current.line, started = number, True
            text = ast.literal_eval(literal)
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = text
            else:
                target = (keyword, 0)
                setattr(current, keyword, text)
        elif line.startswith('"') and target is not None:
            text = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += text
            else:
                setattr(current, target[0], (getattr(current, target[0]) or "") + text)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def messages(path: Path) -> list[Entry]:
    return [entry for entry in read_po(path) if not entry.is_header]


def load_mo(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


class CatalogueTests:
    def test_the_catalogue_has_a_header_for_english_with_two_plural_forms(self) -> None:
        header = read_po(PO)[0]
        assert header.is_header
        metadata = header.msgstr[0]
        assert "Language: en\n" in metadata
        assert "Content-Type: text/plain; charset=UTF-8\n" in metadata
        assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in metadata

    def test_the_parser_reads_every_message_of_the_catalogue(self) -> None:
        text = PO.read_text(encoding="utf-8")
        expected = len(re.findall(r"^msgid ", text, flags=re.MULTILINE)) - 1  # less the header
        assert expected > 0
        assert len(messages(PO)) == expected

    def test_no_entry_has_an_empty_translation(self) -> None:
        untranslated = [
            f"line {entry.line}: {entry.msgid!r}"
            for entry in messages(PO)
            if not entry.msgstr or any(not text.strip() for text in entry.msgstr.values())
        ]
        assert untranslated == []

    def test_no_entry_is_marked_fuzzy(self) -> None:
        fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in read_po(PO) if "fuzzy" in entry.flags]
        assert fuzzy == []

    def test_plural_entries_have_distinct_singular_and_plural_forms(self) -> None:
        plurals = [entry for entry in messages(PO) if entry.msgid_plural is not None]
        assert plurals
        for entry in plurals:
            assert sorted(entry.msgstr) == [0, 1], entry.msgid
            assert entry.msgstr[0] != entry.msgstr[1], entry.msgid

    def test_singular_entries_have_exactly_one_translation(self) -> None:
        for entry in messages(PO):
            if entry.msgid_plural is None:
                assert list(entry.msgstr) == [0], entry.msgid

    def test_every_translation_keeps_the_placeholders_of_its_source(self) -> None:
        mismatched = []
        for entry in messages(PO):
            sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
            wanted = sorted(PLACEHOLDER.findall(sources[-1]))
            for text in entry.msgstr.values():
                if sorted(PLACEHOLDER.findall(text)) != wanted:
                    mismatched.append(f"line {entry.line}: {entry.msgid!r} -> {text!r}")
        assert mismatched == []

    def test_no_translation_is_left_in_vietnamese(self) -> None:
        def accented_letters(text: str) -> bool:
            # Proper names in quotes may keep their diacritics, e.g. the example “Thôn Nà Pồng”.
            return any(c.isalpha() and not c.isascii() for c in re.sub(r"“[^”]*”", "", text))

        leftovers = [
            f"line {entry.line}: {text!r}"
            for entry in messages(PO)
            for text in entry.msgstr.values()
            if accented_letters(text)
        ]
        assert leftovers == []


class DjangoCatalogueTests:
    def test_django_serves_every_english_translation_of_the_catalogue(self) -> None:
        wrong = []
        with translation.override("en"):
            for entry in messages(PO):
                if entry.msgctxt is not None:
                    continue
                if entry.msgid_plural is None:
                    served = {0: translation.gettext(entry.msgid)}
                else:
                    served = {0: translation.ngettext(entry.msgid, entry.msgid_plural, 1),
                              1: translation.ngettext(entry.msgid, entry.msgid_plural, 2)}
                if served != entry.msgstr:
                    wrong.append(f"line {entry.line}: {entry.msgid!r} -> {served!r}")
        assert wrong == []

    @pytest.mark.parametrize(("vietnamese", "english"), [
        ("Đăng nhập", "Sign in"),
        ("Mật khẩu", "Password"),
        ("Xác thực hai lớp", "Two-factor authentication"),
        ("Khóa API", "API tokens"),
        ("Nhật ký", "Audit log"),
        ("Xã, phường, đặc khu", "Commune/ward/special zone"),
    ])
    def test_a_sample_of_messages_comes_out_in_english(self, vietnamese: str, english: str) -> None:
        with translation.override("en"):
            assert translation.gettext(vietnamese) == english
        with translation.override("vi"):
            assert translation.gettext(vietnamese) == vietnamese

    def test_a_count_picks_the_singular_or_the_plural_in_english(self) -> None:
        with translation.override("en"):
            one = translation.ngettext("%(n)s đơn vị", "%(n)s đơn vị", 1) % {"n": 1}
            many = translation.ngettext("%(n)s đơn vị", "%(n)s đơn vị", 5) % {"n": 5}
        assert (one, many) == ("1 unit", "5 units")


class CompiledCatalogueTests:
    def test_the_compiled_catalogue_is_committed_next_to_the_po_file(self) -> None:
        assert MO.is_file(), f"{MO} is missing: run `make messages`"

    def test_the_compiled_catalogue_is_up_to_date_with_the_po_file(self, tmp_path: Path) -> None:
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.fail("msgfmt is not installed, so django.mo cannot be checked against django.po: "
                        "install GNU gettext (Debian: apt-get install gettext)")
        fresh = tmp_path / "django.mo"
        subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO)], check=True,
                       capture_output=True, text=True)
        committed, compiled = load_mo(MO), load_mo(fresh)
        stale = sorted(repr(key) for key in committed.keys() | compiled.keys()
                       if committed.get(key) != compiled.get(key))
        assert stale == [], "django.mo is out of date with django.po: run `make messages`"

    def test_the_compiled_catalogue_holds_every_message_of_the_po_file(self) -> None:
        catalog = load_mo(MO)
        missing = []
        for entry in messages(PO):
            key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            for form, text in entry.msgstr.items():
                compiled = catalog.get(key if entry.msgid_plural is None else (key, form))
                if compiled != text:
                    missing.append(f"line {entry.line}: {entry.msgid!r}")
        assert missing == []


class LanguageSwitchTests:
    def test_vietnamese_is_the_default_language_of_the_login_page(self, client: Client, db: None) -> None:
        response = client.get(LOGIN_URL)
        assert response.status_code == 200
        content = response.content.decode()
        assert '<html lang="vi">' in content
        assert "Đăng nhập" in content
        assert "Sign in" not in content

    def test_the_login_page_speaks_english_after_switching(self, client: Client, db: None) -> None:
        response = client.post(SET_LANGUAGE_URL, {"language": "en", "next": LOGIN_URL})
        assert response.status_code == 302
        assert response["Location"] == LOGIN_URL
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

        response = client.get(LOGIN_URL)
        assert response.status_code == 200
        content = response.content.decode()
        assert '<html lang="en">' in content
        assert "<h1>Sign in</h1>" in content
        assert "Username" in content
        assert "Password" in content
        assert "Đăng nhập" not in content
        assert "Mật khẩu" not in content

    def test_switching_back_to_vietnamese_restores_the_login_page(self, client: Client, db: None) -> None:
        client.post(SET_LANGUAGE_URL, {"language": "en", "next": LOGIN_URL})
        client.post(SET_LANGUAGE_URL, {"language": "vi", "next": LOGIN_URL})
        content = client.get(LOGIN_URL).content.decode()
        assert '<html lang="vi">' in content
        assert "Đăng nhập" in content
        assert "Sign in" not in content

    def test_a_failed_sign_in_is_explained_in_english(self, client: Client, db: None) -> None:
        client.post(SET_LANGUAGE_URL, {"language": "en", "next": LOGIN_URL})
        response = client.post(LOGIN_URL, {"username": "nobody", "password": "wrong-password-1"})
        content = response.content.decode()
        assert "Sign-in failed. Check your username and password." in content
        assert "Đăng nhập không thành công" not in content
