import datetime
import hashlib
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q

from treem.audit.models import Action, AuditEvent
from treem.geo.models import Level, Unit
from treem.lib import personal_id
from treem.lib.text import word_prefixes
from treem.registry import choices
from treem.registry.catalogues import load_catalogues
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
    Household,
    years_before,
)
from treem.registry.synthetic import REFERENCE_DATE, generate, names, profiles
from treem.testing import make_unit
from treem.units.services import VILLAGE_KINDS

pytestmark = pytest.mark.django_db

COMMUNES = (("01273", "Phường Thục Phán"), ("01279", "Xã Hòa An"), ("01290", "Xã Nguyên Bình"),
            ("01300", "Xã Bảo Lạc"))


def make_province(code: str = "04", name: str = "Tỉnh Cao Bằng",
                  communes: tuple[tuple[str, str], ...] = COMMUNES) -> Unit:
    nation = Unit.objects.filter(level=Level.NATION).first() or make_unit(
        parent=None, level=Level.NATION, code="VN", name="Việt Nam", kind="Quốc gia")
    province = make_unit(parent=nation, level=Level.PROVINCE, code=code, name=name,
                         province_code=code)
    for commune_code, commune_name in communes:
        make_unit(parent=province, level=Level.COMMUNE, code=f"{code}{commune_code}",
                  name=commune_name)
    return province


@pytest.fixture
def province() -> Unit:
    load_catalogues()
    return make_province()


def communes_of(province: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))


def digest() -> str:
    rows = Child.objects.order_by("id").values_list(
        "full_name", "sex", "birth_date", "birth_date_precision", "personal_id",
        "ethnicity__code", "village__name", "household__head_name", "school_status",
        "public_id")
    history = ChildCircumstance.objects.order_by("id").values_list(
        "child__full_name", "group__code", "start_date", "end_date")
    past = ChildStatusPast.objects.order_by("id").values_list(
        "child__full_name", "field", "value", "start_date", "end_date")
    return hashlib.sha256(repr((list(rows), list(history), list(past))).encode()).hexdigest()


def wipe(province: Unit) -> None:
    for model in (ChildStatusPast, ChildSupport, ChildRisk, ChildCircumstance, ChildResidence,
                  Caregiver, Child, Household):
        model.objects.all().delete()
    Unit.objects.filter(level=Level.VILLAGE, province_code=province.code).delete()


class DeterminismTests:
    def test_the_same_seed_gives_the_same_register(self, province: Unit) -> None:
        generate(province=province, children=1500, seed=7)
        first = digest()
        wipe(province)
        generate(province=province, children=1500, seed=7)
        assert digest() == first

    def test_another_seed_gives_another_register(self, province: Unit) -> None:
        generate(province=province, children=1500, seed=7)
        first = digest()
        wipe(province)
        generate(province=province, children=1500, seed=8)
        assert digest() != first


