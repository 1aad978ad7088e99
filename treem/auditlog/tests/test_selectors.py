from treem.accounts.roles import Role
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.auditlog.selectors import event_list
from treem.testing import Personas, Tree, make_user


class EventScopeTests:
    def test_an_event_without_a_unit_belongs_to_the_nation(self, tree: Tree) -> None:
        event = event_record(actor=None, action=Action.DATA_LOADED)
        assert event.unit == tree.nation
        assert event.unit_path == tree.nation.path

    def test_only_a_nation_wide_auditor_sees_an_event_of_the_nation(
            self, tree: Tree, personas: Personas) -> None:
        event = event_record(actor=None, action=Action.DATA_LOADED)
        national = make_user("auditor_vn", role=Role.AUDITOR, unit=tree.nation)
        assert list(event_list(user=national)) == [event]
        assert list(event_list(user=personas.auditor)) == []
        for persona in (personas.admin, personas.province_officer, personas.intake):
            assert list(event_list(user=persona)) == []

    def test_a_province_auditor_sees_events_of_its_communes_only(
            self, tree: Tree, personas: Personas) -> None:
        inside = event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_b)
        event_record(actor=None, action=Action.DATA_LOADED, unit=tree.commune_c)
        assert list(event_list(user=personas.auditor)) == [inside]

    def test_an_auditor_of_today_sees_events_of_the_units_merged_into_its_province(
            self, tree: Tree, personas: Personas) -> None:
        before_merger = event_record(actor=None, action=Action.DATA_LOADED,
                                     unit=tree.old_commune)
        assert list(event_list(user=personas.auditor)) == [before_merger]
