"""What the population-database tests share: five children of commune A whose ids need the
police's check, a child of the dissolved commune, and the police's answer file built from the
exported one."""

import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from treem.privacy.population.exporting import ANSWER, COLUMNS
from treem.registry.models import Child
from treem.registry.tests.factories import make_caregiver, make_child
from treem.testing import Tree

# 12 digits: province 001, century-and-sex (2: male born 2000–2099, 3: female), year, six more.
ID_ONE = "001215000111"      # male, 2015: agrees with child one
ID_TWO = "001315000222"      # female, 2015: agrees with child two
ID_THREE = "001214000333"    # male, 2014: child three is recorded born 2015 (mismatch)
ID_FOUR = "001215000444"     # supplied by the police for child four (no id on record)
UNKNOWN_REFERENCE = "00000000-0000-4000-8000-000000000000"
BORN = datetime.date(2015, 3, 1)
HEADERS = {key: str(label) for key, label in COLUMNS}


@dataclass
class Five:
    one: Child      # valid id, never verified: the police say "verified"
    two: Child      # valid id, name misspelt: corrected name
    three: Child    # id says 2014, record says 2015: corrected birth date
    four: Child     # no id: the police supply it
    five: Child     # no id: not found in the population database
    old: Child      # no id, on the commune dissolved in July 2025


def make_five(tree: Tree) -> Five:
    one = make_child(commune=tree.commune_a, village=tree.village_a, full_name="Lò Văn Một",
                     personal_id=ID_ONE)
    make_caregiver(child=one)
    return Five(
        one=one,
        two=make_child(commune=tree.commune_a, full_name="Hà Thi Hai", sex="f",
                       personal_id=ID_TWO),
        three=make_child(commune=tree.commune_a, full_name="Nông Văn Ba", personal_id=ID_THREE),
        four=make_child(commune=tree.commune_a, full_name="Lý Văn Bốn"),
        five=make_child(commune=tree.commune_a, full_name="Vi Văn Năm"),
        old=make_child(commune=tree.old_commune, full_name="Đàm Văn Cũ"),
    )


def police_answer(content: bytes, answers: Mapping[str, Mapping[str, Any]],
                  extra: list[Mapping[str, Any]] = ()) -> bytes:  # type: ignore[assignment]
    """The exported file with the police's answer columns filled in: `answers` by reference
    (the child's public id), each {column key: value}; `extra` rows appended."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    index = {key: header.index(HEADERS[key]) + 1 for key in HEADERS}
    for row in range(2, sheet.max_row + 1):
        reference = sheet.cell(row=row, column=index["reference"]).value
        for key, value in answers.get(str(reference), {}).items():
            sheet.cell(row=row, column=index[key], value=value)
    for values in extra:
        row = sheet.max_row + 1
        for key, value in values.items():
            sheet.cell(row=row, column=index[key], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def round_trip_answers(five: Five) -> dict[str, dict[str, Any]]:
    """The issue's round trip: one verified, two corrected (name, birth date), one new id,
    one not found."""
    return {
        str(five.one.public_id): {"result": "Đúng"},
        str(five.two.public_id): {"result": "Đã điều chỉnh", "new_full_name": "Hà Thị Hai"},
        str(five.three.public_id): {"result": "Đã điều chỉnh", "new_birth_date": "12/08/2014"},
        str(five.four.public_id): {"result": "Đúng", "new_personal_id": ID_FOUR},
        str(five.five.public_id): {"result": "Không tìm thấy",
                                   "note": "Chưa đăng ký thường trú"},
    }


# The police's sixth row: a child they added, whom the batch does not hold.
BAD_ROW = {"reference": UNKNOWN_REFERENCE, "full_name": "Trẻ thêm", "result": "Đúng"}
ANSWER_KEYS = [key for key, _label in ANSWER]