class SizeAndPlaceTests:
    def test_it_puts_the_requested_number_of_children_on_the_register(
            self, province: Unit) -> None:
        result = generate(province=province, children=3000, seed=1)
        assert result.children == Child.objects.count()
        assert abs(Child.objects.count() - 3000) <= 30

    def test_every_child_gets_the_search_keys_of_its_name(self, province: Unit) -> None:
        generate(province=province, children=300, seed=1)
        for folded, prefixes in Child.objects.values_list("name_folded", "name_prefixes"):
            assert prefixes == word_prefixes(folded)

    def test_every_child_lives_under_its_commune_in_the_province(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=1)
        for child in Child.objects.select_related("commune", "village"):
            assert child.province_code == "04"
            assert child.commune.parent_id == province.pk
            assert child.unit_path.startswith(child.commune.path)
            assert child.village is not None and child.village.parent_id == child.commune_id
            assert child.unit_path == child.village.path
        assert not Household.objects.exclude(province_code="04").exists()
        assert not ChildResidence.objects.exclude(unit_path__startswith=province.path).exists()

    def test_communes_get_realistic_shares_of_the_children(self, province: Unit) -> None:
        generate(province=province, children=4000, seed=1)
        sizes = dict(Child.objects.values_list("commune").annotate(n=Count("id")))
        assert len(sizes) == 4
        # Full-scale sizes are 1,000–10,000 children, so no commune has more than ten times
        # another, scaled or not.
        assert max(sizes.values()) <= 10 * min(sizes.values())

    def test_communes_limits_which_communes_get_children(self, province: Unit) -> None:
        result = generate(province=province, children=2000, seed=1, communes=2)
        first_two = {unit.pk for unit in communes_of(province)[:2]}
        assert set(Child.objects.values_list("commune", flat=True).distinct()) == first_two
        assert result.communes == 2
        assert not Unit.objects.filter(level=Level.VILLAGE).exclude(
            parent__in=first_two).exists()

    def test_it_creates_villages_where_a_commune_has_none(self, province: Unit) -> None:
        result = generate(province=province, children=2000, seed=1)
        for commune in communes_of(province):
            villages = list(Unit.objects.filter(parent=commune, level=Level.VILLAGE))
            assert 5 <= len(villages) <= 25
            assert len({village.name_folded for village in villages}) == len(villages)
            for village in villages:
                assert village.kind in VILLAGE_KINDS
                assert village.name.startswith(village.kind + " ")
                assert village.code.startswith(commune.code + "-")
                assert village.path.startswith(commune.path)
                assert village.province_code == "04"
        assert result.villages_created == Unit.objects.filter(level=Level.VILLAGE).count()
        ward = communes_of(province)[0]
        assert Unit.objects.filter(parent=ward, kind="Tổ dân phố").exists()

    def test_it_keeps_the_villages_a_commune_already_has(self, province: Unit) -> None:
        commune = communes_of(province)[1]
        village = make_unit(parent=commune, level=Level.VILLAGE, code=f"{commune.code}-001",
                            name="Thôn Nà Pồng", kind="Thôn")
        generate(province=province, children=2000, seed=1)
        assert list(Unit.objects.filter(parent=commune, level=Level.VILLAGE)) == [village]
        assert Child.objects.filter(commune=commune).exclude(village=village).count() == 0
        assert Child.objects.filter(village=village).exists()

    def test_ids_continue_after_the_generated_rows(self, province: Unit) -> None:
        generate(province=province, children=500, seed=1)
        commune = communes_of(province)[0]
        household = Household.objects.create(commune=commune, unit_path=commune.path,
                                             province_code="04", head_name="Nông Văn Hùng",
                                             head_name_folded="nong van hung")
        assert household.pk > Household.objects.exclude(pk=household.pk).latest("pk").pk

    def test_it_records_one_audit_event_for_the_run(self, province: Unit) -> None:
        generate(province=province, children=500, seed=3)
        event = AuditEvent.objects.get()
        assert event.action == Action.DATA_LOADED
        assert event.unit_id == province.pk
        assert "seed=3" in event.reason

    def test_it_refuses_a_unit_that_is_not_a_current_province(self, province: Unit) -> None:
        with pytest.raises(ValueError):
            generate(province=communes_of(province)[0], children=10, seed=1)


class HouseholdTests:
    def test_households_hold_one_to_four_children_of_one_commune(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=2)
        households = Household.objects.annotate(
            n=Count("children"), communes=Count("children__commune", distinct=True))
        assert households.count() > 3000 / 4
        for household in households:
            assert 1 <= household.n <= 4
            assert household.communes == 1
        in_households = Child.objects.filter(household__isnull=False)
        assert not in_households.exclude(household__commune=F("commune")).exists()
        assert Child.objects.filter(household__isnull=True).count() <= 5  # in institutions

    def test_households_have_a_head_an_address_and_mostly_a_phone(self, province: Unit) -> None:
        generate(province=province, children=2000, seed=2)
        households = Household.objects.all()
        assert not households.filter(Q(head_name="") | Q(address="")).exists()
        with_phone = households.exclude(phone="").count() / households.count()
        assert with_phone > 0.75
        for phone in households.exclude(phone="").values_list("phone", flat=True)[:200]:
            assert len(phone) == 10 and phone.startswith("0") and phone.isdigit()

    def test_mountain_households_are_poorer(self, province: Unit) -> None:
        generate(province=province, children=2000, seed=2)
        poor = Household.objects.exclude(poverty_status=choices.PovertyStatus.NONE).count()
        assert poor / Household.objects.count() > 0.15

    def test_every_child_has_one_or_two_caregivers_one_of_them_primary(
            self, province: Unit) -> None:
        generate(province=province, children=2000, seed=2)
        counts = Child.objects.annotate(
            n=Count("caregivers"), primary=Count("caregivers", filter=Q(caregivers__is_primary=True)))
        assert set(counts.values_list("n", flat=True)) <= {1, 2}
        assert set(counts.values_list("primary", flat=True)) == {1}
        relations = dict(Caregiver.objects.values_list("relation").annotate(n=Count("id")))
        parents = relations[choices.Relation.MOTHER] + relations[choices.Relation.FATHER]
        assert parents / sum(relations.values()) > 0.8
        assert relations[choices.Relation.GRANDPARENT] > 0


