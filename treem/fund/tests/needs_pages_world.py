"""The records the needs' page tests share: the fund world of the scope test (its funds,
needs, allocations, deliveries and proofs in commune A, commune B and the other province)
around two named children, and small helpers."""

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse
from PIL import Image

from treem.accounts.models import User
from treem.audit.models import Action, AuditEvent
from treem.fund.models import Allocation, Delivery, DeliveryProof, Need
from treem.registry.models import Child
from treem.registry.tests.factories import make_child, make_household
from treem.testing import Personas, Tree, login
from treem.web.tests.scope_fund import FundWorld, fund_world

CHILD_OF_A, CHILD_OF_B = "Lục Thị Mai", "Hoàng Văn Bảo"
PDF = b"%PDF-1.4\n% bien nhan co chu ky\n"


@dataclass
class Pages:
    tree: Tree
    personas: Personas
    fund: FundWorld
    child_a: Child
    child_b: Child
    officer_c: User      # the other province's commune officer
    province_c: User     # the other province's area officer

    def as_(self, user: User) -> Client:
        return login(Client(), user)


def make_pages(tree: Tree, personas: Personas) -> Pages:
    household = make_household(commune=tree.commune_a, head_name="Lục Văn Pháo")
    child_a = make_child(commune=tree.commune_a, full_name=CHILD_OF_A, household=household,
                         birth_date=datetime.date(2016, 3, 4))
    child_b = make_child(commune=tree.commune_b, full_name=CHILD_OF_B,
                         birth_date=datetime.date(2015, 5, 6))
    world = fund_world(tree, personas, child_a, child_b)
    return Pages(tree, personas, world, child_a, child_b,
                 User.objects.get(username="officer_c_fund"),
                 User.objects.get(username="province_c_fund"))


def url(name: str, obj: Any) -> str:
    return reverse(f"fund:{name}", args=[obj.public_id])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def upload(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def snapshot() -> tuple[int, ...]:
    return (Need.objects.count(), Allocation.objects.count(), Delivery.objects.count(),
            DeliveryProof.objects.count(), AuditEvent.objects.exclude(action=Action.VIEW).count())


