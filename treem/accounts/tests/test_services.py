"""Writes about users and assignments, and the scope every read is limited by."""

import datetime
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from treem import testing
from treem.accounts import exceptions as exc
from treem.accounts import services
from treem.accounts.models import ApiToken, RoleAssignment, User
from treem.accounts.permissions import Capability, has_capability, requires_two_factor
from treem.accounts.roles import Role, Sector
from treem.audit.models import Action, AuditEvent
from treem.geo.models import Unit
from treem.geo.paths import collapse
from treem.testing import Personas, Tree, login, make_user, messages_of


def counts() -> tuple[int, int, int, int]:
    return (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count(),
            RoleAssignment.objects.active().count())


writes_nothing = partial(testing.writes_nothing, counts)
refused = partial(testing.refused, snapshot=counts)


def new_user(actor: User, unit: Unit, **fields: Any) -> dict[str, Any]:
    return {"actor": actor, "username": "nguyen_van_an", "full_name": "Nguyễn Văn An",
            "password": "Bao-ve-tre-em-2026", "role": Role.COMMUNE_OFFICER, "unit": unit,
            **fields}


class UserCreateTests:
    def test_admin_creates_a_user_inside_its_province(self, tree: Tree,
                                                      personas: Personas) -> None:
        before = counts()

        user = services.user_create(**new_user(personas.admin, tree.commune_b,
                                               email=" an@example.vn ", phone="0912 345 678"))

        user.refresh_from_db()
        assert user.username == "nguyen_van_an"
        assert user.email == "an@example.vn"
        assert user.created_by == personas.admin
        assert user.check_password("Bao-ve-tre-em-2026")
        assert user.password.startswith("argon2")
        assignment = RoleAssignment.objects.get(user=user)
        assert (assignment.role, assignment.unit, assignment.sector, assignment.created_by) == (
            Role.COMMUNE_OFFICER, tree.commune_b, "", personas.admin)
        events = AuditEvent.objects.filter(actor=personas.admin, action=Action.CREATE)
        assert {e.object_type for e in events} == {"accounts.user", "accounts.roleassignment"}
        assert all(e.unit == tree.commune_b for e in events)
        assert "Bao-ve-tre-em-2026" not in str(list(events.values()))
        assert counts() == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 1)

    def test_admin_creates_a_village_collaborator(self, tree: Tree, personas: Personas) -> None:
        user = services.user_create(**new_user(personas.admin, tree.village_a,
                                               role=Role.VILLAGE_COLLABORATOR))

        assert user.scope_paths() == [tree.village_a.path]

    def test_admin_creates_a_sector_focal_point_with_its_sector(self, tree: Tree,
                                                                personas: Personas) -> None:
        user = services.user_create(**new_user(personas.admin, tree.province,
                                               role=Role.SECTOR_FOCAL, sector=Sector.HEALTH))

        assert RoleAssignment.objects.get(user=user).sector == Sector.HEALTH

    def test_it_refuses_a_commune_of_the_other_province(self, tree: Tree,
                                                        personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_c))

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)

    def test_it_refuses_the_nation(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.nation,
                                                         role=Role.AREA_OFFICER))

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)

    def test_it_refuses_a_former_unit_even_in_scope(self, tree: Tree,
                                                    personas: Personas) -> None:
        assert personas.admin.in_scope(tree.old_commune.path)

        error = refused(services.user_create, **new_user(personas.admin, tree.old_commune))

        assert messages_of(error, "unit") == [str(exc.UNIT_NOT_CURRENT)]

    def test_it_refuses_a_commune_officer_on_a_province(self, tree: Tree,
                                                        personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.province))

        assert messages_of(error, "role") == [
            "Vai trò “Người làm công tác bảo vệ trẻ em cấp xã” không được giao ở cấp “Tỉnh, thành phố”."
        ]

    def test_it_refuses_a_village_collaborator_on_a_commune(self, tree: Tree,
                                                            personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         role=Role.VILLAGE_COLLABORATOR))

        assert "role" in error.message_dict

    def test_it_refuses_a_sector_focal_point_without_a_sector(self, tree: Tree,
                                                              personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.province,
                                                         role=Role.SECTOR_FOCAL))

        assert messages_of(error, "sector") == [str(exc.SECTOR_REQUIRED)]

    def test_it_refuses_a_sector_for_another_role(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         sector=Sector.POLICE))

        assert messages_of(error, "sector") == [str(exc.SECTOR_NOT_ALLOWED)]

    def test_it_refuses_an_unknown_sector(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.province,
                                                         role=Role.SECTOR_FOCAL, sector="army"))

        assert messages_of(error, "sector") == [str(exc.SECTOR_UNKNOWN)]

    def test_it_refuses_an_unknown_role(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         role="superuser"))

        assert messages_of(error, "role") == [str(exc.ROLE_UNKNOWN)]

    @pytest.mark.parametrize("password", ["12345678901", "matkhaudai"])
    def test_it_refuses_a_weak_password(self, tree: Tree, personas: Personas,
                                        password: str) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         password=password))

        assert "Mật khẩu phải có cả chữ và số." in messages_of(error, "password")

    def test_it_refuses_a_short_password(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         password="Ngan-1"))

        assert len(messages_of(error, "password")) == 1

    def test_it_refuses_a_password_like_the_username(self, tree: Tree,
                                                     personas: Personas) -> None:
        error = refused(services.user_create, **new_user(
            personas.admin, tree.commune_a, username="thucphan2026",
            password="thucphan2026"))

        assert "password" in error.message_dict

    @pytest.mark.parametrize("username", ["officer_a", "OFFICER_A", " Officer_A "])
    def test_it_refuses_a_taken_username_whatever_its_case(self, tree: Tree, personas: Personas,
                                                           username: str) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         username=username))

        assert messages_of(error, "username") == [str(exc.USERNAME_TAKEN)]

    def test_it_refuses_a_bad_email(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.user_create, **new_user(personas.admin, tree.commune_a,
                                                         email="khong-phai-email"))

        assert "email" in error.message_dict

    @pytest.mark.parametrize("actor", ["officer", "chairman", "auditor", "province_officer"])
    def test_only_an_administrator_creates_users(self, tree: Tree, personas: Personas,
                                                 actor: str) -> None:
        error = refused(services.user_create,
                        **new_user(getattr(personas, actor), tree.commune_a))

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)


