"""Report schedules as data: their due dates are ASCII "MM-DD" days that exist (a digit of
another script or 31 June is refused when the file is loaded, and nothing is written)."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from treem.reports import services
from treem.reports.loading import load_schedules
from treem.reports.models import Schedule

pytestmark = pytest.mark.django_db


def _file(tmp_path, due: dict) -> Path:
    path = tmp_path / "schedules.json"
    path.write_text(json.dumps({"schedules": [
        {"code": "thu", "name": "Lịch thử", "period_kind": "half", "due": due}]}),
        encoding="utf-8")
    return path


class DueDateTests:
    @pytest.mark.parametrize("day", ["٠٥-١٥", "０５-１５", "5-15", "05/15", "06-31", "13-01",
                                     "05-15\n"])
    def test_a_due_date_that_is_not_an_ascii_day_is_refused(self, tmp_path, day) -> None:
        with pytest.raises(ValidationError) as error:
            load_schedules(_file(tmp_path, {"commune": {"S1": day}}))
        assert "hạn gửi" in " ".join(error.value.messages)
        assert not Schedule.objects.exists()

    def test_a_good_due_date_loads_and_is_read_as_its_day(self, tmp_path, tree) -> None:
        from treem.indicators import periods

        (schedule,) = load_schedules(_file(tmp_path, {"commune": {"S1": "05-15"}}))
        assert services.due_on(schedule, tree.commune_a, periods.parse("2026S1")).isoformat() \
            == "2026-05-15"

    def test_a_stored_due_date_of_another_script_is_not_read_as_a_day(self, tree) -> None:
        from treem.indicators import periods

        schedule = Schedule.objects.create(code="x", name="x", period_kind="half",
                                           due={"commune": {"S1": "٠٥-١٥"}})
        with pytest.raises(ValidationError):
            services.due_on(schedule, tree.commune_a, periods.parse("2026S1"))
