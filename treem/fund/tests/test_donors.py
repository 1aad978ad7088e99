"""Donors caught on entry: the same tax code is refused, the same phone with a similar name
is refused until the officer confirms it is someone else; bad input writes nothing."""

from typing import Any

import pytest

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import exceptions as exc
from treem.fund import services
from treem.fund.models import Donor, Fund
from treem.testing import Tree, make_user, refused

pytestmark = pytest.mark.django_db


def rows() -> tuple[int, int]:
    return Donor.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def fund(tree: Tree) -> Fund:
    return services.fund_open(actor=None, unit=tree.province, name="Quỹ Bảo trợ trẻ em tỉnh")


@pytest.fixture
def manager(tree: Tree) -> Any:
    return make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)


def test_the_same_tax_code_is_refused_naming_the_donor_already_there(
        fund: Fund, manager: Any) -> None:
    services.donor_create(actor=manager, fund=fund, kind="business",
                          name="Công ty TNHH Sông Hiến", tax_code="0101234567")
    error = refused(services.donor_create, snapshot=rows, actor=manager, fund=fund,
                    kind="business", name="Cty Sông Hiến", tax_code="0101234567")
    assert error.message_dict["tax_code"] == [
        str(exc.TAX_CODE_TAKEN % {"name": "Công ty TNHH Sông Hiến"})]
    branch = services.donor_create(actor=manager, fund=fund, kind="business",
                                   name="Công ty Sông Hiến — chi nhánh Cao Bằng",
                                   tax_code="0101234567-001")
    assert branch.tax_code == "0101234567-001"


def test_a_similar_name_with_the_same_phone_waits_for_the_officers_word(
        fund: Fund, manager: Any) -> None:
    services.donor_create(actor=manager, fund=fund, kind="individual",
                          name="Nguyễn Thị Hoa", phone="0912 345 678")
    error = refused(services.donor_create, snapshot=rows, actor=manager, fund=fund,
                    kind="individual", name="nguyen thi  hoa", phone="+84912345678")
    assert error.message_dict["name"] == [str(exc.DONOR_SIMILAR % {"names": "Nguyễn Thị Hoa"})]
    # Another name on the same phone (her husband) and the same name on another phone pass.
    services.donor_create(actor=manager, fund=fund, kind="individual", name="Trần Văn Minh",
                          phone="0912345678")
    services.donor_create(actor=manager, fund=fund, kind="individual", name="Nguyễn Thị Hoa",
                          phone="0987654321")
    confirmed = services.donor_create(actor=manager, fund=fund, kind="individual",
                                      name="Nguyễn Thị Hoa", phone="0912345678",
                                      distinct_from_similar=True)
    assert confirmed.phone == "0912345678"
    assert Donor.objects.count() == 4


@pytest.mark.parametrize(("field", "values", "message"), [
    ("kind", {"kind": "alien"}, exc.CHOICE_UNKNOWN),
    ("name", {"name": "   "}, exc.DONOR_NAME_REQUIRED),
    ("tax_code", {"tax_code": "12345"}, exc.TAX_CODE_INVALID),
    ("phone", {"phone": "12"}, exc.PHONE_INVALID),
])
def test_bad_input_is_refused_in_vietnamese(fund: Fund, manager: Any, field: str,
                                            values: dict[str, str], message: Any) -> None:
    fields = {"kind": "individual", "name": "Lò Văn Pao", **values}
    error = refused(services.donor_create, snapshot=rows, actor=manager, fund=fund, **fields)
    assert error.message_dict[field] == [str(message)]