class AssignmentAddTests:
    def test_admin_gives_a_second_role(self, tree: Tree, personas: Personas) -> None:
        officer = personas.officer
        assert not officer.in_scope(tree.commune_b.path)

        assignment = services.assignment_add(actor=personas.admin, user=officer,
                                             role=Role.AUDITOR, unit=tree.commune_b)

        assert assignment.created_by == personas.admin
        assert officer.active_roles() == {Role.COMMUNE_OFFICER, Role.AUDITOR}
        assert officer.in_scope(tree.commune_b.path)
        assert AuditEvent.objects.filter(action=Action.CREATE, actor=personas.admin,
                                         object_id=str(assignment.public_id)).exists()

    def test_it_refuses_the_same_role_twice(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.assignment_add, actor=personas.admin, user=personas.officer,
                        role=Role.COMMUNE_OFFICER, unit=tree.commune_a)

        assert messages_of(error) == [str(exc.ASSIGNMENT_EXISTS)]

    def test_it_refuses_a_unit_out_of_scope(self, tree: Tree, personas: Personas) -> None:
        error = refused(services.assignment_add, actor=personas.admin, user=personas.officer,
                        role=Role.AUDITOR, unit=tree.other_province)

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)

    def test_an_administrator_cannot_give_itself_a_role(self, tree: Tree,
                                                        personas: Personas) -> None:
        error = refused(services.assignment_add, actor=personas.admin, user=personas.admin,
                        role=Role.AUDITOR, unit=tree.province)

        assert messages_of(error) == [str(exc.CANNOT_CHANGE_SELF)]
        assert not has_capability(personas.admin, Capability.VIEW_AUDIT)

    def test_an_officer_cannot_give_roles(self, tree: Tree, personas: Personas) -> None:
        refused(services.assignment_add, actor=personas.officer, user=personas.collaborator,
                role=Role.VILLAGE_COLLABORATOR, unit=tree.village_a)

    def test_it_refuses_a_user_who_holds_no_role_in_the_administrators_scope(
        self, tree: Tree, personas: Personas
    ) -> None:
        hanoi = make_user("hanoi_officer", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)

        with writes_nothing():
            error = refused(services.assignment_add, actor=personas.admin, user=hanoi,
                            role=Role.AUDITOR, unit=tree.commune_a)

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)


