"""The entry page, the history page and the /sector-figures API: what each persona sees and
may do, errors in Vietnamese beside their row, nothing of commune A for commune B."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role, Sector
from treem.accounts.services import token_create
from treem.audit.models import AuditEvent
from treem.geo.models import Unit
from treem.indicators import services
from treem.indicators.catalogue import current_versions
from treem.indicators.models import SectorFigure
from treem.indicators.tests.factories import load_entered, make_figure
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db

ENTRY = "/indicators/entry/"
API = "/api/v1/sector-figures"
SECRET_OF_A = "Giải trình riêng của xã A"


@pytest.fixture
def v(tree):
    return load_entered()


@pytest.fixture
def figure_a(tree, personas, v):
    return make_figure(version=v["CA1"], unit=tree.commune_a, period="2026S1", numerator=7,
                       comment=SECRET_OF_A, by=personas.officer)


def _client(user) -> Client:
    return login(Client(), user)


def _form(v, unit, fields: dict, period="2026S1") -> dict:
    """The entry page's POST: {(indicator code, field): value}, read now (every indicator's
    revision as the page shows it)."""
    data = {"unit": str(unit.public_id), "period": period}
    data.update({f"v{pk}-revision": str(revision) for pk, revision in services.revisions(
        list(v.values()), unit=unit, period=period).items()})
    data.update({f"v{v[code].pk}-{name}": value for (code, name), value in fields.items()})
    return data


def counts() -> tuple[int, int]:
    """Figures, and the audit events of their saves (signing in writes events of its own)."""
    return (SectorFigure.objects.count(),
            AuditEvent.objects.filter(object_type="indicators.sectorfigure").count())


class EntryPageTests:
    def test_the_officer_gets_its_commune_and_the_current_period(self, tree, personas,
                                                                  v) -> None:
        page = _client(personas.officer).get(ENTRY).content.decode()
        assert "Phường Thục Phán — kỳ 2026S2" in page
        assert "Xã Hòa An" not in page  # not a commune it enters for
        assert "YT1. Tỷ lệ trẻ em dưới 1 tuổi" in page and "CA1. Số vụ" in page
        assert "Tỷ số giới tính khi sinh" not in page  # yearly: another kind of period
        assert "Số trẻ em" not in page  # computed
        assert f'name="v{v["YT1"].pk}-n1"' in page  # the boys' numerator

    def test_a_period_of_another_kind_lists_its_indicators(self, tree, personas, v) -> None:
        page = _client(personas.officer).get(ENTRY, {"kind": "year"}).content.decode()
        assert "kỳ 2026" in page and "Tỷ số giới tính khi sinh" in page
        assert "CA1" not in page

    def test_the_previous_periods_value_is_shown_beside(self, tree, personas, v) -> None:
        make_figure(version=v["YT1"], unit=tree.commune_a, period="2025S2", numerator=40,
                    denominator=50, by=personas.officer)
        page = _client(personas.officer).get(ENTRY, {"period": "2026S1"}).content.decode()
        assert "Kỳ trước (2025S2)" in page and "<td>80</td>" in page

    def test_the_police_focal_point_gets_its_sector_and_every_commune_of_its_province(
            self, tree, personas, v) -> None:
        page = _client(personas.sector_focal).get(
            ENTRY, {"unit": str(tree.commune_b.public_id)}).content.decode()
        assert "Xã Hòa An — kỳ 2026S2" in page and "Phường Thục Phán" in page
        assert "CA1" in page and "YT1" not in page
        assert "Phường Hoàn Kiếm" not in page

    def test_a_sector_without_indicators_is_told_so(self, tree, v) -> None:
        justice = make_user("tuphap", role=Role.SECTOR_FOCAL, unit=tree.province,
                            sector=Sector.JUSTICE)
        page = _client(justice).get(ENTRY).content.decode()
        assert ("Không có chỉ tiêu nào do ngành của bạn nhập số liệu cho cấp của đơn vị này."
                in page)

    def test_a_wrong_period_is_explained(self, tree, personas, v) -> None:
        page = _client(personas.officer).get(ENTRY, {"period": "2026X"}).content.decode()
        assert "Kỳ “2026X” không hợp lệ" in page

    def test_the_officer_saves_the_page_and_is_sent_back_to_it(self, tree, personas,
                                                               v) -> None:
        data = _form(v, tree.commune_a, {("CA1", "n0"): "3", ("YT1", "n0"): "45",
                                           ("YT1", "d0"): "50", ("YT1", "n1"): "20",
                                           ("YT1", "d1"): "22", ("YT1", "n2"): "25",
                                           ("YT1", "d2"): "28"})
        client = _client(personas.officer)
        response = client.post(ENTRY, data)
        assert response.status_code == 302
        assert response["Location"] == (f"{ENTRY}?unit={tree.commune_a.public_id}"
                                        "&period=2026S1")
        assert counts() == (4, 2)
        page = client.get(response["Location"]).content.decode()
        assert "Đã lưu số liệu kỳ 2026S1 của Phường Thục Phán (2 chỉ tiêu)." in page
        assert 'value="45"' in page and "Lịch sử" in page

    def test_an_error_is_shown_beside_its_row_and_nothing_is_saved(self, tree, personas,
                                                                   v) -> None:
        data = _form(v, tree.commune_a, {("CA1", "n0"): "3", ("YT1", "n0"): "51",
                                           ("YT1", "d0"): "50"})
        before = counts()
        response = _client(personas.officer).post(ENTRY, data)
        assert response.status_code == 200 and counts() == before
        page = response.content.decode()
        assert "Chưa lưu: hãy sửa các chỉ tiêu có lỗi." in page
        assert "Tử số không được lớn hơn mẫu số." in page
        assert 'value="51"' in page  # what was typed stays

    def test_a_change_beyond_the_threshold_asks_for_the_comment_in_its_field(
            self, tree, personas, v) -> None:
        make_figure(version=v["CA1"], unit=tree.commune_a, period="2025S2", numerator=10,
                    by=personas.officer)
        data = _form(v, tree.commune_a, {("CA1", "n0"): "3"})
        page = _client(personas.officer).post(ENTRY, data).content.decode()
        assert "Số liệu thay đổi hơn 20% so với kỳ trước (10): hãy ghi giải trình." in page
        data[f"v{v['CA1'].pk}-comment"] = "Năm nay ít vụ hơn"
        assert _client(personas.officer).post(ENTRY, data).status_code == 302
        assert SectorFigure.objects.get(period="2026S1").comment == "Năm nay ít vụ hơn"

    def test_saving_an_unchanged_page_writes_nothing(self, tree, personas, v,
                                                     figure_a) -> None:
        data = _form(v, tree.commune_a, {("CA1", "n0"): "7",
                                           ("CA1", "comment"): SECRET_OF_A})
        before = counts()
        assert _client(personas.officer).post(ENTRY, data).status_code == 302
        assert counts() == before

    def test_the_officer_of_commune_b_gets_404_for_commune_a(self, tree, personas, v,
                                                             figure_a) -> None:
        client = _client(personas.outsider)
        assert client.get(ENTRY, {"unit": str(tree.commune_a.public_id)}).status_code == 404
        before = counts()
        data = _form(v, tree.commune_a, {("CA1", "n0"): "9"})
        assert client.post(ENTRY, data).status_code == 404
        assert counts() == before
        own = client.get(ENTRY, {"period": "2026S1"}).content.decode()
        assert "Xã Hòa An" in own and "Phường Thục Phán" not in own and SECRET_OF_A not in own

    def test_a_malformed_unit_is_not_found(self, tree, personas, v) -> None:
        assert _client(personas.officer).get(ENTRY, {"unit": "abc"}).status_code == 404

    @pytest.mark.parametrize("persona", ["chairman", "province_officer", "auditor",
                                         "collaborator", "intake", "admin"])
    def test_a_persona_without_the_capability_gets_403(self, tree, personas, v,
                                                       persona) -> None:
        client = _client(getattr(personas, persona))
        assert client.get(ENTRY).status_code == 403
        assert client.post(ENTRY, _form(v, tree.commune_a,
                                        {("CA1", "n0"): "9"})).status_code == 403
        assert not SectorFigure.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, tree, v) -> None:
        response = Client().get(ENTRY)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login"))

    def test_the_page_reads_a_fixed_number_of_queries(self, tree, personas, v,
                                                      django_assert_max_num_queries) -> None:
        client = _client(personas.officer)
        client.get(ENTRY)  # warm the session
        with django_assert_max_num_queries(20):
            client.get(ENTRY, {"period": "2026S1"})


class StalePageTests:
    """Two officers opened the page at once (issue 12): the second save is shown both
    values and saves nothing, until saved again after seeing them."""

    def test_a_figure_saved_since_is_shown_beside_the_officers_and_saved_on_the_second_try(
            self, tree, personas, v) -> None:
        import re

        services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S1",
                              version=v["CA1"], rows=[{"numerator": 7}])
        pk = v["CA1"].pk
        data = _form(v, tree.commune_a, {("CA1", "n0"): "9", ("CA1", "comment"): ""})
        data |= {f"initial-v{pk}-n0": "7", f"initial-v{pk}-comment": ""}
        services.figures_save(actor=personas.sector_focal, unit=tree.commune_a,
                              period="2026S1", version=v["CA1"], rows=[{"numerator": 8}])
        client = _client(personas.officer)
        before = counts()
        response = client.post(ENTRY, data)
        assert response.status_code == 200 and counts() == before
        page = response.content.decode()
        assert "«9»" in page and "«8»" in page and "Chưa ghi gì" in page
        assert f'name="v{pk}-n0" value="9"' in page  # the officer's number kept
        revision = re.search(rf'name="v{pk}-revision" value="(\d+)"', page)
        assert revision is not None and revision.group(1) == "4"  # read again at now
        assert f'name="initial-v{pk}-n0" value="8"' in page
        data |= {f"v{pk}-revision": "4", f"initial-v{pk}-n0": "8"}
        assert client.post(ENTRY, data).status_code == 302
        assert SectorFigure.objects.current().get(version=v["CA1"]).numerator == 9

    def test_a_post_without_the_revision_read_saves_nothing(self, tree, personas, v) -> None:
        data = _form(v, tree.commune_a, {("CA1", "n0"): "9"})
        del data[f"v{v['CA1'].pk}-revision"]
        response = _client(personas.officer).post(ENTRY, data)
        assert response.status_code == 200 and SectorFigure.objects.count() == 0
        assert "hãy mở lại trang sửa" in response.content.decode()


class HistoryPageTests:
    def test_the_history_shows_the_current_and_the_superseded_rows(self, tree, personas, v,
                                                                   figure_a) -> None:
        services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S1",
                              version=v["CA1"], rows=[{"numerator": 8}])
        page = _client(personas.officer).get(
            f"/indicators/figures/{figure_a.public_id}/history/").content.decode()
        assert page.count("<tr>") == 3  # head and two rows
        assert "thay thế lúc" in page and "đang dùng" in page and SECRET_OF_A in page

    def test_the_officer_of_commune_b_gets_404(self, tree, personas, figure_a) -> None:
        response = _client(personas.outsider).get(
            f"/indicators/figures/{figure_a.public_id}/history/")
        assert response.status_code == 404

    def test_a_reader_of_indicators_above_sees_it(self, tree, personas, figure_a) -> None:
        response = _client(personas.auditor).get(
            f"/indicators/figures/{figure_a.public_id}/history/")
        assert response.status_code == 200

    def test_a_persona_reading_no_indicators_gets_403(self, tree, personas, figure_a) -> None:
        response = _client(personas.collaborator).get(
            f"/indicators/figures/{figure_a.public_id}/history/")
        assert response.status_code == 403


def _api(user) -> Client:
    _token, raw = token_create(user=user, name="test", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


BODY = {"unit": "01273", "period": "2026S1", "indicator_set": "thu-nganh", "indicator": "YT1",
        "rows": [{"breakdown": "", "numerator": 45, "denominator": 50},
                 {"breakdown": "sex=m", "numerator": 20, "denominator": 22},
                 {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]}


def read_now(body: dict) -> str:
    """The If-Match of a client that read the indicator's figures just now."""
    unit = Unit.objects.current().filter(code=body["unit"]).first()
    version = current_versions().filter(indicator__indicator_set__code=body["indicator_set"],
                                        indicator__code=body["indicator"]).first()
    if unit is None or version is None:
        return '"1"'
    return f'"{services.revisions([version], unit=unit, period=body["period"])[version.pk]}"'


