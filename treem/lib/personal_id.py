"""The 12-digit personal identification number (số định danh cá nhân).

Structure (Nghị định 137/2015/NĐ-CP Điều 13; Thông tư 07/2016/TT-BCA, now 59/2021/TT-BCA):
three digits for the province (001–096) or country where the birth was registered, one digit
for century and sex, two for the year of birth, six at random. Century and sex: 1900s male 0,
female 1; 2000s male 2, female 3; 2100s 4/5; 2200s 6/7; 2300s 8/9.
"""

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"^\d{12}$")


class InvalidPersonalId(ValueError):
    pass


@dataclass(frozen=True)
class PersonalId:
    place_code: str
    birth_year: int
    female: bool


def parse(value: str) -> PersonalId:
    if not _DIGITS.match(value):
        raise InvalidPersonalId("not twelve digits")
    century_sex = int(value[3])
    century = 1900 + (century_sex // 2) * 100
    return PersonalId(place_code=value[:3], birth_year=century + int(value[4:6]),
                      female=bool(century_sex % 2))


def matches(value: str, *, birth_year: int, female: bool) -> bool:
    """Whether the number agrees with the person's year of birth and sex."""
    parsed = parse(value)
    return parsed.birth_year == birth_year and parsed.female == female
