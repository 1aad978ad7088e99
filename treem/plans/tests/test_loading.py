"""The five seed plans load with every task as the plan assigns it, and loading again changes
nothing."""

import datetime
import json

import pytest
from django.core.management import call_command

from treem.geo.models import Level, Unit
from treem.plans.loading import SEEDS, load_seeds
from treem.plans.models import Agency, Plan, Task
from treem.testing import Tree, make_unit

FILES = sorted(SEEDS.glob("*.json"))


@pytest.fixture
def issuers(tree: Tree) -> dict[str, Unit]:
    """The plans' units as the national units have them: three districts dissolved on 30 June
    2025, Cao Bằng (the tree's) and Hải Phòng, which kept their codes."""
    son_la = make_unit(parent=tree.nation, level=Level.PROVINCE, code="14", name="Tỉnh Sơn La",
                       province_code="14", current=False)
    lang_son = make_unit(parent=tree.nation, level=Level.PROVINCE, code="20",
                         name="Tỉnh Lạng Sơn", province_code="20", current=False)
    binh_phuoc = make_unit(parent=tree.nation, level=Level.PROVINCE, code="70",
                           name="Tỉnh Bình Phước", province_code="70", current=False)
    return {
        "son-la-city-2021": make_unit(parent=son_la, level=Level.DISTRICT, code="116",
                                      name="Thành phố Sơn La", current=False),
        "bac-son-2024": make_unit(parent=lang_son, level=Level.DISTRICT, code="185",
                                  name="Huyện Bắc Sơn", current=False),
        "binh-long-2022-2030": make_unit(parent=binh_phuoc, level=Level.DISTRICT, code="690",
                                         name="Thị xã Bình Long", current=False),
        "cao-bang-2022": tree.province,
        "hai-phong-2019-2025": make_unit(parent=tree.nation, level=Level.PROVINCE, code="31",
                                         name="Thành phố Hải Phòng", province_code="31"),
    }


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in FILES}


def test_the_five_seed_plans_are_shipped(seeds: dict[str, dict]) -> None:
    assert sorted(seeds) == ["bac-son-2024", "binh-long-2022-2030", "cao-bang-2022",
                             "hai-phong-2019-2025", "son-la-city-2021"]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_task_of_a_seed_has_a_lead_named_among_its_agencies(path: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    keys = {agency["key"] for agency in data["agencies"]}
    sections = [task["section"] for task in data["tasks"]]
    assert len(sections) == len(set(sections))
    for task in data["tasks"]:
        assert task["lead"] in keys, task["section"]
        assert set(task.get("cooperating", [])) <= keys, task["section"]
        assert task["lead"] not in task.get("cooperating", []), task["section"]
        assert task["text"].strip(), task["section"]


def test_load_plans_loads_every_task_with_its_agencies_once(
        seeds: dict[str, dict], issuers: dict[str, Unit]) -> None:
    call_command("load_plans", verbosity=0)
    for code, data in seeds.items():
        plan = Plan.objects.get(code=code)
        assert plan.unit == issuers[code]
        assert plan.tasks.count() == len(data["tasks"]), code
        for row in data["tasks"]:
            task = Task.objects.get(plan=plan, section=row["section"])
            lead = next(a for a in data["agencies"] if a["key"] == row["lead"])
            assert task.lead.name == lead["name"]
            names = {a["key"]: a["name"] for a in data["agencies"]}
            assert sorted(task.cooperating.values_list("name", flat=True)) == sorted(
                names[key] for key in row.get("cooperating", []))
    counts = (Plan.objects.count(), Task.objects.count(), Agency.objects.count())
    load_seeds()  # again
    assert (Plan.objects.count(), Task.objects.count(), Agency.objects.count()) == counts
    assert counts[0] == 5


def test_the_plans_keep_their_units_and_link_their_targets(issuers: dict[str, Unit]) -> None:
    call_command("load_indicators", verbosity=0)
    call_command("load_plans", verbosity=0)
    hai_phong = Plan.objects.get(code="hai-phong-2019-2025")
    assert (hai_phong.number, hai_phong.issued_on) == ("256/KH-UBND", datetime.date(2019, 10, 14))
    assert (hai_phong.start_year, hai_phong.end_year) == (2019, 2025)
    assert hai_phong.status == "ended"  # its years are over: its tasks wait for nobody
    assert Plan.objects.get(code="binh-long-2022-2030").status == "in_force"
    assert hai_phong.references.filter(number="588/QĐ-TTg").exists()
    # A district dissolved on 30 June 2025 keeps the plan it issued in 2024.
    bac_son = Plan.objects.get(code="bac-son-2024")
    assert bac_son.unit == issuers["bac-son-2024"]
    assert bac_son.unit.valid_to == datetime.date(2025, 6, 30)
    # Its targets are the indicator set already loaded for it, not a copy.
    assert bac_son.indicator_set is not None and bac_son.indicator_set.code == "bac-son-2024"
    assert Plan.objects.get(code="binh-long-2022-2030").indicator_set is not None