class ChildFactsTests:
    def test_ages_are_0_to_17_on_the_reference_date(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=4)
        oldest = Child.objects.order_by("birth_date").first()
        youngest = Child.objects.order_by("-birth_date").first()
        assert oldest is not None and youngest is not None
        assert oldest.birth_date > years_before(REFERENCE_DATE, 18)
        assert youngest.birth_date <= REFERENCE_DATE
        under_one = Child.objects.filter(birth_date__gt=years_before(REFERENCE_DATE, 1)).count()
        assert under_one > 3000 / 30  # every age is represented, about 1/18 each

    def test_boys_outnumber_girls_about_112_to_100(self, province: Unit) -> None:
        generate(province=province, children=5000, seed=4)
        boys = Child.objects.filter(sex=choices.Sex.MALE).count()
        assert 1.0 < boys / (5000 - boys) < 1.25

    def test_birth_dates_are_mostly_exact(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=4)
        exact = Child.objects.filter(birth_date_precision=choices.DatePrecision.DAY).count()
        assert 0.9 < exact / 3000 < 1
        for child in Child.objects.filter(birth_date_precision=choices.DatePrecision.YEAR):
            assert (child.birth_date.month, child.birth_date.day) == (1, 1)

    def test_personal_ids_are_valid_unique_and_of_the_province(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=5)
        numbers = Child.objects.exclude(personal_id=None)
        assert 0.75 < numbers.count() / 3000 < 0.95
        for child in numbers:
            assert personal_id.matches(child.personal_id, birth_year=child.birth_date.year,
                                       female=child.sex == choices.Sex.FEMALE)
            assert child.personal_id.startswith("004")
            assert child.birth_registered
        assert numbers.values("personal_id").distinct().count() == numbers.count()
        registered = Child.objects.filter(birth_registered=True).count()
        assert 0.9 < registered / 3000 < 1

    def test_schooling_follows_age(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=5)
        school_year = REFERENCE_DATE.year - 1  # the school year that began in September
        for child in Child.objects.all():
            age = school_year - child.birth_date.year
            if age <= 2:
                assert child.school_level in (choices.SchoolLevel.NONE,
                                              choices.SchoolLevel.PRESCHOOL)
            if 6 <= age <= 10 and child.school_status == choices.SchoolStatus.IN_SCHOOL:
                assert child.school_level == choices.SchoolLevel.PRIMARY
            if age >= 15 and child.school_status == choices.SchoolStatus.IN_SCHOOL:
                assert child.school_level in (choices.SchoolLevel.UPPER_SECONDARY,
                                              choices.SchoolLevel.VOCATIONAL)
        primary_age = Child.objects.filter(birth_date__year__in=range(school_year - 10,
                                                                      school_year - 5))
        in_school = primary_age.filter(school_status=choices.SchoolStatus.IN_SCHOOL).count()
        assert in_school / primary_age.count() > 0.95

    def test_health_facts_follow_age(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=5)
        under_five = Child.objects.filter(birth_date__gt=years_before(REFERENCE_DATE, 5))
        assert not under_five.filter(vaccination_status="").exists()
        assert not under_five.filter(nutrition_status="").exists()
        older = Child.objects.filter(birth_date__lte=years_before(REFERENCE_DATE, 5))
        assert not older.exclude(vaccination_status="").exists()
        under_six = Child.objects.filter(birth_date__gt=years_before(REFERENCE_DATE, 6))
        insured = under_six.filter(health_insurance=True).count()
        assert insured / under_six.count() > 0.9

    def test_deaths_are_rare_and_after_birth(self, province: Unit) -> None:
        result = generate(province=province, children=5000, seed=5)
        dead = Child.objects.exclude(death_date=None)
        assert dead.count() == result.deaths <= 10
        for child in dead:
            assert child.birth_date <= child.death_date <= REFERENCE_DATE
            assert child.death_cause in choices.DeathCause.values


