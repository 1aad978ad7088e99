"""The online lookup of a child's personal id: through the adapter the setting names (the
FAKE service by default), recorded as a read of the child with its purpose, limited per user
and hour, retried on a timeout, refused without the capability or the right to edit the
child; an answer agreeing with the register records the id as verified."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from treem.audit.models import Action, AuditEvent
from treem.privacy.models import PersonalIdVerification
from treem.privacy.population import lookup
from treem.privacy.population.lookup import (
    FakePopulationLookup,
    LookupUnavailable,
    PersonAnswer,
    PopulationLookup,
    population_lookup,
)
from treem.privacy.tests.population_world import ID_ONE, ID_TWO
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db
PURPOSE = "Xác minh số định danh để làm thẻ BHYT"
API = "/api/v1"


@pytest.fixture(autouse=True)
def fresh_fake() -> Iterator[None]:
    FakePopulationLookup.answers = {}
    FakePopulationLookup.calls = 0
    yield
    FakePopulationLookup.answers = {}


@pytest.fixture
def child(tree: Tree) -> Any:
    return make_child(commune=tree.commune_a, full_name="Lò Văn Một", personal_id=ID_ONE)


def lookups() -> int:
    return AuditEvent.objects.filter(action=Action.VIEW,
                                     reason__startswith=lookup.AUDIT_PREFIX).count()


class LookupTests:
    def test_the_fake_service_is_the_default_and_says_it_is_a_fake(self) -> None:
        assert lookup.is_fake()
        assert isinstance(lookup.adapter(), PopulationLookup)
        assert "FAKE" in (FakePopulationLookup.__doc__ or "")

    def test_an_agreeing_answer_records_the_id_as_verified_and_the_read(
            self, personas: Personas, child: Any) -> None:
        result = population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert result.found and result.differences == []
        verification = PersonalIdVerification.objects.get()
        assert (verification.child, verification.personal_id, verification.source) == (
            child, ID_ONE, "lookup")
        event = AuditEvent.objects.get(action=Action.VIEW)
        assert event.reason == f"{lookup.AUDIT_PREFIX}{PURPOSE}"
        assert event.object_id == str(child.public_id) and event.actor == personas.officer

    def test_a_disagreeing_answer_lists_the_differences_and_verifies_nothing(
            self, personas: Personas, child: Any) -> None:
        FakePopulationLookup.answers[ID_ONE] = PersonAnswer(
            full_name="Lò Văn Mốt", birth_date=datetime.date(2015, 3, 2), sex="m",
            permanent_residence="Phường Thục Phán")
        result = population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert [d.field for d in result.differences] == ["full_name", "birth_date"]
        assert not PersonalIdVerification.objects.exists()

    def test_not_found_is_an_answer(self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, personal_id="001215000000")
        assert population_lookup(actor=personas.officer, child=child,
                                 purpose=PURPOSE).answer is None

    @override_settings(TREEM_POPULATION_LOOKUP_RETRIES=2, TREEM_POPULATION_LOOKUP_BACKOFF=0)
    def test_a_timeout_is_retried_then_refused_and_still_audited(
            self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, personal_id="001215000999")
        with pytest.raises(ValidationError) as error:
            population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert "đã thử 3 lần" in error.value.messages[0]
        assert FakePopulationLookup.calls == 3
        assert lookups() == 1

    @override_settings(TREEM_POPULATION_LOOKUP_PER_HOUR=2)
    def test_lookups_are_limited_per_user_and_hour(self, tree: Tree, personas: Personas,
                                                   child: Any) -> None:
        population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        with pytest.raises(ValidationError) as error:
            population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert "đã tra cứu 2 lần trong một giờ qua" in error.value.messages[0]
        assert lookups() == 2 and FakePopulationLookup.calls == 2
        # Another user has its own allowance.
        population_lookup(actor=personas.chairman, child=child, purpose=PURPOSE)
        # An hour later the first user's lookups no longer count.
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1, minutes=1)
        assert lookup.lookups_in_last_hour(personas.officer) == 2
        assert lookup.lookups_in_last_hour(personas.officer, now=later) == 0

    def test_a_purpose_is_required(self, personas: Personas, child: Any) -> None:
        with pytest.raises(ValidationError) as error:
            population_lookup(actor=personas.officer, child=child, purpose="xem")
        assert "mục đích tra cứu" in error.value.message_dict["purpose"][0]
        assert lookups() == 0

    def test_a_child_without_an_id_cannot_be_looked_up(self, tree: Tree,
                                                       personas: Personas) -> None:
        child = make_child(commune=tree.commune_a)
        with pytest.raises(ValidationError):
            population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert lookups() == 0

    def test_an_officer_of_another_commune_may_not_look_up(
            self, personas: Personas, child: Any) -> None:
        with pytest.raises(PermissionDenied):
            population_lookup(actor=personas.outsider, child=child, purpose=PURPOSE)
        assert lookups() == 0

    @override_settings(TREEM_POPULATION_LOOKUP="treem.privacy.tests.test_population_lookup."
                                               "AlwaysDown")
    def test_the_setting_chooses_the_adapter(self, personas: Personas, child: Any) -> None:
        assert not lookup.is_fake()
        with override_settings(TREEM_POPULATION_LOOKUP_BACKOFF=0), \
                pytest.raises(ValidationError):
            population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        assert AlwaysDown.timeouts == [lookup.DEFAULT_TIMEOUT]


class AlwaysDown:
    """An adapter whose service never answers (it records the timeout it was given)."""

    timeouts: list[float] = []

    def __init__(self, *, timeout: float) -> None:
        type(self).timeouts = [timeout]

    def lookup(self, personal_id: str) -> PersonAnswer | None:
        raise LookupUnavailable("down")


class LookupPageTests:
    def test_the_page_shows_the_answer_and_that_it_is_a_fake(
            self, client: Client, personas: Personas, child: Any) -> None:
        login(client, personas.officer)
        url = reverse("privacy:population_lookup", args=[child.public_id])
        assert "Dịch vụ giả lập" in client.get(url).content.decode()
        response = client.post(url, {"purpose": PURPOSE})
        assert "Thông tin khớp với sổ theo dõi" in response.content.decode()

    def test_outsider_404_reader_403(self, client: Client, personas: Personas,
                                     child: Any) -> None:
        url = reverse("privacy:population_lookup", args=[child.public_id])
        assert login(Client(), personas.outsider).get(url).status_code == 404
        assert login(Client(), personas.province_officer).get(url).status_code == 403
        assert login(Client(), personas.collaborator).get(url).status_code == 403
        assert lookups() == 0

    def test_the_api_answers_with_the_fake_flag(self, personas: Personas, child: Any) -> None:
        response = login(Client(), personas.officer).post(
            f"{API}/population/children/{child.public_id}/lookup", {"purpose": PURPOSE},
            content_type="application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["found"] and body["fake"] and body["verified"]
        assert body["full_name"] == "Lò Văn Một"

    @override_settings(TREEM_POPULATION_LOOKUP_PER_HOUR=1)
    def test_the_api_refuses_past_the_limit(self, personas: Personas, tree: Tree) -> None:
        child = make_child(commune=tree.commune_a, sex="f", personal_id=ID_TWO)
        client = login(Client(), personas.officer)
        url = f"{API}/population/children/{child.public_id}/lookup"
        assert client.post(url, {"purpose": PURPOSE},
                           content_type="application/json").status_code == 200
        refused = client.post(url, {"purpose": PURPOSE}, content_type="application/json")
        assert refused.status_code == 422
        assert "mức tối đa" in refused.json()["detail"]


class IndicatorTests:
    def test_children_with_a_verified_id_are_counted_once_in_their_commune(
            self, tree: Tree, personas: Personas, child: Any) -> None:
        from treem.indicators import compute, periods
        from treem.indicators.spec import parse
        from treem.privacy.population import indicators

        indicators.register()  # as PrivacyConfig.ready does
        population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        other = make_child(commune=tree.commune_a, sex="f", personal_id=ID_TWO)
        population_lookup(actor=personas.officer, child=other, purpose=PURPOSE)
        # A verified id since replaced no longer counts.
        other.personal_id = "001315000223"
        other.save(update_fields=["personal_id"])
        spec = parse({"numerator": {"population": "verified_id_children"}}, unit_kind="count")
        year = str(datetime.date.today().year)
        values = compute.compute({"x": spec}, periods.parse(year), tree.province.path)
        cells = {commune: cell.numerator for (_k, commune, breakdown), cell in values.items()
                 if breakdown == ""}
        assert cells == {tree.commune_a.pk: 1}

    def test_bac_sons_plan_reports_the_share_of_children_with_a_verified_id(
            self, tree: Tree, personas: Personas, child: Any) -> None:
        """The shipped indicator BS12 (Bắc Sơn's plan, task 10: the child data cleaned and
        linked with the population database): verified ids over the children on record."""
        import json

        from treem.indicators import compute, periods
        from treem.indicators.catalogue import DATA
        from treem.indicators.spec import parse
        from treem.privacy.population import indicators

        indicators.register()
        shipped = json.loads((DATA / "bac-son-2024.json").read_text())
        [row] = [i for i in shipped["indicators"] if i["code"] == "BS12"]
        make_child(commune=tree.commune_a, full_name="Chưa Xác Thực")
        population_lookup(actor=personas.officer, child=child, purpose=PURPOSE)
        spec = parse(row["spec"], unit_kind=row["unit_kind"])
        year = str(datetime.date.today().year)
        values = compute.compute({"x": spec}, periods.parse(year), tree.province.path)
        [cell] = [cell for (_k, commune, breakdown), cell in values.items()
                  if breakdown == "" and commune == tree.commune_a.pk]
        assert (cell.numerator, cell.denominator) == (1, 2)
