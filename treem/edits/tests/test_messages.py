"""What a refused edit tells people: both values, and which version each side had."""

import pytest

from treem.edits.conflicts import UNKNOWN, EditConflict, FieldConflict

GOAL = FieldConflict(field="goal", label="Mục tiêu", mine="Đi học lại", theirs="An toàn",
                     base=UNKNOWN, mine_text="Đi học lại", theirs_text="An toàn",
                     saved_by="Nông Văn Hùng")


def test_an_edit_read_at_a_version_names_both_versions() -> None:
    message = EditConflict([GOAL], version=3, base_version=2).message
    assert "phiên bản 2, nay là phiên bản 3" in message
    assert "«Đi học lại»" in message and "«An toàn»" in message
    assert "Nông Văn Hùng" in message


@pytest.mark.parametrize("base_version", [0, None])
def test_an_edit_that_read_no_version_is_told_what_it_had_not_seen(base_version) -> None:
    message = EditConflict([GOAL], version=1, base_version=base_version).message
    assert "phiên bản ?" not in message
    assert "mà bạn chưa xem" in message and "nay là phiên bản 1" in message
    assert "«Đi học lại»" in message and "«An toàn»" in message


def test_a_record_without_a_version_names_none() -> None:
    message = EditConflict([GOAL], version=None, base_version=None).message
    assert "phiên bản" not in message and "«An toàn»" in message
