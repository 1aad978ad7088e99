"""A restricted child's record: read only by the roles named, over the child's place (its own
units and those they took over), hidden from every list, search, page and API read of the
others; lifted with a reason; both audited; bad input changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.registry import restriction, selectors
from treem.registry.models import Child, ChildRestriction
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login, writes_nothing

pytestmark = pytest.mark.django_db

NAME = "Lục Thị Hạn Chế"


def visible(user: object, child: Child) -> bool:
    listed = selectors.child_list(user=user, filters=selectors.ChildFilters(q="han che"))  # type: ignore[arg-type]
    in_list = listed.filter(pk=child.pk).exists()
    try:
        selectors.get_child_for_user(user=user, child_id=child.public_id)  # type: ignore[arg-type]
        in_page = True
    except Http404:
        in_page = False
    assert in_list == in_page, "the list and the page must agree"
    return in_list


def restrict(personas: Personas, child: Child, roles: tuple[str, ...] = (Role.COMMUNE_OFFICER,)
             ) -> ChildRestriction:
    return restriction.restriction_apply(actor=personas.officer, child=child, roles=roles,
                                         reason="Mẹ của trẻ yêu cầu hạn chế xử lý.")


class RestrictionTests:
    def test_only_the_named_roles_read_the_record(self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        for user in (personas.officer, personas.chairman, personas.province_officer,
                     personas.auditor):
            assert visible(user, child)
        restrict(personas, child, (Role.COMMUNE_OFFICER, Role.AUDITOR))
        personas.officer.forget_scope()
        assert visible(personas.officer, child)
        assert visible(personas.auditor, child)
        assert not visible(personas.chairman, child)
        assert not visible(personas.province_officer, child)
        # A role named does not reach past the user's own units.
        assert not visible(personas.outsider, child)

    def test_a_named_role_over_the_unit_it_took_over_still_reads(
            self, tree: Tree, personas: Personas) -> None:
        """A child still recorded on a commune dissolved in July 2025 is read by the officer
        of the commune that took it over; the restriction names the officer's role."""
        child = make_child(commune=tree.old_commune, full_name=NAME)
        assert visible(personas.officer, child)
        restrict(personas, child)
        assert visible(personas.officer, child)
        assert not visible(personas.chairman, child)

    def test_lifting_shows_it_again_and_both_are_audited(self, tree: Tree,
                                                         personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        made = restrict(personas, child)
        assert not visible(personas.chairman, child)
        restriction.restriction_lift(actor=personas.officer, restriction=made,
                                     reason="Yêu cầu đã được rút.")
        assert visible(personas.chairman, child)
        events = AuditEvent.objects.filter(object_id=str(child.public_id), action=Action.UPDATE)
        assert sum("restriction" in e.changed_fields for e in events) == 1
        assert sum("restriction_lifted" in e.changed_fields for e in events) == 1
        again = restrict(personas, child)  # a new restriction after the lifted one
        assert again.pk != made.pk

    def test_the_api_list_and_record_hide_it(self, client: Client, tree: Tree,
                                             personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        other = make_child(commune=tree.commune_a, full_name="Lục Văn Khác")
        restrict(personas, child)
        login(client, personas.chairman)
        listed = client.get("/api/v1/children", {"q": "luc"}).json()
        names = [row["full_name"] for row in listed["items"]]
        assert other.full_name in names and NAME not in names
        assert client.get(f"/api/v1/children/{child.public_id}").status_code == 404
        login(client, personas.officer)
        assert client.get(f"/api/v1/children/{child.public_id}").status_code == 200

    def test_the_page_tells_the_reader_it_is_restricted(self, client: Client, tree: Tree,
                                                        personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        restrict(personas, child)
        login(client, personas.officer)
        page = client.get(reverse("registry:child_detail", args=[child.public_id])).content.decode()
        assert "hạn chế xử lý" in page
        login(client, personas.chairman)
        assert client.get(reverse("registry:child_detail", args=[child.public_id])).status_code == 404


class RefusalTests:
    @pytest.mark.parametrize(("roles", "reason", "field"), [
        ((), "Lý do", "roles"),
        (("commune_officer", "king"), "Lý do", "roles"),
        (("commune_officer",), "   ", "reason"),
        (("commune_officer",), "x" * 1001, "reason"),
    ])
    def test_bad_input_changes_nothing(self, tree: Tree, personas: Personas, roles: tuple,
                                       reason: str, field: str) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        with writes_nothing(lambda: ChildRestriction.objects.count()), \
                pytest.raises(ValidationError) as refused:
            restriction.restriction_apply(actor=personas.officer, child=child, roles=roles,
                                          reason=reason)
        assert field in refused.value.message_dict

    def test_one_active_restriction_at_a_time(self, tree: Tree, personas: Personas) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        restrict(personas, child)
        with pytest.raises(ValidationError):
            restrict(personas, child)
        assert ChildRestriction.objects.active().count() == 1

    def test_a_lifted_restriction_is_not_lifted_twice(self, tree: Tree,
                                                      personas: Personas) -> None:
        made = restrict(personas, make_child(commune=tree.commune_a, full_name=NAME))
        restriction.restriction_lift(actor=personas.officer, restriction=made, reason="Hết.")
        with pytest.raises(ValidationError):
            restriction.restriction_lift(actor=personas.officer, restriction=made, reason="Lại.")

    @pytest.mark.parametrize("who", ["outsider", "auditor", "collaborator", "sector_focal"])
    def test_who_does_not_handle_requests_there_cannot(self, tree: Tree, personas: Personas,
                                                       who: str) -> None:
        child = make_child(commune=tree.commune_a, full_name=NAME)
        with pytest.raises(PermissionDenied):
            restriction.restriction_apply(actor=getattr(personas, who), child=child,
                                          roles=[Role.AUDITOR], reason="Lý do")
        assert not ChildRestriction.objects.exists()

    def test_a_merged_record_is_not_restricted(self, tree: Tree, personas: Personas) -> None:
        kept = make_child(commune=tree.commune_a, full_name=NAME)
        merged = make_child(commune=tree.commune_a, full_name=NAME, merged_into=kept)
        with pytest.raises(ValidationError):
            restrict(personas, merged)
