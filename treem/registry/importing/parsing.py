"""A row of the Excel list turned into the register's values, and each bad cell into an error
{row, column, label, message} in Vietnamese. Every cell is checked, whatever the others hold."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from treem.lib.text import fold, normalize
from treem.registry import choices
from treem.registry.importing import columns as cols
from treem.registry.importing.reading import CellError, Layout, Workbook

# The maximum phone and name lengths are those of the register's forms and models.
NAME_MAX = 150
PHONE = re.compile(r"^\+?[0-9 .]{8,20}$")

# Values of the yes/no columns, folded.
_YES = {"co", "x", "1", "true", "yes", "y", "c", "v", "da", "roi", "dung"}
_NO = {"khong", "0", "false", "no", "n", "k", "chua", "sai"}
_SEX_ALIASES = {"trai": choices.Sex.MALE, "gai": choices.Sex.FEMALE,
                "male": choices.Sex.MALE, "female": choices.Sex.FEMALE}

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]0?0:00(?::00(?:\.0+)?)?)?$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_PID_SEPARATORS = re.compile(r"[\s.\-]")


_DISTINCT = frozenset({"full_name", "caregiver_name", "personal_id", "caregiver_phone"})
_MISSING = object()
_BLANK = object()


@dataclass(frozen=True)
class _Problem:
    message: str


class CellProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]                  # only the cells that were filled in
    errors: list[dict[str, Any]]


class RowParser:
    """Turns the raw cells of one row into the register's values, and bad cells into errors.

    Only filled-in cells give a value: on an update a blank cell leaves the record as it is,
    so a file never erases what an officer recorded. Every cell is checked, whatever the
    others hold. Results are cached per distinct cell value and column: lists of children
    repeat the same few dozen values ("Nam", "Kinh", "Có") a hundred thousand times.
    """

    def __init__(self, *, book: Workbook, layout: Layout, ethnicities: list[Any],
                 villages: list[Any]) -> None:
        self.book = book
        self.layout = layout
        # Columns whose values repeat ("Nam", "Kinh", "Có", a village) keep their results by raw
        # cell; names, ids and phone numbers are mostly distinct and are converted each time.
        self.slots: list[tuple[str, bytes, dict[tuple, Any] | None]] = [
            (key, letters, None if key in _DISTINCT else {})
                      for key, letters in layout.letters.items()]
        self.max_lengths = {column.key: column.max_length for column in cols.COLUMNS}
        self.required = [column for column in cols.COLUMNS
                         if column.required and column.key in layout.letters]
        self.choices: dict[str, dict[str, str]] = {}
        for column in cols.COLUMNS:
            if column.options is not None:
                table: dict[str, str] = {}
                for value, label in cols.labels(column.options):
                    table.setdefault(fold(label), value)
                    table.setdefault(fold(value), value)
                for value, label in column.options.choices:
                    table.setdefault(fold(str(label)), value)  # the active language's label
                if column.options is choices.Sex:
                    table.update(_SEX_ALIASES)
                self.choices[column.key] = table
        # Official names and codes first: an alias of one people can be another's name
        # ("Thổ" is also said of the Khơ-me, "Hoa" of some HMông).
        self.ethnicities: dict[str, int] = {}
        for ethnicity in ethnicities:
            self.ethnicities[_ethnic_key(ethnicity.name)] = ethnicity.pk
            self.ethnicities[ethnicity.code] = ethnicity.pk
        for ethnicity in ethnicities:
            for alias in (ethnicity.aliases or "").split(","):
                if alias.strip():
                    self.ethnicities.setdefault(_ethnic_key(alias), ethnicity.pk)
        self.villages: dict[str, Any] = {}
        short: dict[str, list[Any]] = {}
        for village in villages:
            self.villages[fold(village.name)] = village
            self.villages.setdefault(fold(village.code), village)
            kind = fold(village.kind or "")
            name = fold(village.name)
            if kind and name.startswith(kind + " "):
                short.setdefault(name[len(kind) + 1:], []).append(village)
        for name, found in short.items():
            if len(found) == 1:  # "Nà Pồng" for "Thôn Nà Pồng", unless two kinds share it
                self.villages.setdefault(name, found[0])

    def parse(self, number: int, cells: dict[bytes, tuple]) -> ParsedRow | None:
        """The row's values and errors; None for a row with nothing in the known columns."""
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        get = cells.get
        for key, letters, cache in self.slots:
            cell = get(letters)
            if cell is None:
                continue
            if cache is None:
                result = self._cell(key, cell)
            else:
                raw = cell[2:]  # type, value, inline text: the cell without its position
                result = cache.get(raw, _MISSING)
                if result is _MISSING:
                    result = cache[raw] = self._cell(key, cell)
            if result is _BLANK:
                continue
            if type(result) is _Problem:
                problems.append((key, result.message))
            else:
                values[key] = result
        if not values and not problems:
            return None
        errors = [self.error(number, key, message) for key, message in problems]
        for column in self.required:
            if column.key not in values and all(key != column.key for key, _m in problems):
                errors.append(self.error(number, column.key,
                                         _("Hãy nhập “%(label)s”.") % {"label": column.label}))
        self._birth(number, values, errors)
        self._caregiver(number, values, errors)
        return ParsedRow(number, values, errors)

    def _cell(self, key: str, cell: tuple) -> Any:
        """A cell's value for the register, _BLANK, or the _Problem it has."""
        limit = self.max_lengths[key]
        # The raw text (escaped XML, UTF-8) is at most 8 bytes a character ("&#1234;" is 7):
        # longer is too long, known before it is decoded, folded or compared.
        if len(cell[3]) > 8 * limit or len(cell[4]) > 8 * limit:
            return _Problem(_too_long(limit))
        value = self.book.value(cell)
        if isinstance(value, str) and len(value) > limit:  # a shared string is known by now
            return _Problem(_too_long(limit)) if value.strip() else _BLANK
        if value is None or (isinstance(value, str) and not value.strip()):
            return _BLANK
        try:
            return self._convert(key, value)
        except CellProblem as problem:
            return _Problem(problem.message)

    def error(self, number: int, key: str, message: str) -> dict[str, Any]:
        letters = self.layout.letters.get(key)
        return {"row": number, "column": letters.decode() if letters else "",
                "label": cols.BY_KEY[key].label, "message": str(message)}

    def _convert(self, key: str, value: Any) -> Any:
        if isinstance(value, CellError):
            raise CellProblem(_("Ô có lỗi công thức (%(code)s).") % {"code": value.code})
        column = cols.BY_KEY[key]
        kind = column.kind
        if kind == "text":
            text = normalize(_as_text(value))
            if len(text) > NAME_MAX:
                raise CellProblem(_("Dài quá %(n)s ký tự.") % {"n": NAME_MAX})
            return text
        if kind == "date":
            return self._date(value)
        if kind == "bool":
            return _bool(value)
        if kind == "choice":
            folded = fold(_as_text(value))
            found = self.choices[key].get(folded)
            if found is None:
                examples = ", ".join(label for _v, label in cols.labels(column.options)[:4])  # type: ignore[arg-type]
                raise CellProblem(_("“%(value)s” không có trong danh sách “%(label)s” (%(examples)s"
                                    "…).") % {"value": _shown(value), "label": column.label,
                                              "examples": examples})
            return found
        if kind == "ethnicity":
            text = _as_text(value).strip()
            found_id = self.ethnicities.get(_ethnic_key(text)) or self.ethnicities.get(
                text.zfill(2))
            if found_id is None:
                raise CellProblem(_("“%(value)s” không phải tên một trong 54 dân tộc (xem trang "
                                    "“Danh mục” của tệp mẫu).") % {"value": _shown(value)})
            return found_id
        if kind == "village":
            village = self.villages.get(fold(_as_text(value)))
            if village is None:
                raise CellProblem(_("Xã, phường này không có thôn, tổ dân phố “%(value)s”.")
                                  % {"value": _shown(value)})
            return village.pk
        if kind == "personal_id":
            if isinstance(value, float):
                if not value.is_integer() or not 0 <= value < 10**12:
                    raise CellProblem(_("Số định danh cá nhân gồm đúng 12 chữ số."))
                # Typed into a number cell, the leading zeros of the province code are lost.
                return f"{int(value):012d}"
            return _PID_SEPARATORS.sub("", _as_text(value))
        if kind == "phone":
            if isinstance(value, float) and value.is_integer():
                text = f"{int(value)}"
                # Typed into a number cell, the leading 0 of a Vietnamese number is lost.
                text = "0" + text if len(text) == 9 else text
            else:
                text = normalize(_as_text(value))
            if not PHONE.match(text):
                raise CellProblem(_("Số điện thoại không hợp lệ."))
            return text
        raise AssertionError(kind)

    def _date(self, value: Any) -> tuple[int, str]:
        """(ordinal of the day, precision)."""
        precision = choices.DatePrecision.DAY
        if isinstance(value, bool):
            raise CellProblem(_("Ngày sinh không đúng dạng dd/mm/yyyy (ví dụ 05/09/2015)."))
        if isinstance(value, datetime.date):
            return value.toordinal(), precision
        if isinstance(value, float):
            if value.is_integer() and 1900 <= value <= 2100:
                # A bare year: as a serial date it would be a day of 1905.
                return datetime.date(int(value), 1, 1).toordinal(), choices.DatePrecision.YEAR
            day = self.book.excel_date(value)
            if day is None:
                raise CellProblem(_("Ngày sinh không đúng dạng dd/mm/yyyy (ví dụ 05/09/2015)."))
            return day.toordinal(), precision
        text = _as_text(value).strip()
        try:
            if match := _DMY.match(text):
                d, m, y = match.groups()
                if len(y) == 2:
                    raise CellProblem(_("Hãy ghi năm đủ 4 chữ số (ví dụ 05/09/2015)."))
                return datetime.date(int(y), int(m), int(d)).toordinal(), precision
            if match := _YMD.match(text):
                y, m, d = match.groups()
                return datetime.date(int(y), int(m), int(d)).toordinal(), precision
            if match := _MY.match(text):
                m, y = match.groups()
                return datetime.date(int(y), int(m), 1).toordinal(), choices.DatePrecision.MONTH
            if match := _Y.match(text):
                return (datetime.date(int(match.group(1)), 1, 1).toordinal(),
                        choices.DatePrecision.YEAR)
        except ValueError as error:
            raise CellProblem(_("Ngày “%(value)s” không có thật.") % {"value": text}) from error
        raise CellProblem(_("Ngày sinh “%(value)s” không đúng dạng dd/mm/yyyy (ví dụ "
                            "05/09/2015).") % {"value": _shown(value)})

    def _birth(self, number: int, values: dict[str, Any], errors: list[dict]) -> None:
        year_only = values.pop("year_only", None)
        born = values.pop("birth_date", None)
        if born is None:
            return
        ordinal, precision = born
        if year_only:
            day = datetime.date.fromordinal(ordinal)
            ordinal, precision = day.replace(month=1, day=1).toordinal(), \
                choices.DatePrecision.YEAR
        elif year_only is False and precision == choices.DatePrecision.YEAR:
            errors.append(self.error(number, "birth_date", _(
                "Chỉ có năm sinh nhưng cột “Chỉ biết năm sinh?” ghi Không: hãy ghi đủ ngày, "
                "tháng, năm.")))
            return
        values["birth_date"] = ordinal
        values["birth_date_precision"] = precision

    def _caregiver(self, number: int, values: dict[str, Any], errors: list[dict]) -> None:
        has_name = bool(values.get("caregiver_name"))
        if not has_name and ("caregiver_relation" in values or "caregiver_phone" in values):
            key = "caregiver_name" if "caregiver_name" in self.layout.letters else (
                "caregiver_relation" if "caregiver_relation" in values else "caregiver_phone")
            errors.append(self.error(number, key, _(
                "Có quan hệ hoặc điện thoại nhưng chưa có họ tên người chăm sóc.")))
        elif has_name and "caregiver_relation" not in values and not any(
                e["label"] == cols.BY_KEY["caregiver_relation"].label for e in errors):
            errors.append(self.error(
                number, "caregiver_relation" if "caregiver_relation" in self.layout.letters
                else "caregiver_name", _("Hãy chọn quan hệ của người chăm sóc với trẻ.")))


def _too_long(limit: int) -> str:
    return _("Dài quá %(n)s ký tự.") % {"n": limit}


def _ethnic_key(text: str) -> str:
    """"Khơ-me", "Khơ me", "khome" and "HMông", "H'Mông", "hmong" are one name each."""
    return _NOT_ALNUM.sub("", fold(text))


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _as_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() else f"{value}"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return cols.YES if value else cols.NO
    return str(value)


def _shown(value: Any) -> str:
    text = _as_text(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(_as_text(value))
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellProblem(_("Hãy ghi Có hoặc Không (không phải “%(value)s”).") % {
        "value": _shown(value)})
