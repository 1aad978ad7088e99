"""The population-database rows of the scope-coverage test (treem/privacy/population), and the
records they call.

`population_world` makes, for commune A and commune B, a child with a personal id that agrees
with its sex and year (for the lookup) and a batch for the police (made by each commune's
officer, holding the commune's children without an id: `child_a` and `child_b` of the world).
Rows name them as "population.<attribute>"."""

from dataclasses import dataclass

from treem.accounts.models import User
from treem.privacy.models import PopulationCheck
from treem.privacy.population import services
from treem.registry.models import Child
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree
from treem.web.tests.scope_rows import LIST, OBJECT, Case, Ref

# Names only one side's records carry, for the rows' `shows` and `hides`.
LOOKED_UP_A = "Lò Văn Tra"
LOOKED_UP_B = "Hà Thị Cứu"
# Roles without CHECK_POPULATION_DATA (the commune's officer and leader hold it).
CHECKS_NOTHING = ("province_officer", "auditor", "collaborator", "admin", "intake")
PURPOSE = {"purpose": "Xác minh số định danh để làm thẻ BHYT"}


@dataclass
class PopulationWorld:
    check_a: PopulationCheck      # commune A's batch (officer_a)
    check_b: PopulationCheck      # commune B's batch (officer_b)
    lookup_a: Child               # a child of commune A with a valid id
    lookup_b: Child


def population_world(tree: Tree, personas: Personas, officer_b: User | None = None
                     ) -> PopulationWorld:
    lookup_a = make_child(commune=tree.commune_a, full_name=LOOKED_UP_A,
                          personal_id="004215000101")
    lookup_b = make_child(commune=tree.commune_b, full_name=LOOKED_UP_B, sex="f",
                          personal_id="004315000202")
    check_a, _file = services.population_check_create(actor=personas.officer,
                                                      commune=tree.commune_a)
    check_b, _file = services.population_check_create(actor=officer_b or personas.outsider,
                                                      commune=tree.commune_b)
    return PopulationWorld(check_a=check_a, check_b=check_b, lookup_a=lookup_a,
                           lookup_b=lookup_b)


POPULATION_CASES: dict[str, Case] = {
    # --- pages (treem/privacy/population/urls.py) ---------------------------------------------
    # The commune's page: its children to check and its batches; commune B's never show.
    "privacy:population_home": Case(LIST, "officer", shows=("Phường Thục Phán",),
                                    hides=("Xã Hòa An", "Nguyễn Thị Bình"),
                                    forbidden=CHECKS_NOTHING),
    # The export names its commune in the form: commune B's is 404, nothing written.
    "privacy:population_export": Case(OBJECT, "officer", method="post",
                                      data={"commune": Ref("tree.commune_a.public_id")},
                                      outside_data={"commune": Ref("tree.commune_b.public_id")},
                                      forbidden=CHECKS_NOTHING),
    "privacy:population_batch": Case(OBJECT, "officer", args=("population.check_a.public_id",),
                                     outside_args=("population.check_b.public_id",),
                                     forbidden=CHECKS_NOTHING,
                                     shows=("Nhập tệp kết quả của Công an xã",)),
    "privacy:population_batch_file": Case(OBJECT, "officer",
                                          args=("population.check_a.public_id",),
                                          outside_args=("population.check_b.public_id",),
                                          forbidden=CHECKS_NOTHING),
    # Posted without a file: the form asks for one (files: test_population_pages.py).
    "privacy:population_import": Case(OBJECT, "officer", method="post", data={"mode": "all"},
                                      args=("population.check_a.public_id",),
                                      outside_args=("population.check_b.public_id",),
                                      forbidden=CHECKS_NOTHING,
                                      shows=("Hãy chọn tệp kết quả",)),
    "privacy:population_left": Case(OBJECT, "officer", args=("population.check_a.public_id",),
                                    outside_args=("population.check_b.public_id",),
                                    forbidden=CHECKS_NOTHING, shows=("Nguyễn Văn An",)),
    "privacy:population_lookup": Case(OBJECT, "officer", method="post", data=PURPOSE,
                                      args=("population.lookup_a.public_id",),
                                      outside_args=("population.lookup_b.public_id",),
                                      forbidden=CHECKS_NOTHING, shows=(LOOKED_UP_A,)),
    # --- API (treem/privacy/population/api.py) ------------------------------------------------
    "api:population_check_create": Case(OBJECT, "officer", method="post",
                                        args=("tree.commune_a.public_id",),
                                        outside_args=("tree.commune_b.public_id",),
                                        forbidden=CHECKS_NOTHING),
    "api:population_check_list": Case(LIST, "officer", shows=("Phường Thục Phán",),
                                      hides=("Xã Hòa An",), forbidden=CHECKS_NOTHING),
    "api:population_check_detail": Case(OBJECT, "officer",
                                        args=("population.check_a.public_id",),
                                        outside_args=("population.check_b.public_id",),
                                        forbidden=CHECKS_NOTHING, shows=("Nguyễn Văn An",),
                                        hides=("Nguyễn Thị Bình",)),
    # Called without a file: the answer asks for one (files: test_population_pages.py).
    "api:population_answer_import": Case(OBJECT, "officer", method="post", status=422,
                                         args=("population.check_a.public_id",),
                                         outside_args=("population.check_b.public_id",),
                                         forbidden=CHECKS_NOTHING,
                                         shows=("Hãy chọn tệp kết quả",)),
    "api:population_lookup": Case(OBJECT, "officer", method="post", data=PURPOSE,
                                  args=("population.lookup_a.public_id",),
                                  outside_args=("population.lookup_b.public_id",),
                                  forbidden=CHECKS_NOTHING, shows=(LOOKED_UP_A,)),
}
