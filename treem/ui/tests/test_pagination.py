from treem.geo.models import Unit
from treem.testing import Tree
from treem.ui.pagination import CappedPaginator, count_capped


class CappedPaginatorTests:
    def test_it_counts_exactly_below_the_cap(self, tree: Tree) -> None:
        assert count_capped(Unit.objects.all(), cap=100) == Unit.objects.count()

    def test_it_stops_counting_past_the_cap(self, tree: Tree) -> None:
        paginator = CappedPaginator(Unit.objects.order_by("path"), 2)
        paginator.cap = 3
        assert paginator.count == 4
        assert paginator.capped
        assert paginator.num_pages == 2
        assert [u.pk for u in paginator.page(1)] == list(
            Unit.objects.order_by("path").values_list("pk", flat=True)[:2])
