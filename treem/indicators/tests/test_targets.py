"""Targets: entered one at a time or imported from Excel (all rows or none), within the
setter's scope, and read back by the dashboard."""

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from treem.indicators.catalogue import DATA, load_set
from treem.indicators.models import Indicator, Target
from treem.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(tree):
    return load_set(json.loads((DATA / "tt13-2021-tre-em.json").read_text(encoding="utf-8")))


def _sheet(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã bộ chỉ tiêu", "Mã chỉ tiêu", "Mã đơn vị", "Năm", "Loại", "Giá trị",
                  "Chiều đánh giá"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "muc-tieu.xlsx"
    return buffer


class TargetImportTests:
    def test_a_good_sheet_writes_every_target(self, tree, personas, national) -> None:
        client = login(Client(), personas.province_officer)
        response = client.post(reverse("indicators:target_list"), {"file": _sheet(
            ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", 3.5, "Không vượt quá"),
            ("tt13-2021-tre-em", "II.01", "01273", 2025, "Giá trị gốc", "4,2", "Không vượt quá"),
        )}, follow=True)
        assert "Đã nhập 2 mục tiêu." in response.content.decode()
        assert set(Target.objects.values_list("unit__code", "year", "kind", "value")) == {
            ("04", 2030, "target", Decimal("3.500")), ("01273", 2025, "baseline", Decimal("4.200"))}

    def test_one_bad_row_writes_nothing_and_names_each_bad_row(self, tree, personas,
                                                               national) -> None:
        client = login(Client(), personas.province_officer)
        response = client.post(reverse("indicators:target_list"), {"file": _sheet(
            ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", 3.5, "Không vượt quá"),
            ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", 130, "Đạt ít nhất"),
            ("tt13-2021-tre-em", "II.01", "00070", 2030, "Mục tiêu", 3, "Đạt ít nhất"),
            ("tt13-2021-tre-em", "ZZ", "04", 2030, "Mục tiêu", 3, "Đạt ít nhất"),
            ("tt13-2021-tre-em", "II.01", "04", 1999, "Mục tiêu", 3, "Đạt ít nhất"),
        )})
        page = response.content.decode()
        assert "Dòng 3:" in page and "không quá 100" in page
        assert "Dòng 4:" in page and "Dòng 5:" in page and "Dòng 6:" in page
        assert "Dòng 2:" not in page
        assert not Target.objects.exists()

    def test_a_sheet_replaces_a_target_set_before_deliberately(self, tree, personas,
                                                              national) -> None:
        # The sheet is the plan's list of targets, vouched for by whoever uploads it.
        Target.objects.create(indicator=Indicator.objects.get(code="II.01"), unit=tree.province,
                              year=2030, kind="target", value=Decimal("4"),
                              direction="at_most")
        client = login(Client(), personas.province_officer)
        client.post(reverse("indicators:target_list"), {"file": _sheet(
            ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", 3.5, "Không vượt quá"))})
        assert Target.objects.get().value == Decimal("3.500")

    def test_a_file_that_is_not_excel_is_refused(self, tree, personas, national) -> None:
        bad = io.BytesIO(b"not a workbook")
        bad.name = "muc-tieu.xlsx"
        response = login(Client(), personas.province_officer).post(
            reverse("indicators:target_list"), {"file": bad})
        assert "Không đọc được tệp" in response.content.decode()


class TargetFormTests:
    def test_the_commune_leader_sets_the_communes_target_not_the_provinces(
            self, tree, personas, national) -> None:
        indicator = Indicator.objects.get(code="II.01")
        client = login(Client(), personas.chairman)
        data = {"indicator": indicator.public_id, "unit": tree.commune_a.public_id,
                "year": 2026, "kind": "target", "value": "3", "direction": "at_most"}
        client.post(reverse("indicators:target_list"), data)
        assert Target.objects.get().unit == tree.commune_a
        outside = client.post(reverse("indicators:target_list"),
                              {**data, "unit": tree.province.public_id}, follow=True)
        assert "Hãy chọn đơn vị." in outside.content.decode()
        assert Target.objects.count() == 1

    def test_the_commune_officer_may_not_set_targets(self, tree, personas, national) -> None:
        response = login(Client(), personas.officer).get(reverse("indicators:target_list"))
        assert response.status_code == 403

    def test_the_template_downloads(self, tree, personas, national) -> None:
        response = login(Client(), personas.province_officer).get(
            reverse("indicators:target_template"))
        assert response.content[:2] == b"PK"


class TargetSetMeanwhileTests:
    """Two people setting one target: the second never silently replaces the first's."""

    @pytest.fixture
    def data(self, tree, national):
        return {"indicator": Indicator.objects.get(code="II.01").public_id,
                "unit": tree.commune_a.public_id, "year": 2026, "kind": "target",
                "direction": "at_most"}

    def test_a_target_set_meanwhile_is_shown_and_replaced_only_when_saved_again(
            self, tree, personas, data) -> None:
        first = login(Client(), personas.chairman)
        first.post(reverse("indicators:target_list"), {**data, "value": "3"})
        second = login(Client(), personas.province_officer)

        page = second.post(reverse("indicators:target_list"), {**data, "value": "4"}).content.decode()

        assert "Không vượt quá 3" in page and "Không vượt quá 4" in page
        assert Target.objects.get().value == Decimal("3")
        assert 'name="replaces" value="3.000|at_most"' in page
        assert 'value="4"' in page  # the officer's own number kept
        second.post(reverse("indicators:target_list"),
                    {**data, "value": "4", "replaces": "3.000|at_most"})
        assert Target.objects.get().value == Decimal("4")

    def test_a_confirmation_read_before_another_change_is_refused_again(
            self, tree, personas, data) -> None:
        client = login(Client(), personas.province_officer)
        client.post(reverse("indicators:target_list"), {**data, "value": "3"})
        Target.objects.update(value=Decimal("5"))  # a third person, after the page showed 3

        page = client.post(reverse("indicators:target_list"),
                           {**data, "value": "4", "replaces": "3.000|at_most"}).content.decode()

        assert "Không vượt quá 5" in page
        assert Target.objects.get().value == Decimal("5")

    def test_each_form_of_the_page_shows_only_its_own_errors(self, tree, personas,
                                                            data) -> None:
        client = login(Client(), personas.province_officer)
        target = client.post(reverse("indicators:target_list"), {**data, "value": ""})
        assert "Hãy chọn tệp Excel." not in target.content.decode()
        upload = client.post(reverse("indicators:target_list"), {"import": "1"})
        page = upload.content.decode()
        assert "Hãy chọn tệp Excel." in page and "Hãy chọn chỉ tiêu." not in page
        assert not Target.objects.exists()

    def test_the_same_goal_twice_is_no_conflict(self, tree, personas, data) -> None:
        client = login(Client(), personas.province_officer)
        client.post(reverse("indicators:target_list"), {**data, "value": "3"})
        response = client.post(reverse("indicators:target_list"), {**data, "value": "3.0"},
                               follow=True)
        assert "Đã lưu mục tiêu." in response.content.decode()
        assert Target.objects.count() == 1

    def test_a_forged_replacement_is_read_as_none_known(self, tree, personas, data) -> None:
        client = login(Client(), personas.province_officer)
        client.post(reverse("indicators:target_list"), {**data, "value": "3"})
        for forged in ("x|at_most", "3|sideways", "|", "3.000"):
            client.post(reverse("indicators:target_list"),
                        {**data, "value": "4", "replaces": forged})
            assert Target.objects.get().value == Decimal("3")
