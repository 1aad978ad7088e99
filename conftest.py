import pytest

from treem.testing import Personas, Tree, make_personas, make_tree


@pytest.fixture
def tree(db: None) -> Tree:
    return make_tree()


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return make_personas(tree)
