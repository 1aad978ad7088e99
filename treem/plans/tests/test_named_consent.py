"""Naming a child in an activity rests on a consent (Luật 91/2025/QH15 Điều 24 khoản 2): refused
with the reason when none holds on the day, the consent kept on the row; once it is withdrawn
the name appears nowhere (the activity's page, the API, the search leaves it free again)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.audit.models import AuditEvent
from treem.plans.activities import named, services
from treem.plans.activities.models import Activity, ActivityType, NamedChild
from treem.registry.consent import services as consents
from treem.registry.models import Child, ChildConsent, years_before
from treem.registry.tests.factories import make_child, make_consent
from treem.testing import Personas, Tree, login, messages_of, refused

pytestmark = pytest.mark.django_db

REASON = "Đại biểu trẻ em của xã dự diễn đàn cấp tỉnh"


def today() -> datetime.date:
    return timezone.localdate()


def rows() -> tuple[int, int]:
    return NamedChild.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def activity(personas: Personas, tree: Tree) -> Activity:
    day = today() - datetime.timedelta(days=3)
    return services.activity_create(
        actor=personas.officer, unit=tree.commune_a,
        type=ActivityType.objects.get(code="children-forum"), title="Diễn đàn trẻ em xã",
        start_date=day, end_date=day, forum_level="commune", children=20)


@pytest.fixture
def child(tree: Tree) -> Child:
    return make_child(commune=tree.commune_a, full_name="Lò Thị Mai")


def name(personas: Personas, activity: Activity, child: Child) -> NamedChild:
    return named.named_add(actor=personas.officer, activity=activity,
                           child_id=child.public_id, reason=REASON)


def withdraw(personas: Personas, consent: ChildConsent) -> None:
    consents.consent_withdraw(actor=personas.officer, consent=consent,
                              base_version=consent.version, withdrawn_on=today())


class NamingNeedsConsentTests:
    def test_without_a_consent_naming_is_refused_with_the_reason(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=child.public_id, reason=REASON)
        assert "Chưa có sự đồng ý bằng văn bản" in messages_of(error, "child")[0]
        make_consent(child=child, by=personas.officer, purpose="photo_evidence")
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=child.public_id, reason=REASON)
        assert "Nêu tên trẻ trong hoạt động" in messages_of(error, "child")[0]

    def test_the_consent_relied_upon_is_kept_on_the_row(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        consent = make_consent(child=child, by=personas.officer)
        assert name(personas, activity, child).consent == consent

    def test_a_parents_consent_given_at_six_no_longer_names_a_child_of_seven(
            self, tree: Tree, personas: Personas, activity: Activity) -> None:
        seven = make_child(commune=tree.commune_a, full_name="Lò Văn Bảy",
                           birth_date=years_before(today(), 7) - datetime.timedelta(days=2))
        make_consent(child=seven, by=personas.officer, child_agreed=False,
                     given_on=today() - datetime.timedelta(days=10))
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=seven.public_id, reason=REASON)
        assert messages_of(error, "child")[0].startswith("Trẻ đã đủ 7 tuổi: cần có sự đồng ý")
        make_consent(child=seven, by=personas.officer)  # the child agrees too, at seven
        assert name(personas, activity, seven).child == seven

    def test_the_page_and_the_api_say_why_in_vietnamese(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        client = login(Client(), personas.officer)
        page = client.post(reverse("plans:named_add", args=[activity.public_id]),
                           {"q": "lo thi", "child": str(child.public_id), "reason": REASON})
        assert page.status_code == 200
        assert "Chưa có sự đồng ý bằng văn bản" in page.content.decode()
        answer = client.post(f"/api/v1/activities/{activity.public_id}/children",
                             {"child": str(child.public_id), "reason": REASON},
                             content_type="application/json")
        assert answer.status_code == 422
        assert "Chưa có sự đồng ý bằng văn bản" in answer.json()["errors"][0]["msg"]
        assert not NamedChild.objects.exists()


class WithdrawalHidesTests:
    def test_a_withdrawn_consent_hides_the_name_everywhere(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        consent = make_consent(child=child, by=personas.officer)
        item = name(personas, activity, child)
        client = login(Client(), personas.officer)
        detail = reverse("plans:activity_detail", args=[activity.public_id])
        api = f"/api/v1/activities/{activity.public_id}/children"
        assert "Lò Thị Mai" in client.get(detail).content.decode()
        withdraw(personas, consent)
        assert "Lò Thị Mai" not in client.get(detail).content.decode()
        assert client.get(api).json() == {"items": [], "hidden": 0}
        assert client.post(reverse("plans:named_remove", args=[activity.public_id,
                                                             item.public_id])).status_code == 404
        assert client.delete(f"{api}/{item.public_id}").status_code == 404
        for reader in ("officer", "chairman", "province_officer", "auditor"):
            shown = named.named_for(user=getattr(personas, reader), activity=activity)
            assert (shown.shown, shown.hidden) == ([], 0)
        # The row is kept (what was published, and until when), hidden.
        assert NamedChild.objects.get().consent == consent

    def test_the_child_may_be_named_again_on_a_new_consent(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        consent = make_consent(child=child, by=personas.officer)
        name(personas, activity, child)
        withdraw(personas, consent)
        assert named.candidates(actor=personas.officer, activity=activity, q="lo thi") == [child]
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=child.public_id, reason=REASON)
        assert "đã được rút lại" in messages_of(error, "child")[0]
        again = make_consent(child=child, by=personas.officer)
        item = name(personas, activity, child)
        assert item.consent == again and NamedChild.objects.count() == 1
        assert [n.child for n in named.named_for(user=personas.officer,
                                                 activity=activity).shown] == [child]

    def test_a_name_recorded_before_consents_were_stays(
            self, personas: Personas, activity: Activity, child: Child) -> None:
        NamedChild.objects.create(activity=activity, child=child, reason=REASON,
                                  added_by=personas.officer)
        assert len(named.named_for(user=personas.officer, activity=activity).shown) == 1
