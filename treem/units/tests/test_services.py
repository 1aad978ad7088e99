import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts.models import User
from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import EditConflict
from treem.geo.models import Level, Unit
from treem.geo.paths import child_path
from treem.testing import Personas, Tree
from treem.units import exceptions as exc
from treem.units import services


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(m) for m in error.value.messages]


class VillageCreateTests:
    @pytest.mark.parametrize("persona", ["officer", "chairman"])
    def test_it_adds_a_village_to_the_commune(
        self, tree: Tree, personas: Personas, persona: str,
    ) -> None:
        actor: User = getattr(personas, persona)
        village = services.village_create(actor=actor, commune=tree.commune_a,
                                          name="  Bản   Khuổi Lừa ", kind="Bản")
        village.refresh_from_db()
        assert village.level == Level.VILLAGE
        assert village.parent == tree.commune_a
        assert village.code == "01273-002"
        assert (village.name, village.kind, village.name_folded) == (
            "Bản Khuổi Lừa", "Bản", "ban khuoi lua",
        )
        assert village.path == child_path(tree.commune_a.path, village.pk)
        assert village.province_code == "04"
        assert village.is_current
        assert Unit.objects.within(tree.commune_a).filter(pk=village.pk).exists()

    def test_it_records_who_created_the_village(self, tree: Tree, personas: Personas) -> None:
        village = services.village_create(actor=personas.officer, commune=tree.commune_a,
                                          name="Bản Khuổi Lừa", kind="Bản")
        event = AuditEvent.objects.get()
        assert event.action == Action.CREATE
        assert event.changed_fields == ["kind", "name"]
        assert event.actor == personas.officer
        assert event.unit == village
        assert event.unit_path == village.path
        assert (event.object_type, event.object_id) == ("geo.unit", str(village.public_id))

    def test_it_numbers_villages_one_after_the_other(self, tree: Tree, personas: Personas) -> None:
        codes = [
            services.village_create(actor=personas.officer, commune=tree.commune_a,
                                    name=name, kind="Thôn").code
            for name in ("Thôn Một", "Thôn Hai", "Thôn Ba")
        ]
        first = services.village_create(actor=personas.outsider, commune=tree.commune_b,
                                        name="Thôn Một", kind="Thôn")
        assert codes == ["01273-002", "01273-003", "01273-004"]
        assert first.code == "01279-001"

    def test_numbering_goes_on_past_999(self, tree: Tree, personas: Personas) -> None:
        Unit.objects.filter(pk=tree.village_a.pk).update(code="01273-999")
        village = services.village_create(actor=personas.officer, commune=tree.commune_a,
                                          name="Tổ dân phố 12", kind="Tổ dân phố")
        assert village.code == "01273-1000"

    def test_the_database_refuses_two_villages_of_one_name_in_a_commune(
        self, tree: Tree, personas: Personas,
    ) -> None:
        # The service checks first; the constraint stops what a race between two officers
        # would let through.
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Unit.objects.create(level=Level.VILLAGE, code="01273-050", name="Thôn Nà Pồng",
                                kind="Thôn", name_folded="thon na pong", parent=tree.commune_a,
                                path="~race", province_code="04")