class HistoryTests:
    def test_special_circumstances_concern_0_7_to_4_percent_of_children(
            self, province: Unit) -> None:
        result = generate(province=province, children=5000, seed=6)
        special = Child.objects.filter(circumstances__isnull=False).distinct().count()
        assert special == result.children_in_special_circumstances
        assert 0.007 <= special / 5000 <= 0.04
        disability = ChildCircumstance.objects.filter(group__code__startswith="d").count()
        counts = ChildCircumstance.objects.values("group__parent__code").annotate(n=Count("id"))
        assert disability == max(row["n"] for row in counts)

    def test_disabled_children_have_a_type_and_a_degree(self, province: Unit) -> None:
        generate(province=province, children=5000, seed=6)
        disabled = Child.objects.filter(circumstances__group__code__startswith="d")
        assert disabled.exists()
        assert not disabled.filter(Q(disability_type="") | Q(disability_degree="")).exists()
        assert not Child.objects.exclude(disability_type="").exclude(
            circumstances__group__code__startswith="d").exists()

    def test_most_children_in_special_circumstances_get_support(self, province: Unit) -> None:
        generate(province=province, children=5000, seed=6)
        special = Child.objects.filter(circumstances__isnull=False).distinct()
        supported = special.filter(supports__isnull=False).distinct().count()
        assert supported / special.count() > 0.6

    def test_history_lies_between_birth_and_the_reference_date(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=6)
        for model in (ChildCircumstance, ChildRisk, ChildSupport, ChildResidence):
            for row in model.objects.select_related("child"):
                assert row.child.birth_date <= row.start_date <= REFERENCE_DATE
                assert row.end_date is None or row.start_date <= row.end_date <= REFERENCE_DATE
                assert row.province_code == "04"

    def test_a_few_statuses_changed_in_the_last_18_months(self, province: Unit) -> None:
        result = generate(province=province, children=5000, seed=6)
        rows = list(ChildStatusPast.objects.select_related("child"))
        assert len(rows) == result.statuses_past
        earliest = REFERENCE_DATE - datetime.timedelta(days=549)
        for row in rows:
            assert row.start_date is None and row.province_code == "04"
            assert max(row.child.birth_date, earliest) <= row.end_date < REFERENCE_DATE
            current = getattr(row.child, row.field)
            assert row.value != (("1" if current else "0") if row.field == "birth_registered"
                                 else current)
            assert row.child.death_date is None
        by_field = Counter(row.field for row in rows)
        under_five = Child.objects.filter(birth_date__gt=years_before(REFERENCE_DATE, 5)) \
            .exclude(nutrition_status__in=["", "unknown"]).count()
        pupils = Child.objects.filter(school_status__in=["in_school", "dropped_out"]).count()
        assert 0.015 <= by_field["nutrition_status"] / under_five <= 0.05
        assert 0.01 <= by_field["school_status"] / pupils <= 0.035
        assert by_field["birth_registered"] > 0
        # The status the indicators count for the period ending on the reference date is the
        # current one: every past value ended before it.
        assert not ChildStatusPast.objects.on(REFERENCE_DATE).exists()

    def test_every_child_has_exactly_one_open_residence(self, province: Unit) -> None:
        result = generate(province=province, children=3000, seed=6)
        open_rows = Child.objects.annotate(
            n=Count("residences", filter=Q(residences__end_date__isnull=True)))
        assert set(open_rows.values_list("n", flat=True)) == {1}
        for residence in ChildResidence.objects.filter(end_date__isnull=True).select_related(
                "child"):
            assert residence.commune_id == residence.child.commune_id
            assert residence.unit_path == residence.child.unit_path
        moved = ChildResidence.objects.filter(end_date__isnull=False)
        assert moved.count() == result.moves > 0
        for earlier in moved.select_related("child"):
            assert earlier.commune_id != earlier.child.commune_id
            assert earlier.start_date == earlier.child.birth_date


