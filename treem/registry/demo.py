"""The demo register of `make run`: synthetic children in the first communes of the demo
province, so that every demo account has children to look at. Never used in production."""

from treem.geo.models import Level, Unit
from treem.registry.models import Child
from treem.registry.synthetic import generate

DEMO_CHILDREN = 20_000
DEMO_COMMUNES = 10
DEMO_SEED = 2026


def setup_demo_register(*, province_code: str) -> int:
    """Generate the demo children once; return how many the province has."""
    province = Unit.objects.current().get(level=Level.PROVINCE, code=province_code)
    existing = Child.objects.filter(province_code=province_code).count()
    if existing:
        return existing
    generate(province=province, children=DEMO_CHILDREN, seed=DEMO_SEED,
             communes=DEMO_COMMUNES)
    return Child.objects.filter(province_code=province_code).count()