class AssignmentRevokeTests:
    def test_admin_revokes_one_of_two_roles(self, tree: Tree, personas: Personas) -> None:
        extra = services.assignment_add(actor=personas.admin, user=personas.officer,
                                        role=Role.AUDITOR, unit=tree.commune_b)

        services.assignment_revoke(actor=personas.admin, assignment=extra)

        extra.refresh_from_db()
        assert extra.revoked_at is not None
        officer = User.objects.get(pk=personas.officer.pk)
        assert officer.active_roles() == {Role.COMMUNE_OFFICER}
        assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(extra.public_id),
                                         changed_fields=["revoked_at"]).exists()

    def test_it_refuses_to_revoke_the_last_role(self, tree: Tree, personas: Personas) -> None:
        only = RoleAssignment.objects.get(user=personas.officer)

        error = refused(services.assignment_revoke, actor=personas.admin, assignment=only)

        assert messages_of(error) == [str(exc.LAST_ASSIGNMENT)]
        only.refresh_from_db()
        assert only.revoked_at is None

    def test_an_administrator_cannot_revoke_its_own_role(self, tree: Tree,
                                                         personas: Personas) -> None:
        RoleAssignment.objects.create(user=personas.admin, role=Role.AUDITOR, unit=tree.province)
        own = RoleAssignment.objects.get(user=personas.admin, role=Role.SYSTEM_ADMIN)

        error = refused(services.assignment_revoke, actor=personas.admin, assignment=own)

        assert messages_of(error) == [str(exc.CANNOT_CHANGE_SELF)]

    def test_it_refuses_an_assignment_out_of_scope(self, tree: Tree, personas: Personas) -> None:
        hanoi = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        RoleAssignment.objects.create(user=hanoi, role=Role.AUDITOR, unit=tree.other_province)
        outside = RoleAssignment.objects.get(user=hanoi, role=Role.COMMUNE_OFFICER)

        error = refused(services.assignment_revoke, actor=personas.admin, assignment=outside)

        assert testing.out_of_scope(error) == str(exc.UNIT_OUT_OF_SCOPE)

    def test_it_refuses_an_assignment_already_revoked(self, tree: Tree,
                                                      personas: Personas) -> None:
        extra = services.assignment_add(actor=personas.admin, user=personas.officer,
                                        role=Role.AUDITOR, unit=tree.commune_b)
        RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                      unit=tree.commune_a)
        services.assignment_revoke(actor=personas.admin, assignment=extra)
        revoked_at = RoleAssignment.objects.get(pk=extra.pk).revoked_at

        error = refused(services.assignment_revoke, actor=personas.admin, assignment=extra)

        assert messages_of(error) == [str(exc.ASSIGNMENT_ALREADY_REVOKED)]
        assert RoleAssignment.objects.get(pk=extra.pk).revoked_at == revoked_at


    def test_a_stale_page_does_not_revoke_twice(self, tree: Tree, personas: Personas) -> None:
        extra = services.assignment_add(actor=personas.admin, user=personas.officer,
                                        role=Role.AUDITOR, unit=tree.commune_b)
        RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                      unit=tree.commune_a)
        stale = RoleAssignment.objects.get(pk=extra.pk)  # read before the other revoke
        services.assignment_revoke(actor=personas.admin, assignment=extra)

        error = refused(services.assignment_revoke, actor=personas.admin, assignment=stale)

        assert messages_of(error) == [str(exc.ASSIGNMENT_ALREADY_REVOKED)]
        assert AuditEvent.objects.filter(object_id=str(extra.public_id),
                                         changed_fields=["revoked_at"]).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentAssignmentTests:
    def test_two_administrators_revoking_the_last_two_roles_at_once_leave_one(
        self, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        tree = testing.make_tree()
        personas = testing.make_personas(tree)
        second_admin = make_user("admin_2", role=Role.SYSTEM_ADMIN, unit=tree.province)
        auditor = RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                                unit=tree.commune_a)
        officer = RoleAssignment.objects.get(user=personas.officer, role=Role.COMMUNE_OFFICER)
        def revoke(actor: User, assignment: RoleAssignment) -> str:
            services.assignment_revoke(actor=actor, assignment=assignment)
            return "revoked"

        results = testing.at_once({"first": lambda: revoke(personas.admin, auditor),
                                   "second": lambda: revoke(second_admin, officer)},
                                  meet=(services, "event_record"), monkeypatch=monkeypatch)

        assert sorted(map(str, results.values())) == sorted(
            ["revoked", str([str(exc.LAST_ASSIGNMENT)])])
        assert RoleAssignment.objects.active().filter(user=personas.officer).count() == 1


