import pytest

from treem.privacy.processing import services as processing
from treem.privacy.tests.world import World, make_world
from treem.testing import Personas, Tree


@pytest.fixture
def world(tree: Tree, personas: Personas) -> World:
    return make_world(tree, personas)


@pytest.fixture
def register(db: None) -> int:
    return processing.defaults_load()
