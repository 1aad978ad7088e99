"""The case list shows what tells its rows apart (the case number, the forms of abuse, the step,
the next running deadline), sorts by the column that matters and pages, in a bounded number of
queries, and never shows another commune's case whatever its parameters."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.cases import selectors, services
from treem.cases.choices import AbuseForm
from treem.cases.models import Case, CaseDeadline
from treem.cases.tests.test_services import RECEIVED, _notify
from treem.registry.tests.factories import make_child
from treem.testing import login

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _open(personas, commune, name: str, officer=None, **report) -> Case:
    child = make_child(commune=commune, full_name=name)
    return services.case_open(actor=officer or personas.officer, child=child,
                              notification=_notify(personas.intake, commune, **report))


def _numbers(html: str) -> list[str]:
    """The case numbers of the list's rows, in their order."""
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', html)


class CaseNumberTests:
    def test_cases_are_numbered_per_commune_and_year_in_the_order_opened(
            self, tree, personas) -> None:
        first = _open(personas, tree.commune_a, "Lý Văn Páo")
        second = _open(personas, tree.commune_a, "Lý Văn Sử")
        elsewhere = _open(personas, tree.commune_b, "Hà Văn Khoa", officer=personas.outsider)
        next_year = _open(personas, tree.commune_a, "Lý Văn Tủa",
                          received_at=RECEIVED.replace(year=RECEIVED.year - 1))
        year = timezone.localtime(RECEIVED).year
        assert [first.number_label, second.number_label] == [f"1/{year}", f"2/{year}"]
        assert elsewhere.number_label == f"1/{year}"
        assert next_year.number_label == f"1/{year - 1}"

    def test_two_masked_cases_are_told_apart_by_their_numbers(self, tree, personas) -> None:
        for name in ("Lý Thị Mai", "Lò Thị Mây"):
            _open(personas, tree.commune_a, name, forms=[AbuseForm.SEXUAL_ABUSE])
        html = login(Client(), personas.officer).get(reverse("cases:case_list")).content.decode()
        assert "Lý Thị Mai" not in html and "Lò Thị Mây" not in html
        assert html.count("L***") == 2
        year = timezone.localtime(RECEIVED).year
        assert sorted(_numbers(html)) == [f"1/{year}", f"2/{year}"]
        assert html.count("Xâm hại tình dục") >= 2


class NextDeadlineTests:
    def test_the_next_deadline_ignores_finished_and_cancelled_steps(self, tree,
                                                                   personas) -> None:
        case = _open(personas, tree.commune_a, "Lý Văn Páo")
        now = timezone.now()
        CaseDeadline.objects.filter(case=case).delete()
        CaseDeadline.objects.create(case=case, step="emergency", due_at=now - 2 * DAY,
                                    met_at=now - 3 * DAY)  # done in time
        CaseDeadline.objects.create(case=case, step="plan", due_at=now - DAY,
                                    cancelled_at=now - 2 * DAY)
        CaseDeadline.objects.create(case=case, step="approval", due_at=now + 3 * DAY)
        row = selectors.case_page_rows(selectors.case_list(user=personas.officer),
                                       sort=None)[0].get()
        assert row.next_due_at == now + 3 * DAY  # type: ignore[attr-defined]
        assert row.next_due_step == "approval"  # type: ignore[attr-defined]
        html = login(Client(), personas.officer).get(reverse("cases:case_list")).content.decode()
        assert '<strong class="danger">quá hạn</strong>' not in html
        assert "Phê duyệt kế hoạch" in html

    def test_a_running_step_past_due_is_marked_overdue(self, tree, personas) -> None:
        case = _open(personas, tree.commune_a, "Lý Văn Páo")
        CaseDeadline.objects.filter(case=case).delete()
        CaseDeadline.objects.create(case=case, step="plan", due_at=timezone.now() - HOUR)
        html = login(Client(), personas.officer).get(reverse("cases:case_list")).content.decode()
        assert '<strong class="danger">quá hạn</strong>' in html

    def test_a_case_with_no_running_step_shows_no_deadline(self, tree, personas) -> None:
        case = _open(personas, tree.commune_a, "Lý Văn Páo")
        now = timezone.now()
        CaseDeadline.objects.filter(case=case).delete()
        CaseDeadline.objects.create(case=case, step="plan", due_at=now - DAY, met_at=now)
        row = selectors.case_page_rows(selectors.case_list(user=personas.officer),
                                       sort=None)[0].get()
        assert row.next_due_at is None  # type: ignore[attr-defined]