class VillageCreateRejectionTests:
    """Each refusal leaves the tree and the audit trail as they were."""

    def assert_nothing_written(self) -> None:
        assert Unit.objects.count() == 10
        assert not AuditEvent.objects.exists()

    def test_an_officer_of_another_commune_may_not_add_a_village(
        self, tree: Tree, personas: Personas,
    ) -> None:
        with pytest.raises(PermissionDenied, match=str(exc.VILLAGE_OUT_OF_SCOPE)):
            services.village_create(actor=personas.outsider, commune=tree.commune_a,
                                    name="Bản Khuổi Lừa", kind="Bản")

        self.assert_nothing_written()

    @pytest.mark.parametrize("persona", ["province_officer", "auditor", "intake", "admin",
                                         "collaborator"])
    def test_a_role_without_the_capability_may_not_add_a_village(
        self, tree: Tree, personas: Personas, persona: str,
    ) -> None:
        with pytest.raises(PermissionDenied, match=str(exc.VILLAGE_OUT_OF_SCOPE)):
            services.village_create(actor=getattr(personas, persona), commune=tree.commune_a,
                                    name="Bản Khuổi Lừa", kind="Bản")

        self.assert_nothing_written()

    @pytest.mark.parametrize("name", ["", "   ", "\t\n"])
    def test_it_rejects_an_empty_name(self, tree: Tree, personas: Personas, name: str) -> None:
        with pytest.raises(ValidationError) as error:
            services.village_create(actor=personas.officer, commune=tree.commune_a, name=name,
                                    kind="Thôn")
        assert error.value.message_dict == {"name": [exc.VILLAGE_NAME_REQUIRED]}
        self.assert_nothing_written()

    @pytest.mark.parametrize("name", [
        "Thôn Nà Pồng", "thôn nà pồng", "THON NA PONG", " Thôn  Nà Pồng ",
        unicodedata.normalize("NFD", "Thôn Nà Pồng"),
    ])
    def test_it_rejects_a_name_already_used_in_the_commune(
        self, tree: Tree, personas: Personas, name: str,
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.village_create(actor=personas.officer, commune=tree.commune_a, name=name,
                                    kind="Thôn")
        assert error.value.message_dict == {"name": [exc.VILLAGE_NAME_TAKEN]}
        self.assert_nothing_written()

    def test_the_same_name_is_allowed_in_another_commune(
        self, tree: Tree, personas: Personas,
    ) -> None:
        village = services.village_create(actor=personas.outsider, commune=tree.commune_b,
                                          name="Thôn Nà Pồng", kind="Thôn")
        assert village.parent == tree.commune_b

    @pytest.mark.parametrize("kind", ["", "Phường", "thôn", "Tổ dân phố "])
    def test_it_rejects_an_invalid_kind(self, tree: Tree, personas: Personas, kind: str) -> None:
        with pytest.raises(ValidationError) as error:
            services.village_create(actor=personas.officer, commune=tree.commune_a,
                                    name="Bản Khuổi Lừa", kind=kind)
        assert error.value.message_dict == {"kind": [exc.VILLAGE_KIND_INVALID]}
        self.assert_nothing_written()

    @pytest.mark.parametrize("attr", ["village_a", "province", "nation"])
    def test_it_rejects_a_parent_that_is_not_a_commune(
        self, tree: Tree, personas: Personas, attr: str,
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.village_create(actor=personas.officer, commune=getattr(tree, attr),
                                    name="Bản Khuổi Lừa", kind="Bản")
        assert messages_of(error) == [exc.VILLAGE_PARENT_NOT_COMMUNE]
        self.assert_nothing_written()

    def test_it_rejects_a_commune_of_the_structure_before_july_2025(
        self, tree: Tree, personas: Personas,
    ) -> None:
        # The officer of commune A does see Phường Sông Hiến, which became commune A.
        with pytest.raises(ValidationError) as error:
            services.village_create(actor=personas.officer, commune=tree.old_commune,
                                    name="Bản Khuổi Lừa", kind="Bản")
        assert messages_of(error) == [exc.VILLAGE_PARENT_NOT_COMMUNE]
        self.assert_nothing_written()


class VillageRenameTests:
    def test_it_renames_a_village_and_records_the_changed_fields(
        self, tree: Tree, personas: Personas,
    ) -> None:
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Bản  Nà Pồng", kind="Bản")
        tree.village_a.refresh_from_db()
        assert (tree.village_a.name, tree.village_a.kind, tree.village_a.name_folded) == (
            "Bản Nà Pồng", "Bản", "ban na pong",
        )
        assert tree.village_a.code == "01273-001"
        event = AuditEvent.objects.get()
        assert (event.action, event.changed_fields, event.actor) == (
            Action.UPDATE, ["kind", "name"], personas.chairman,
        )

    def test_it_records_only_what_changed(self, tree: Tree, personas: Personas) -> None:
        services.village_rename(actor=personas.officer, village=tree.village_a,
                                name="Thôn Nà Pồng Mới", kind="Thôn")
        assert AuditEvent.objects.get().changed_fields == ["name"]

    def test_renaming_to_the_same_name_writes_nothing(
        self, tree: Tree, personas: Personas,
    ) -> None:
        services.village_rename(actor=personas.officer, village=tree.village_a,
                                name=" Thôn Nà Pồng ", kind="Thôn")
        assert not AuditEvent.objects.exists()

    def test_it_rejects_the_name_of_another_village_of_the_commune(
        self, tree: Tree, personas: Personas,
    ) -> None:
        other = services.village_create(actor=personas.officer, commune=tree.commune_a,
                                        name="Bản Khuổi Lừa", kind="Bản")
        with pytest.raises(ValidationError) as error:
            services.village_rename(actor=personas.officer, village=other,
                                    name="thôn nà pồng", kind="Thôn")
        assert error.value.message_dict == {"name": [exc.VILLAGE_NAME_TAKEN]}
        other.refresh_from_db()
        assert (other.name, other.kind) == ("Bản Khuổi Lừa", "Bản")
        assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.CREATE]

    def test_an_officer_of_another_commune_may_not_rename(
        self, tree: Tree, personas: Personas,
    ) -> None:
        with pytest.raises(PermissionDenied, match=str(exc.VILLAGE_OUT_OF_SCOPE)):
            services.village_rename(actor=personas.outsider, village=tree.village_a,
                                    name="Thôn Mới", kind="Thôn")

        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng"
        assert not AuditEvent.objects.exists()

    def test_it_rejects_a_unit_that_is_not_a_village(
        self, tree: Tree, personas: Personas,
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.village_rename(actor=personas.officer, village=tree.commune_a,
                                    name="Thôn Mới", kind="Thôn")
        assert messages_of(error) == [exc.NOT_A_VILLAGE]
        tree.commune_a.refresh_from_db()
        assert tree.commune_a.name == "Phường Thục Phán"
        assert not AuditEvent.objects.exists()


class VillageRenameConflictTests:
    """Two officers rename a village from pages read before either saved: the values each page
    read (`base`) are its precondition (`treem.edits.conflicts.check_read`)."""

    READ = {"name": "Thôn Nà Pồng", "kind": "Thôn"}

    def test_a_stale_rename_of_a_renamed_village_is_refused_with_both_names(
        self, tree: Tree, personas: Personas,
    ) -> None:
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Thôn Nà Pồng Trên", base=self.READ)
        stale = Unit.objects.get(pk=tree.village_a.pk)
        stale.name = "Thôn Nà Pồng"  # the second officer's page, read before the first save

        with pytest.raises(EditConflict) as raised:
            services.village_rename(actor=personas.officer, village=stale,
                                    name="Thôn Nà Pồng Dưới", base=self.READ)
        assert raised.value.fields == ["name"]
        message = raised.value.message
        assert "«Thôn Nà Pồng Dưới»" in message and "«Thôn Nà Pồng Trên»" in message
        assert personas.chairman.full_name in message
        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng Trên"
        assert AuditEvent.objects.count() == 1  # the first rename only

    def test_a_rename_and_a_change_of_kind_merge(
        self, tree: Tree, personas: Personas,
    ) -> None:
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Thôn Nà Pồng Trên", base=self.READ)
        stale = Unit.objects.get(pk=tree.village_a.pk)
        services.village_rename(actor=personas.officer, village=stale, kind="Bản",
                                base={"kind": "Thôn"})
        tree.village_a.refresh_from_db()
        assert (tree.village_a.name, tree.village_a.kind) == ("Thôn Nà Pồng Trên", "Bản")
        assert [e.changed_fields for e in AuditEvent.objects.order_by("id")] == [
            ["name"], ["kind"]]

    def test_the_same_rename_twice_is_no_conflict(
        self, tree: Tree, personas: Personas,
    ) -> None:
        services.village_rename(actor=personas.chairman, village=tree.village_a,
                                name="Thôn Nà Pồng Trên", base=self.READ)
        services.village_rename(actor=personas.officer, village=tree.village_a,
                                name="Thôn  Nà Pồng Trên", base=self.READ)
        tree.village_a.refresh_from_db()
        assert tree.village_a.name == "Thôn Nà Pồng Trên"
        assert AuditEvent.objects.count() == 1

    def test_a_change_whose_value_read_is_not_said_is_compared_with_the_saved_one(
        self, tree: Tree, personas: Personas,
    ) -> None:
        with pytest.raises(EditConflict) as raised:
            services.village_rename(actor=personas.officer, village=tree.village_a,
                                    kind="Bản", base={})
        assert raised.value.fields == ["kind"]
        tree.village_a.refresh_from_db()
        assert tree.village_a.kind == "Thôn"