class EthnicMixTests:
    def test_a_cao_bang_like_province_is_mostly_tay_and_nung(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=9)
        tay_nung = Child.objects.filter(ethnicity__code__in=["02", "07"]).count()
        assert tay_nung / 3000 > 0.5
        mong = Child.objects.filter(ethnicity__code="08")
        assert mong.exists()
        assert Child.objects.values("ethnicity").distinct().count() >= 4

    def test_names_follow_the_people(self, province: Unit) -> None:
        generate(province=province, children=3000, seed=9)
        mong_names = Child.objects.filter(ethnicity__code="08").values_list("full_name", flat=True)
        mong_families = {"Giàng", "Vàng", "Sùng", "Thào", "Lù", "Ly", "Lý", "Hạng", "Mùa", "Chang",
                         "Hờ", "Vừ", "Tráng", "Cứ", "Lầu", "Mua", "Thò", "Sình"}
        assert all(name.split(" ")[0] in mong_families for name in mong_names)
        assert any(" A " in name for name in mong_names)

    def test_a_mekong_province_has_khmer_children(self, db: None) -> None:
        load_catalogues()
        province = make_province(code="86", name="Tỉnh Vĩnh Long",
                                 communes=(("29000", "Xã Hòa Minh"), ("29010", "Phường Trà Vinh")))
        generate(province=province, children=3000, seed=1)
        kinh = Child.objects.filter(ethnicity__code="01").count()
        assert kinh / 3000 > 0.6
        assert Child.objects.filter(ethnicity__code="05").exists()
        assert Unit.objects.filter(level=Level.VILLAGE, kind__in=["Ấp", "Khóm"]).exists()
        assert Child.objects.filter(personal_id__startswith="086").exists()


class NameTableTests:
    def test_every_one_of_the_54_peoples_lives_in_some_province(self) -> None:
        codes = {code for profile in profiles.PROFILES.values() for code in profile.mix}
        assert codes == {f"{number:02d}" for number in range(1, 55)}

    def test_ede_boys_are_y_and_girls_h(self) -> None:
        rng = random.Random(1)  # noqa: S311 - test data
        style = names.style_for("12", region=profiles.HIGHLANDS)
        family = style.family(rng)
        boy = style.name(rng, sex=names.MALE, generation=names.CHILD, family=family)
        girl = style.name(rng, sex=names.FEMALE, generation=names.CHILD, family=family)
        assert boy.startswith("Y ") and boy.endswith(" " + family)
        assert girl.startswith("H'") and girl.endswith(" " + family)
        assert style.matrilineal

    def test_kinh_names_follow_the_region(self) -> None:
        rng = random.Random(1)  # noqa: S311 - test data
        north = names.style_for("01", region=profiles.NORTH_DELTA)
        south = names.style_for("01", region=profiles.MEKONG)
        northern = {north.family(rng) for _ in range(3000)}
        southern = {south.family(rng) for _ in range(3000)}
        assert {"Nguyễn", "Hoàng", "Vũ"} <= northern and not {"Huỳnh", "Võ"} & northern
        assert {"Nguyễn", "Huỳnh", "Võ"} <= southern and not {"Hoàng", "Vũ"} & southern


class CommandTests:
    def test_it_generates_and_reports(self, province: Unit) -> None:
        out = StringIO()
        call_command("generate_children", "--province", "04", "--children", "300", "--seed", "1",
                     "--communes", "2", stdout=out)
        assert Child.objects.count() == 300
        assert "300 children in 2 communes" in out.getvalue()
        assert "Done in" in out.getvalue()

    def test_it_refuses_an_unknown_province(self, province: Unit) -> None:
        with pytest.raises(CommandError):
            call_command("generate_children", "--province", "99", "--children", "10")

    def test_it_takes_a_reference_date(self, province: Unit) -> None:
        call_command("generate_children", "--province", "04", "--children", "200",
                     "--reference-date", "2024-12-31", stdout=StringIO())
        assert Child.objects.filter(birth_date__gt=datetime.date(2024, 12, 31)).count() == 0
