"""The sectors' figures: who enters what where, every check (each refusal writes nothing),
corrections kept as history, nothing written for an unchanged figure, the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts.roles import Role, Sector
from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import EditConflict
from treem.indicators import services
from treem.indicators.exceptions import EntryRefused
from treem.indicators.models import SectorFigure
from treem.indicators.tests.factories import load_entered, make_figure
from treem.testing import make_user, messages_of, refused, writes_nothing

pytestmark = pytest.mark.django_db

JABS = [{"breakdown": "", "numerator": 45, "denominator": 50},
        {"breakdown": "sex=m", "numerator": 20, "denominator": 22},
        {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]


def counts() -> tuple[int, int]:
    return SectorFigure.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def v(tree):
    return load_entered()


@pytest.fixture
def health_focal(tree):
    return make_user("health", role=Role.SECTOR_FOCAL, unit=tree.province, sector=Sector.HEALTH)


def save(actor, unit, version, rows, period="2026S1", comments=None):
    return services.figures_save(actor=actor, unit=unit, period=period, version=version,
                                 rows=rows, comments=comments or {})


def refusal(actor, unit, version, rows, period="2026S1", comments=None) -> list[str]:
    error = refused(services.figures_save, snapshot=counts, actor=actor, unit=unit,
                    period=period, version=version, rows=rows, comments=comments or {})
    return [str(m) for m in error.messages]


class FigureSaveTests:
    def test_the_commune_officer_enters_a_rate_with_its_breakdowns(self, tree, personas,
                                                                   v) -> None:
        saved = save(personas.officer, tree.commune_a, v["YT1"], JABS)
        assert [(f.breakdown, f.numerator, f.denominator) for f in saved] == [
            ("", 45, 50), ("sex=f", 25, 28), ("sex=m", 20, 22)]
        assert all(f.unit_path == tree.commune_a.path and f.entered_by == personas.officer
                   for f in saved)
        event = AuditEvent.objects.get()
        assert (event.action, event.unit, event.actor) == (Action.CREATE, tree.commune_a,
                                                           personas.officer)
        assert event.changed_fields == ["sex=f", "sex=m", "total"]
        assert event.object_id == str(saved[0].public_id) and "YT1 2026S1" in event.reason

    def test_a_count_has_no_denominator(self, tree, personas, v) -> None:
        saved = save(personas.officer, tree.commune_a, v["CA1"],
                     [{"breakdown": "", "numerator": 3}])
        assert (saved[0].numerator, saved[0].denominator) == (3, None)

    def test_the_sector_focal_point_enters_its_sectors_indicators_on_its_communes(
            self, tree, personas, v, health_focal) -> None:
        save(personas.sector_focal, tree.commune_b, v["CA1"], [{"numerator": 1}])
        save(health_focal, tree.commune_a, v["YT1"], JABS[:1])
        assert SectorFigure.objects.count() == 2

    def test_a_focal_point_of_another_sector_is_refused(self, tree, personas, v) -> None:
        with writes_nothing(counts), pytest.raises(PermissionDenied):
            save(personas.sector_focal, tree.commune_a, v["YT1"], JABS)

    def test_the_officer_of_commune_b_is_refused_in_commune_a(self, tree, personas, v) -> None:
        with writes_nothing(counts), pytest.raises(PermissionDenied):
            save(personas.outsider, tree.commune_a, v["CA1"], [{"numerator": 1}])

    @pytest.mark.parametrize("persona", ["chairman", "province_officer", "auditor", "admin"])
    def test_a_persona_without_the_capability_is_refused(self, tree, personas, v,
                                                         persona) -> None:
        with writes_nothing(counts), pytest.raises(PermissionDenied):
            save(getattr(personas, persona), tree.commune_a, v["CA1"], [{"numerator": 1}])

    def test_an_anonymous_user_is_refused(self, tree, v) -> None:
        from django.contrib.auth.models import AnonymousUser

        with writes_nothing(counts), pytest.raises(PermissionDenied):
            save(AnonymousUser(), tree.commune_a, v["CA1"], [{"numerator": 1}])

    @pytest.mark.parametrize("unit", ["province", "old_commune", "village_a"])
    def test_a_commune_indicator_is_entered_for_current_communes_only(self, tree, personas, v,
                                                                      unit) -> None:
        assert refusal(personas.sector_focal, getattr(tree, unit), v["CA1"],
                       [{"numerator": 1}]) == [
            "Số liệu của chỉ tiêu này được nhập cho đơn vị hiện hành cấp: Xã, phường, đặc khu."]

    def test_the_province_enters_its_own_figure_of_an_indicator_entered_at_its_level(
            self, tree, personas, v) -> None:
        saved = save(personas.sector_focal, tree.province, v["CA2"], [{"numerator": 12}])
        assert (saved[0].unit, saved[0].numerator) == (tree.province, 12)

    @pytest.mark.parametrize("unit", ["old_commune", "village_a"])
    def test_a_province_level_indicator_still_refuses_other_units(self, tree, personas, v,
                                                                  unit) -> None:
        assert refusal(personas.sector_focal, getattr(tree, unit), v["CA2"],
                       [{"numerator": 1}]) == [
            "Số liệu của chỉ tiêu này được nhập cho đơn vị hiện hành cấp: "
            "Tỉnh, thành phố; Xã, phường, đặc khu."]

    def test_a_commune_officer_does_not_enter_the_provinces_own_figure(self, tree, personas,
                                                                        v) -> None:
        with writes_nothing(counts), pytest.raises(PermissionDenied):
            save(personas.officer, tree.province, v["CA2"], [{"numerator": 1}])

    def test_a_computed_indicator_is_not_entered(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["TE1"], [{"numerator": 1}]) == [
            "Chỉ tiêu này được tính từ sổ theo dõi, không nhập tay."]

    @pytest.mark.parametrize(("period", "message"), [
        ("2026H1", "Kỳ “2026H1” không hợp lệ: ví dụ 2026, 2026S1, 2026Q2, 202604."),
        ("2026", "Chỉ tiêu này báo cáo theo kỳ “6 tháng”: kỳ “2026” không phù hợp."),
        ("2026Q1", "Chỉ tiêu này báo cáo theo kỳ “6 tháng”: kỳ “2026Q1” không phù hợp."),
        ("2099S1", "Kỳ 2099S1 chưa bắt đầu: chưa nhập được số liệu."),
        ("2025S1", "Kỳ 2025S1 kết thúc trước khi đơn vị này được thành lập."),
    ])
    def test_a_wrong_period_is_refused(self, tree, personas, v, period, message) -> None:
        assert refusal(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 1}],
                       period=period) == [message]

    def test_the_period_that_started_today_is_accepted_not_tomorrows(self, tree, personas,
                                                                     v) -> None:
        services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S2",
                              version=v["CA1"], rows=[{"numerator": 1}],
                              today=datetime.date(2026, 7, 1))
        with pytest.raises(ValidationError, match="chưa bắt đầu"):
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S2", version=v["CA1"],
                                  rows=[{"numerator": 2}], today=datetime.date(2026, 6, 30))

    @pytest.mark.parametrize("number", [-1, "1.5", "abc", "", None, "NaN", "1e3x"])
    def test_a_figure_must_be_a_whole_number_not_below_zero(self, tree, personas, v,
                                                            number) -> None:
        assert refusal(personas.officer, tree.commune_a, v["CA1"],
                       [{"numerator": number}]) == ["Số liệu phải là số nguyên không âm."]

    def test_a_figure_too_large_for_its_column_is_refused(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["CA1"],
                       [{"numerator": 10**12}]) == ["Số liệu quá lớn."]

    def test_a_numerator_above_its_denominator_is_refused(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["YT1"],
                       [{"numerator": 51, "denominator": 50}]) == [
            "Tử số không được lớn hơn mẫu số."]

    def test_a_ratio_of_two_groups_may_exceed_its_denominator(self, tree, personas, v) -> None:
        saved = save(personas.officer, tree.commune_a, v["YT2"],
                     [{"numerator": 112, "denominator": 100}], period="2026")
        assert saved[0].numerator == 112

    def test_a_rate_needs_its_denominator(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["YT1"], [{"numerator": 5}]) == [
            "Hãy nhập mẫu số."]

    def test_a_count_takes_no_denominator(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["CA1"],
                       [{"numerator": 5, "denominator": 9}]) == [
            "Chỉ tiêu số lượng không có mẫu số."]

    def test_the_total_is_required(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["YT1"], JABS[1:]) == [
            "Hãy nhập số tổng."]

    @pytest.mark.parametrize("breakdown", ["age_group=0-5", "sex=x", "sex", "=f"])
    def test_a_breakdown_the_indicator_does_not_have_is_refused(self, tree, personas, v,
                                                                breakdown) -> None:
        rows = [*JABS[:1], {"breakdown": breakdown, "numerator": 1, "denominator": 2}]
        assert refusal(personas.officer, tree.commune_a, v["YT1"], rows) == [
            f"Chỉ tiêu này không phân tổ theo “{breakdown}”."]

    def test_a_breakdown_given_twice_is_refused(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["YT1"], [*JABS, JABS[2]]) == [
            "Phân tổ “sex=f” được nhập hai lần."]

    def test_breakdown_numerators_must_add_up_to_the_total(self, tree, personas, v) -> None:
        rows = [JABS[0], JABS[1], {**JABS[2], "numerator": 24}]
        assert refusal(personas.officer, tree.commune_a, v["YT1"], rows) == [
            "Tổng tử số theo giới tính (44) phải bằng số tổng (45)."]

    def test_breakdown_denominators_must_add_up_to_the_total(self, tree, personas, v) -> None:
        rows = [JABS[0], JABS[1], {**JABS[2], "denominator": 29}]
        assert refusal(personas.officer, tree.commune_a, v["YT1"], rows) == [
            "Tổng mẫu số theo giới tính (51) phải bằng mẫu số tổng (50)."]

    def test_one_sex_alone_must_then_be_the_whole_total(self, tree, personas, v) -> None:
        assert refusal(personas.officer, tree.commune_a, v["YT1"], JABS[:2]) == [
            "Tổng tử số theo giới tính (20) phải bằng số tổng (45).",
            "Tổng mẫu số theo giới tính (22) phải bằng mẫu số tổng (50)."]

    def test_every_row_with_a_problem_is_reported_at_once(self, tree, personas, v) -> None:
        rows = [{"numerator": -1, "denominator": 5},
                {"breakdown": "sex=m", "numerator": 3}]
        error = refused(services.figures_save, snapshot=counts, actor=personas.officer,
                        unit=tree.commune_a, period="2026S1", version=v["YT1"], rows=rows)
        assert messages_of(error, "total") == ["Số liệu phải là số nguyên không âm."]
        assert messages_of(error, "sex=m") == ["Hãy nhập mẫu số."]


class ChangeFromLastPeriodTests:
    @pytest.fixture
    def before(self, tree, personas, v):
        return make_figure(version=v["YT1"], unit=tree.commune_a, period="2025S2",
                           numerator=40, denominator=50, by=personas.officer)  # 80 %

    def test_a_change_beyond_a_fifth_asks_for_a_comment(self, tree, personas, v,
                                                        before) -> None:
        rows = [{"numerator": 30, "denominator": 50}]  # 60 %: a quarter less
        assert refusal(personas.officer, tree.commune_a, v["YT1"], rows) == [
            "Số liệu thay đổi hơn 20% so với kỳ trước (80): hãy ghi giải trình."]
        saved = save(personas.officer, tree.commune_a, v["YT1"], rows,
                     comments={"": "Thiếu vắc xin 3 tháng"})
        assert saved[0].comment == "Thiếu vắc xin 3 tháng"

    def test_a_change_within_a_fifth_needs_no_comment(self, tree, personas, v, before) -> None:
        save(personas.officer, tree.commune_a, v["YT1"], [{"numerator": 48, "denominator": 50}])
        assert SectorFigure.objects.filter(period="2026S1").count() == 1

    def test_a_blank_comment_is_no_comment(self, tree, personas, v, before) -> None:
        refusal(personas.officer, tree.commune_a, v["YT1"],
                [{"numerator": 10, "denominator": 50}], comments={"": "   "})

    def test_a_count_rising_from_zero_asks_for_a_comment(self, tree, personas, v) -> None:
        make_figure(version=v["CA1"], unit=tree.commune_a, period="2025S2", numerator=0,
                    by=personas.officer)
        assert refusal(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 2}]) == [
            "Số liệu thay đổi hơn 20% so với kỳ trước (0): hãy ghi giải trình."]

    def test_only_the_same_communes_previous_figure_counts(self, tree, personas, v) -> None:
        make_figure(version=v["CA1"], unit=tree.commune_b, period="2025S2", numerator=50,
                    by=personas.outsider)
        save(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 2}])

    def test_a_superseded_previous_figure_does_not_count(self, tree, personas, v) -> None:
        old = make_figure(version=v["CA1"], unit=tree.commune_a, period="2025S2",
                          numerator=50, by=personas.officer)
        SectorFigure.objects.filter(pk=old.pk).update(superseded_at=old.entered_at)
        make_figure(version=v["CA1"], unit=tree.commune_a, period="2025S2", numerator=2,
                    by=personas.officer)
        save(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 2}])


class CorrectionTests:
    def test_an_unchanged_save_writes_nothing(self, tree, personas, v) -> None:
        first = save(personas.officer, tree.commune_a, v["YT1"], JABS)
        with writes_nothing(counts):
            again = save(personas.officer, tree.commune_a, v["YT1"], list(reversed(JABS)))
        assert again == first

    def test_a_correction_supersedes_only_the_changed_rows_and_keeps_them(
            self, tree, personas, v) -> None:
        first = {f.breakdown: f for f in save(personas.officer, tree.commune_a, v["YT1"], JABS)}
        rows = [{**JABS[0], "numerator": 46}, {**JABS[1], "numerator": 21}, JABS[2]]
        second = {f.breakdown: f for f in save(personas.officer, tree.commune_a, v["YT1"], rows)}
        assert second["sex=f"] == first["sex=f"]
        assert second[""] != first[""] and second[""].numerator == 46
        first[""].refresh_from_db()
        assert first[""].superseded_at is not None and first[""].numerator == 45
        assert SectorFigure.objects.count() == 5 and SectorFigure.objects.current().count() == 3
        event = AuditEvent.objects.order_by("-at", "-pk").first()
        assert event is not None
        assert (event.action, event.changed_fields) == (Action.UPDATE, ["sex=m", "total"])
        assert AuditEvent.objects.count() == 2

    def test_a_changed_comment_alone_is_a_new_row(self, tree, personas, v) -> None:
        save(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 2}])
        save(personas.officer, tree.commune_a, v["CA1"], [{"numerator": 2}],
             comments={"": "Đã đối chiếu với Công an xã"})
        assert list(SectorFigure.objects.order_by("pk").values_list("comment", flat=True)) == [
            "", "Đã đối chiếu với Công an xã"]

    def test_a_breakdown_left_out_is_withdrawn_and_kept(self, tree, personas, v) -> None:
        save(personas.officer, tree.commune_a, v["YT1"], JABS)
        saved = save(personas.officer, tree.commune_a, v["YT1"], JABS[:1])
        assert [f.breakdown for f in saved] == [""]
        assert SectorFigure.objects.count() == 3
        assert set(SectorFigure.objects.exclude(superseded_at=None)
                   .values_list("breakdown", flat=True)) == {"sex=m", "sex=f"}

    def test_a_correction_by_another_enterer_is_recorded_as_theirs(self, tree, personas, v,
                                                                    health_focal) -> None:
        save(personas.officer, tree.commune_a, v["YT1"], JABS[:1])
        saved = save(health_focal, tree.commune_a, v["YT1"],
                     [{"numerator": 44, "denominator": 50}])
        assert saved[0].entered_by == health_focal


class SaveManyTests:
    def test_one_refused_indicator_writes_none_of_the_page(self, tree, personas, v) -> None:
        entries = [services.Entry(version=v["CA1"], rows=[{"numerator": 4}]),
                   services.Entry(version=v["YT1"], rows=[{"numerator": 9, "denominator": 5}])]
        with writes_nothing(counts), pytest.raises(EntryRefused) as raised:
            services.figures_save_many(actor=personas.officer, unit=tree.commune_a,
                                       period="2026S1", entries=entries)
        assert list(raised.value.by_version) == [v["YT1"].pk]

    def test_all_good_indicators_are_saved_with_an_event_each(self, tree, personas, v) -> None:
        entries = [services.Entry(version=v["CA1"], rows=[{"numerator": 4}]),
                   services.Entry(version=v["YT1"], rows=JABS)]
        saved = services.figures_save_many(actor=personas.officer, unit=tree.commune_a,
                                           period="2026S1", entries=entries)
        assert len(saved) == 4 and AuditEvent.objects.count() == 2


class ValueTests:
    @pytest.mark.parametrize(("kind", "numerator", "denominator", "value"), [
        ("count", 3, None, "3"), ("percent", 45, 50, "90"), ("percent", 1, 3, "33.33"),
        ("per_1000", 3, 0, "—"), ("per_100k_children", 2, 4000, "50")])
    def test_the_value_shown(self, kind, numerator, denominator, value) -> None:
        assert services.display(services.value_of(
            kind, Decimal(numerator), None if denominator is None else Decimal(denominator))
        ) == value


def cells(rows, comments=None) -> dict:
    """The figures a page was read with, by breakdown."""
    comments = comments or {}
    return {r["breakdown"]: services.Cell(Decimal(r["numerator"]), Decimal(r["denominator"]),
                                          comments.get(r["breakdown"], "")) for r in rows}


def current_rows() -> list[tuple]:
    return sorted((f.breakdown, int(f.numerator), int(f.denominator), f.comment)
                  for f in SectorFigure.objects.current())


def revision(tree, v) -> int:
    return services.revisions([v["YT1"]], unit=tree.commune_a, period="2026S1")[v["YT1"].pk]


class StaleFigureTests:
    """Two officers opened the entry page at once (issue 12): the second save does not
    silently replace the first's numbers."""

    @pytest.fixture
    def read(self, tree, personas, v, health_focal) -> int:
        """The officer's page, read after the first entry; then the health focal point
        saves first."""
        save(personas.officer, tree.commune_a, v["YT1"], JABS)
        read_at = revision(tree, v)
        save(health_focal, tree.commune_a, v["YT1"], [
            {"breakdown": "", "numerator": 46, "denominator": 50},
            {"breakdown": "sex=m", "numerator": 21, "denominator": 22},
            {"breakdown": "sex=f", "numerator": 25, "denominator": 28}])
        return read_at

    def test_the_revision_counts_every_row_written_and_superseded(self, tree, personas,
                                                                    v, read) -> None:
        assert read == 1 + 3  # three rows written
        assert revision(tree, v) == 1 + 3 + 2 + 2  # two more written, two superseded

    def test_a_stale_save_of_a_figure_changed_since_is_refused_with_both_values(
            self, tree, personas, v, health_focal, read) -> None:
        mine = [{"breakdown": "", "numerator": 44, "denominator": 50},
                {"breakdown": "sex=m", "numerator": 19, "denominator": 22},
                {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]
        before = current_rows()
        with writes_nothing(counts), pytest.raises(EditConflict) as caught:
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["YT1"], rows=mine,
                                  base_revision=read, base=cells(JABS))
        conflict = caught.value
        assert conflict.fields == ["total", "sex=m"]
        assert [(c.mine_text, c.theirs_text) for c in conflict.conflicts] == [
            ("44/50", "46/50"), ("19/22", "21/22")]
        assert {c.saved_by for c in conflict.conflicts} == {
            health_focal.full_name or health_focal.username}
        assert all(c.saved_at is not None for c in conflict.conflicts)
        assert "«44/50»" in conflict.message and "«46/50»" in conflict.message
        assert (conflict.version, conflict.base_version) == (revision(tree, v), read)
        assert current_rows() == before

    def test_a_stale_save_of_other_figures_merges(self, tree, personas, v,
                                                  health_focal) -> None:
        """The health focal point explained the total meanwhile; the officer, from the page
        read before, moved a boy counted among the girls: both stay."""
        save(personas.officer, tree.commune_a, v["YT1"], JABS)
        read = revision(tree, v)
        save(health_focal, tree.commune_a, v["YT1"], JABS, comments={"": "Theo sổ tiêm"})
        mine = [JABS[0], {"breakdown": "sex=m", "numerator": 19, "denominator": 22},
                {"breakdown": "sex=f", "numerator": 26, "denominator": 28}]
        services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S1",
                              version=v["YT1"], rows=mine, base_revision=read,
                              base=cells(JABS))
        assert current_rows() == [("", 45, 50, "Theo sổ tiêm"), ("sex=f", 26, 28, ""),
                                  ("sex=m", 19, 22, "")]

    def test_a_comment_written_on_numbers_changed_since_conflicts(self, tree, personas, v,
                                                                  read) -> None:
        with writes_nothing(counts), pytest.raises(EditConflict) as caught:
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["YT1"], rows=JABS,
                                  comments={"": "Đã đối chiếu sổ"}, base_revision=read,
                                  base=cells(JABS))
        assert [(c.field, c.mine_text, c.theirs_text) for c in caught.value.conflicts] == [
            ("total", "45/50 (giải trình: Đã đối chiếu sổ)", "46/50")]

    def test_a_stale_save_of_the_same_value_is_no_conflict(self, tree, personas, v,
                                                           read) -> None:
        same = [{"breakdown": "", "numerator": 46, "denominator": 50},
                {"breakdown": "sex=m", "numerator": 21, "denominator": 22},
                {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]
        with writes_nothing(counts):
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["YT1"], rows=same,
                                  base_revision=read, base=cells(JABS))

    def test_without_the_values_read_every_figure_that_differs_conflicts(
            self, tree, personas, v, read) -> None:
        """An API client names only its revision: its JABS would undo the 46 and the 21."""
        with writes_nothing(counts), pytest.raises(EditConflict) as caught:
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["YT1"], rows=JABS,
                                  base_revision=read)
        assert caught.value.fields == ["total", "sex=m"]

    def test_a_merge_whose_breakdowns_no_longer_add_up_is_refused(self, tree, personas, v,
                                                                  read) -> None:
        """The officer moved one boy to the girls (total unchanged as read), the total
        changed since: 46 is not 19 + 26."""
        mine = [{"breakdown": "", "numerator": 45, "denominator": 50},
                {"breakdown": "sex=m", "numerator": 19, "denominator": 22},
                {"breakdown": "sex=f", "numerator": 26, "denominator": 28}]
        with writes_nothing(counts), pytest.raises(EditConflict):
            # sex=m changed since too (21): a conflict first.
            services.figures_save(actor=personas.officer, unit=tree.commune_a,
                                  period="2026S1", version=v["YT1"], rows=mine,
                                  base_revision=read, base=cells(JABS))
        mine[1] = {"breakdown": "sex=m", "numerator": 21, "denominator": 22}
        mine[2] = {"breakdown": "sex=f", "numerator": 24, "denominator": 28}
        error = refused(services.figures_save, snapshot=counts, actor=personas.officer,
                        unit=tree.commune_a, period="2026S1", version=v["YT1"], rows=mine,
                        base_revision=read, base=cells(JABS))
        assert "(45) phải bằng số tổng (46)." in " ".join(error.messages)

    def test_a_fresh_save_writes(self, tree, personas, v, read) -> None:
        mine = [{"breakdown": "", "numerator": 44, "denominator": 50},
                {"breakdown": "sex=m", "numerator": 19, "denominator": 22},
                {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]
        theirs = [{"breakdown": "", "numerator": 46, "denominator": 50},
                  {"breakdown": "sex=m", "numerator": 21, "denominator": 22},
                  {"breakdown": "sex=f", "numerator": 25, "denominator": 28}]
        services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S1",
                              version=v["YT1"], rows=mine, base_revision=revision(tree, v),
                              base=cells(theirs))
        assert current_rows() == [("", 44, 50, ""), ("sex=f", 25, 28, ""),
                                  ("sex=m", 19, 22, "")]

    def test_the_page_saves_all_indicators_or_none_when_one_is_stale(self, tree, personas, v,
                                                                      read) -> None:
        entries = [
            services.Entry(version=v["CA1"], rows=[{"numerator": 3}], base_revision=1,
                           base={"": None}),
            services.Entry(version=v["YT1"], rows=[{**JABS[0], "numerator": 44},
                                                   {**JABS[1], "numerator": 19}, JABS[2]],
                           base_revision=read, base=cells(JABS))]
        with writes_nothing(counts), pytest.raises(EntryRefused) as caught:
            services.figures_save_many(actor=personas.officer, unit=tree.commune_a,
                                       period="2026S1", entries=entries)
        assert list(caught.value.conflicts) == [v["YT1"].pk] and not caught.value.by_version
