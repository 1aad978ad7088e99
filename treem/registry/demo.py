"""The demo register of `make run`: synthetic children in the first communes of the demo
province, so that every demo account has children to look at. Never used in production."""

from treem.geo.models import Level, Unit
from treem.registry.dedup.search import duplicates_find
from treem.registry.models import Child
from treem.registry.synthetic import generate
from treem.registry.synthetic.corruption import corrupt

DEMO_CHILDREN = 20_000
DEMO_COMMUNES = 10
DEMO_SEED = 2026
# Children entered twice with mistakes, so that the review queue of duplicates has work.
DEMO_DUPLICATES = 0.01


def setup_demo_register(*, province_code: str) -> int:
    """Generate the demo children once, with a few entered twice, and search them for
    duplicates; return how many the province has."""
    province = Unit.objects.current().get(level=Level.PROVINCE, code=province_code)
    existing = Child.objects.filter(province_code=province_code).count()
    if existing:
        return existing
    generate(province=province, children=DEMO_CHILDREN, seed=DEMO_SEED,
             communes=DEMO_COMMUNES)
    corrupt(province_code=province_code, share=DEMO_DUPLICATES, seed=DEMO_SEED)
    duplicates_find(province=province)
    return Child.objects.filter(province_code=province_code).count()