class SortTests:
    @pytest.fixture
    def three(self, tree, personas) -> list[Case]:
        """Three cases received on three days, whose next limits fall in the opposite order;
        the last has none."""
        cases = [_open(personas, tree.commune_a, f"Lý Văn Số{n}",
                       received_at=RECEIVED + n * DAY) for n in range(3)]
        now = timezone.now()
        CaseDeadline.objects.filter(case__in=cases).delete()
        CaseDeadline.objects.create(case=cases[0], step="plan", due_at=now + 5 * DAY)
        CaseDeadline.objects.create(case=cases[1], step="plan", due_at=now + DAY)
        return cases

    def _order(self, personas, **params) -> list[str]:
        response = login(Client(), personas.officer).get(reverse("cases:case_list"), params)
        assert response.status_code == 200
        return _numbers(response.content.decode())

    def test_it_sorts_by_next_deadline_by_default_then_by_number_or_date(
            self, three, personas) -> None:
        one, two, three_ = (c.number_label for c in three)
        assert self._order(personas) == [two, one, three_]  # no deadline last
        assert self._order(personas, sort="number") == [one, two, three_]
        assert self._order(personas, sort="-number") == [three_, two, one]
        assert self._order(personas, sort="received") == [one, two, three_]
        assert self._order(personas, sort="-received") == [three_, two, one]

    @pytest.mark.parametrize("sort", ["child__full_name", "'; drop table", "-", "", "deadline--",
                                      "x" * 500])
    def test_a_bad_sort_sorts_by_the_default_never_fails(self, three, personas,
                                                         sort) -> None:
        assert self._order(personas, sort=sort) == self._order(personas)

    @pytest.mark.parametrize("page", ["2", "999", "-1", "abc", ""])
    def test_paging_and_sorting_never_show_another_communes_case(self, tree, personas,
                                                                 page) -> None:
        for n in range(30):
            _open(personas, tree.commune_a, f"Lý Văn Số{n}")
        _open(personas, tree.commune_b, "Hà Văn Khoa", officer=personas.outsider)
        client = login(Client(), personas.officer)
        for sort in ("deadline", "-number", "received", "bogus"):
            response = client.get(reverse("cases:case_list"), {"sort": sort, "page": page})
            assert response.status_code == 200
            assert "Hà Văn Khoa" not in response.content.decode()

    def test_pages_keep_the_sort_and_the_filter(self, tree, personas) -> None:
        for n in range(30):
            _open(personas, tree.commune_a, f"Lý Văn Số{n}")
        html = login(Client(), personas.officer).get(
            reverse("cases:case_list"), {"sort": "number", "form": "violence"}).content.decode()
        [next_page] = set(re.findall(r'href="\?([^"]*page=2)"', html))
        assert set(next_page.split("&amp;")) == {"form=violence", "sort=number", "page=2"}
        second = login(Client(), personas.officer).get(
            reverse("cases:case_list"), {"sort": "number", "page": "2"}).content.decode()
        year = timezone.localtime(RECEIVED).year
        assert _numbers(second)[0] == f"26/{year}"


class QueryCountTests:
    def test_the_page_costs_the_same_queries_for_3_cases_as_for_25(self, tree,
                                                                    personas) -> None:
        client = login(Client(), personas.officer)

        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse("cases:case_list")).status_code == 200
            return len(context.captured_queries)

        for n in range(3):
            _open(personas, tree.commune_a, f"Lý Văn Số{n}",
                  forms=[AbuseForm.VIOLENCE, AbuseForm.NEGLECT])
        few = queries()
        for n in range(3, 25):
            _open(personas, tree.commune_a, f"Lý Văn Số{n}",
                  forms=[AbuseForm.VIOLENCE, AbuseForm.NEGLECT])
        assert queries() == few
