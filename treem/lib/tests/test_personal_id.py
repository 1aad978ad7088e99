import pytest

from treem.lib.personal_id import InvalidPersonalId, matches, parse


class ParseTests:
    def test_it_reads_place_century_sex_and_year(self) -> None:
        parsed = parse("004318001234")
        assert (parsed.place_code, parsed.birth_year, parsed.female) == ("004", 2018, True)

    def test_a_boy_of_the_last_century(self) -> None:
        parsed = parse("001099123456")
        assert (parsed.birth_year, parsed.female) == (1999, False)

    @pytest.mark.parametrize("value", ["", "00431800123", "0043180012345", "00431800123a",
                                       " 04318001234"])
    def test_it_rejects_anything_but_twelve_digits(self, value: str) -> None:
        with pytest.raises(InvalidPersonalId):
            parse(value)


class MatchesTests:
    def test_it_agrees_with_the_right_year_and_sex(self) -> None:
        assert matches("004220001234", birth_year=2020, female=False)

    @pytest.mark.parametrize(("year", "female"), [(2021, False), (2020, True), (1920, False)])
    def test_it_disagrees_otherwise(self, year: int, female: bool) -> None:
        assert not matches("004220001234", birth_year=year, female=female)