class UserSetActiveTests:
    def test_deactivation_ends_sessions_and_revokes_tokens(self, personas: Personas) -> None:
        officer = personas.officer
        browser = login(Client(), officer)
        token, _raw = services.token_create(user=officer, name="Excel", days=30)
        stamp = officer.security_stamp

        services.user_set_active(actor=personas.admin, user=officer, active=False)

        officer.refresh_from_db()
        token.refresh_from_db()
        assert officer.is_active is False
        assert officer.security_stamp != stamp
        assert token.revoked_at is not None
        assert ApiToken.objects.usable().filter(user=officer).count() == 0
        response = browser.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert AuditEvent.objects.filter(actor=personas.admin, action=Action.UPDATE,
                                         changed_fields=["is_active"]).exists()

    def test_reactivation_lets_the_user_sign_in_again(self, personas: Personas) -> None:
        services.user_set_active(actor=personas.admin, user=personas.collaborator, active=False)

        services.user_set_active(actor=personas.admin, user=personas.collaborator, active=True)

        user = services.login_attempt(username="ctv_a", password="Mat-khau-2026",
                                      address="127.0.0.1")
        assert user.pk == personas.collaborator.pk

    def test_a_deactivated_user_has_no_scope(self, tree: Tree, personas: Personas) -> None:
        services.user_set_active(actor=personas.admin, user=personas.officer, active=False)

        officer = User.objects.get(pk=personas.officer.pk)
        assert officer.scope_paths() == []
        assert not has_capability(officer, Capability.VIEW_UNITS)

    def test_an_administrator_cannot_deactivate_itself(self, personas: Personas) -> None:
        error = refused(services.user_set_active, actor=personas.admin, user=personas.admin,
                        active=False)

        assert messages_of(error) == [str(exc.CANNOT_CHANGE_SELF)]
        assert User.objects.get(pk=personas.admin.pk).is_active is True

    def test_it_refuses_a_user_with_a_role_out_of_scope(self, tree: Tree,
                                                        personas: Personas) -> None:
        RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                      unit=tree.other_province)

        refused(services.user_set_active, actor=personas.admin, user=personas.officer,
                active=False)

        assert User.objects.get(pk=personas.officer.pk).is_active is True

    def test_it_refuses_the_nation_wide_operator(self, personas: Personas) -> None:
        refused(services.user_set_active, actor=personas.admin, user=personas.intake,
                active=False)

    def test_an_officer_cannot_deactivate_anyone(self, personas: Personas) -> None:
        refused(services.user_set_active, actor=personas.officer, user=personas.collaborator,
                active=False)

        assert User.objects.get(pk=personas.collaborator.pk).is_active is True


class UserUnlockTests:
    def test_admin_unlocks_a_locked_user(self, personas: Personas) -> None:
        testing.lock_out("officer_a", until=timezone.now() + datetime.timedelta(minutes=10),
                         failures=3)
        officer = User.objects.get(pk=personas.officer.pk)

        services.user_unlock(actor=personas.admin, user=officer)

        assert testing.locked_until("officer_a") is None
        assert testing.sign_in_failures("officer_a") == 0
        assert AuditEvent.objects.filter(actor=personas.admin, action=Action.UNLOCKED,
                                         changed_fields=["locked_until"]).exists()

    def test_it_refuses_a_user_out_of_scope(self, tree: Tree, personas: Personas) -> None:
        hanoi = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        until = timezone.now() + datetime.timedelta(minutes=10)
        testing.lock_out("officer_c", until=until)

        refused(services.user_unlock, actor=personas.admin, user=hanoi)

        assert testing.locked_until("officer_c") == until


class LoginAttemptTests:
    def test_it_returns_the_user_for_the_right_password(self, personas: Personas) -> None:
        user = services.login_attempt(username=" ctv_a ", password="Mat-khau-2026",
                                      address=None)

        assert user == personas.collaborator

    def test_an_unknown_user_writes_a_failure_without_an_object(self, personas: Personas) -> None:
        with pytest.raises(exc.LoginFailed):
            services.login_attempt(username="nobody", password="Mat-khau-2026", address=None)

        event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
        assert (event.actor, event.object_id) == (None, "")

    def test_a_failure_belongs_to_the_unit_of_the_user(self, tree: Tree,
                                                       personas: Personas) -> None:
        with pytest.raises(exc.LoginFailed):
            services.login_attempt(username="officer_a", password="sai", address=None)

        event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
        assert event.unit == tree.commune_a
        assert event.actor_username == "officer_a"

    def test_staff_need_a_second_factor_and_collaborators_do_not(self,
                                                                 personas: Personas) -> None:
        assert requires_two_factor(personas.collaborator) is False
        for staff in (personas.officer, personas.admin, personas.auditor, personas.intake):
            assert requires_two_factor(staff) is True

    def test_a_collaborator_with_a_staff_role_needs_a_second_factor(self, tree: Tree,
                                                                    personas: Personas) -> None:
        RoleAssignment.objects.create(user=personas.collaborator, role=Role.AUDITOR,
                                      unit=tree.commune_a)

        assert requires_two_factor(User.objects.get(pk=personas.collaborator.pk)) is True

    def test_a_user_without_roles_needs_a_second_factor(self, tree: Tree) -> None:
        assert requires_two_factor(make_user("khong_vai_tro")) is True