def put(client: Client, body: dict, if_match: str | None = ""):
    """PUT the figures, read now unless `if_match` says otherwise (None: no If-Match)."""
    headers = {} if if_match is None else {"If-Match": if_match or read_now(body)}
    return client.put(API, json.dumps(body), content_type="application/json", headers=headers)


class FiguresApiTests:
    def test_the_officer_reads_its_communes_figures(self, tree, personas, figure_a) -> None:
        found = _api(personas.officer).get(API, {"unit": "01273", "period": "2026S1"}).json()
        assert [(f["indicator"], f["numerator"], f["denominator"], f["comment"])
                for f in found] == [("CA1", 7, None, SECRET_OF_A)]

    def test_the_officer_of_commune_b_gets_404_and_nothing_of_a(self, tree, personas,
                                                                figure_a) -> None:
        client = _api(personas.outsider)
        assert client.get(API, {"unit": "01273", "period": "2026S1"}).status_code == 404
        assert client.get(API, {"unit": "01279", "period": "2026S1"}).json() == []
        before = counts()
        assert put(client, BODY).status_code == 404
        assert counts() == before

    def test_a_wrong_period_is_422(self, tree, personas, figure_a) -> None:
        response = _api(personas.officer).get(API, {"unit": "01273", "period": "26"})
        assert response.status_code == 422

    def test_the_officer_saves_an_indicator(self, tree, personas, v) -> None:
        response = put(_api(personas.officer), BODY)
        assert response.status_code == 200, response.content
        assert [(f["breakdown"], f["numerator"]) for f in response.json()] == [
            ("", 45), ("sex=f", 25), ("sex=m", 20)]
        assert AuditEvent.objects.filter(unit=tree.commune_a,
                                         object_type="indicators.sectorfigure").count() == 1

    def test_the_revision_is_read_with_the_figures_and_named_by_the_put(self, tree,
                                                                         personas, v) -> None:
        client = _api(personas.officer)
        response = put(client, BODY, if_match='"1"')  # nothing entered yet: revision 1
        assert response.status_code == 200 and response["ETag"] == '"4"'
        assert {f["revision"] for f in response.json()} == {4}
        read = client.get(API, {"unit": "01273", "period": "2026S1"}).json()
        assert {f["revision"] for f in read if f["indicator"] == "YT1"} == {4}

    def test_a_put_without_if_match_is_428_and_writes_nothing(self, tree, personas, v) -> None:
        response = put(_api(personas.officer), BODY, if_match=None)
        assert response.status_code == 428 and SectorFigure.objects.count() == 0
        assert "If-Match" in response.json()["detail"]

    def test_a_stale_put_of_figures_changed_since_is_412_with_both_values(
            self, tree, personas, v) -> None:
        client = _api(personas.officer)
        assert put(client, BODY, if_match='"1"').status_code == 200
        changed = {**BODY, "rows": [{"breakdown": "", "numerator": 46, "denominator": 50},
                                    {"breakdown": "sex=m", "numerator": 21, "denominator": 22},
                                    BODY["rows"][2]]}
        assert put(client, changed, if_match='"4"').status_code == 200
        before = counts()
        response = put(client, BODY, if_match='"4"')
        assert response.status_code == 412 and counts() == before
        assert response["ETag"] == '"8"'
        body = response.json()
        assert [(c["field"], c["mine"]["numerator"], c["theirs"]["numerator"])
                for c in body["conflicts"]] == [("total", 45, 46), ("sex=m", 20, 21)]
        assert body["version"] == 8 and "«45/50»" in body["detail"]
        assert put(client, BODY, if_match='"8"').status_code == 200  # read again: saved

    @pytest.mark.parametrize(("change", "message"), [
        ({"period": "2026"}, "kỳ “2026” không phù hợp"),
        ({"rows": [{"numerator": 51, "denominator": 50}]}, "Tử số không được lớn hơn mẫu số."),
        ({"rows": [{"numerator": 5}]}, "Hãy nhập mẫu số."),
        ({"rows": [{"numerator": -5, "denominator": 9}]}, "Phải lớn hơn hoặc bằng 0."),
        ({"rows": BODY["rows"][:2]}, "Tổng tử số theo giới tính (20)"),
        ({"indicator": "ZZ9"}, "Không có chỉ tiêu hiện hành nào"),
    ])
    def test_a_refusal_is_422_with_its_message_and_writes_nothing(self, tree, personas, v,
                                                                  change, message) -> None:
        before = counts()
        response = put(_api(personas.officer), {**BODY, **change})
        assert response.status_code == 422 and message in response.json()["detail"]
        assert counts() == before

    def test_a_change_beyond_the_threshold_needs_the_comment(self, tree, personas, v) -> None:
        make_figure(version=v["YT1"], unit=tree.commune_a, period="2025S2", numerator=10,
                    denominator=50, by=personas.officer)
        client = _api(personas.officer)
        assert put(client, BODY).status_code == 422
        assert put(client, {**BODY, "comments": {"": "Chiến dịch tiêm bù"}}).status_code == 200

    def test_a_focal_point_of_another_sector_gets_403(self, tree, personas, v) -> None:
        before = counts()
        response = put(_api(personas.sector_focal), BODY)
        assert response.status_code == 403 and counts() == before

    def test_the_police_focal_point_saves_its_count(self, tree, personas, v) -> None:
        body = {**BODY, "unit": "01279", "indicator": "CA1", "rows": [{"numerator": 2}]}
        assert put(_api(personas.sector_focal), body).status_code == 200

    @pytest.mark.parametrize("persona", ["chairman", "auditor", "province_officer",
                                         "collaborator", "intake", "admin"])
    def test_a_persona_that_may_not_enter_gets_403(self, tree, personas, v, persona) -> None:
        assert put(_api(getattr(personas, persona)), BODY).status_code == 403
        assert not SectorFigure.objects.exists()

    def test_an_anonymous_caller_gets_401(self, tree, v) -> None:
        assert Client().get(API, {"unit": "01273", "period": "2026S1"}).status_code == 401
        assert put(Client(), BODY).status_code == 401