class UsernameTests:
    def test_the_database_refuses_a_username_differing_only_in_case(
        self, personas: Personas
    ) -> None:
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="OFFICER_A", full_name="Trùng tên")

    def test_sign_in_ignores_the_case_of_the_username(self, personas: Personas) -> None:
        from treem.testing import PASSWORD

        assert services.login_attempt(username="Officer_A", password=PASSWORD,
                                      address=None) == personas.officer


class ScopeTests:
    def test_each_persona_sees_its_part_of_the_tree(self, tree: Tree,
                                                    personas: Personas) -> None:
        commune_a = collapse([tree.commune_a.path, tree.old_commune.path])
        province = collapse([tree.province.path, tree.old_province.path])

        assert personas.collaborator.scope_paths() == [tree.village_a.path]
        assert personas.officer.scope_paths() == commune_a
        assert personas.chairman.scope_paths() == commune_a
        assert personas.outsider.scope_paths() == [tree.commune_b.path]
        assert personas.province_officer.scope_paths() == province
        assert personas.sector_focal.scope_paths() == province
        assert personas.auditor.scope_paths() == province
        assert personas.admin.scope_paths() == province
        assert personas.intake.scope_paths() == [tree.nation.path]

    def test_the_outsider_does_not_see_commune_a(self, tree: Tree, personas: Personas) -> None:
        assert not personas.outsider.in_scope(tree.commune_a.path)
        assert not personas.outsider.in_scope(tree.village_a.path)
        assert not personas.collaborator.in_scope(tree.commune_a.path)
        assert personas.officer.in_scope(tree.village_a.path)

    def test_old_units_are_seen_through_their_successor(self, tree: Tree,
                                                        personas: Personas) -> None:
        assert personas.officer.in_scope(tree.old_commune.path)
        assert not personas.outsider.in_scope(tree.old_commune.path)
        assert personas.province_officer.in_scope(tree.old_district.path)
        visible = Unit.objects.visible_to(personas.officer)
        assert set(visible) == {tree.commune_a, tree.village_a, tree.old_commune}

    def test_a_capability_limits_the_scope_to_the_roles_granting_it(
        self, tree: Tree, personas: Personas
    ) -> None:
        officer = personas.officer
        RoleAssignment.objects.create(user=officer, role=Role.AUDITOR, unit=tree.other_province)
        officer = User.objects.get(pk=officer.pk)

        assert officer.in_scope(tree.commune_c.path)
        assert officer.in_scope(tree.village_a.path, capability=Capability.MANAGE_VILLAGES)
        assert not officer.in_scope(tree.commune_c.path, capability=Capability.MANAGE_VILLAGES)
        assert officer.scope_paths(capability=Capability.MANAGE_VILLAGES) == collapse(
            [tree.commune_a.path, tree.old_commune.path])
        assert officer.scope_paths(capability=Capability.VIEW_AUDIT) == [
            tree.other_province.path]
        assert officer.scope_paths(capability=Capability.MANAGE_USERS) == []

    def test_a_revoked_role_no_longer_counts(self, tree: Tree, personas: Personas) -> None:
        RoleAssignment.objects.filter(user=personas.outsider).update(revoked_at=timezone.now())

        outsider = User.objects.get(pk=personas.outsider.pk)
        assert outsider.scope_paths() == []
        assert outsider.active_roles() == set()

    def test_anonymous_users_have_no_scope(self, tree: Tree) -> None:
        from django.contrib.auth.models import AnonymousUser

        from treem.geo.models import Unit, readable_paths

        assert readable_paths(AnonymousUser()) == []
        assert not Unit.objects.visible_to(AnonymousUser()).exists()
        assert not has_capability(AnonymousUser(), Capability.VIEW_UNITS)
