"""The user administration pages: list, creation, detail, status and role revocation."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone

from treem.accounts import exceptions as exc
from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.testing import (
    PASSWORD,
    Personas,
    Tree,
    lock_out,
    locked_until,
    login,
    make_user,
    sign_in_failures,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

USERS = "/accounts/users/"
NEW_USER = "/accounts/users/new/"
# Queries of the list page whatever the number of users listed (session, user, device, scope
# and succession, count, page, assignments of the page, session save in a savepoint).
LIST_QUERIES = 11



@pytest.fixture
def hanoi_officer(tree: Tree) -> User:
    return make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)


@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    return login(client, personas.admin)


def detail_url(user: User) -> str:
    return f"/accounts/users/{user.public_id}/"


def status_url(user: User) -> str:
    return f"/accounts/users/{user.public_id}/status/"


def listed(response: Response) -> set[str]:
    return {user.username for user in response.context["page"]}


def counts() -> tuple[int, int, int]:
    """Rows written: users, roles, and audit events other than the record of a read."""
    return (User.objects.count(), RoleAssignment.objects.count(),
            AuditEvent.objects.exclude(action=Action.VIEW).count())


def new_user(**fields: str) -> dict[str, str]:
    return {"username": "nguyen_van_an", "full_name": "Nguyễn Văn An", "email": "",
            "phone": "0912 345 678", "password": "Bao-ve-tre-em-2026",
            "role": Role.COMMUNE_OFFICER, "unit": "01279", "sector": "", **fields}


def field_errors(response: Response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def flash(response: Response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class UserListTests:
    def test_admin_sees_the_users_of_its_province(self, admin_client: Client,
                                                  personas: Personas,
                                                  hanoi_officer: User) -> None:
        response = admin_client.get(USERS)

        assert response.status_code == 200
        assert listed(response) == {"admin", "auditor", "chairman_a", "ctv_a", "officer_a",
                                    "officer_b", "police", "province"}
        assert "officer_c" not in response.content.decode()

    def test_a_user_with_one_role_in_the_province_is_listed(
        self, admin_client: Client, tree: Tree, hanoi_officer: User
    ) -> None:
        RoleAssignment.objects.create(user=hanoi_officer, role=Role.AUDITOR, unit=tree.commune_b)

        assert "officer_c" in listed(admin_client.get(USERS))

    def test_a_revoked_role_does_not_list_the_user(self, admin_client: Client,
                                                   personas: Personas) -> None:
        RoleAssignment.objects.filter(user=personas.outsider).update(revoked_at=timezone.now())

        assert "officer_b" not in listed(admin_client.get(USERS))

    def test_it_searches_by_username_and_full_name(self, admin_client: Client, tree: Tree,
                                                   personas: Personas) -> None:
        make_user("lan", role=Role.COMMUNE_OFFICER, unit=tree.commune_a,
                  full_name="Hoàng Thị Lan")

        assert listed(admin_client.get(USERS, {"q": "officer"})) == {"officer_a", "officer_b"}
        assert listed(admin_client.get(USERS, {"q": "Thị Lan"})) == {"lan"}

    def test_the_query_count_does_not_grow_with_the_users(
        self, admin_client: Client, tree: Tree, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(LIST_QUERIES):
            few = admin_client.get(USERS)
        for n in range(15):
            make_user(f"can_bo_{n:02d}", role=Role.COMMUNE_OFFICER, unit=tree.commune_b)

        with django_assert_max_num_queries(LIST_QUERIES):
            many = admin_client.get(USERS)

        assert len(listed(many)) == len(listed(few)) + 15

    @pytest.mark.parametrize("persona", ["officer", "auditor", "province_officer", "intake"])
    def test_users_without_the_capability_get_403(self, client: Client, personas: Personas,
                                                  persona: str) -> None:
        login(client, getattr(personas, persona))

        assert client.get(USERS).status_code == 403
        assert client.get(NEW_USER).status_code == 403
        assert client.get(detail_url(personas.officer)).status_code == 403

    def test_anonymous_is_sent_to_login(self, client: Client, personas: Personas) -> None:
        for path in (USERS, NEW_USER, detail_url(personas.officer)):
            response = client.get(path)

            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={path}"


class UserDetailTests:
    def test_admin_sees_a_user_of_its_province(self, admin_client: Client,
                                               personas: Personas) -> None:
        response = admin_client.get(detail_url(personas.officer))

        assert response.status_code == 200
        assert response.context["subject"] == personas.officer
        assert "Phường Thục Phán" in response.content.decode()

    def test_a_user_of_the_other_province_gives_404(self, admin_client: Client,
                                                    hanoi_officer: User) -> None:
        assert admin_client.get(detail_url(hanoi_officer)).status_code == 404
        assert admin_client.post(status_url(hanoi_officer),
                                 {"action": "deactivate"}).status_code == 404
        assert User.objects.get(pk=hanoi_officer.pk).is_active is True

    def test_roles_outside_the_province_are_not_shown(self, admin_client: Client, tree: Tree,
                                                      personas: Personas) -> None:
        RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                      unit=tree.commune_c)

        page = admin_client.get(detail_url(personas.officer)).content.decode()

        assert "Phường Thục Phán" in page
        assert "Phường Hoàn Kiếm" not in page

    def test_each_display_of_a_user_is_in_the_audit_trail(self, admin_client: Client,
                                                          personas: Personas) -> None:
        admin_client.get(detail_url(personas.officer))
        admin_client.get(detail_url(personas.officer))

        views = AuditEvent.objects.filter(action=Action.VIEW,
                                          object_id=str(personas.officer.public_id))
        assert views.count() == 2
        assert {e.actor_id for e in views} == {personas.admin.pk}
        assert views.order_by("at")[0].unit_path == personas.officer.assignments.get().unit.path

    def test_a_refused_lookup_records_no_read(self, admin_client: Client, tree: Tree) -> None:
        hanoi = make_user("hanoi_x", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        assert admin_client.get(detail_url(hanoi)).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.VIEW).exists()

    def test_admin_resets_a_lost_authenticator(self, admin_client: Client,
                                               personas: Personas) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from treem.testing import confirmed_device

        confirmed_device(personas.officer)
        stamp = personas.officer.security_stamp

        admin_client.post(status_url(personas.officer), {"action": "reset_otp"})

        officer = User.objects.get(pk=personas.officer.pk)
        assert not TOTPDevice.objects.filter(user=officer).exists()
        assert officer.security_stamp != stamp  # sessions verified with the old phone end
        assert AuditEvent.objects.filter(action=Action.UPDATE, changed_fields=["otp_device"],
                                         object_id=str(officer.public_id)).exists()

    def test_admin_sets_a_new_password_that_ends_old_sessions(self, admin_client: Client,
                                                              personas: Personas) -> None:
        other = login(Client(), personas.officer)
        lock_out("officer_a", until=timezone.now() + datetime.timedelta(minutes=5), failures=3)

        admin_client.post(f"/accounts/users/{personas.officer.public_id}/password/",
                          {"password": "Mat-khau-moi-2026"})

        officer = User.objects.get(pk=personas.officer.pk)
        assert officer.check_password("Mat-khau-moi-2026")
        assert (sign_in_failures("officer_a"), locked_until("officer_a")) == (0, None)
        assert other.get("/").status_code == 302  # the old session is over
        event = AuditEvent.objects.get(action=Action.UPDATE, changed_fields=["password"])
        assert "Mat-khau-moi-2026" not in str(event.__dict__)

    def test_a_weak_new_password_is_refused_in_vietnamese(self, admin_client: Client,
                                                          personas: Personas) -> None:
        before = counts()
        response = admin_client.post(
            f"/accounts/users/{personas.officer.public_id}/password/", {"password": "12345"},
            follow=True)
        assert "Mật khẩu quá ngắn" in response.content.decode()
        assert User.objects.get(pk=personas.officer.pk).check_password(PASSWORD)
        assert counts() == before

    def test_an_unknown_id_gives_404(self, admin_client: Client) -> None:
        assert admin_client.get("/accounts/users/00000000-0000-0000-0000-000000000000/"
                                ).status_code == 404

    def test_admin_gives_a_role_through_the_form(self, admin_client: Client, tree: Tree,
                                                 personas: Personas) -> None:
        response = admin_client.post(detail_url(personas.officer),
                                     {"role": Role.COMMUNE_LEADER, "unit": "01273"})

        assert response.status_code == 302
        assert RoleAssignment.objects.active().filter(
            user=personas.officer, role=Role.COMMUNE_LEADER, unit=tree.commune_a).exists()

    def test_a_role_out_of_scope_is_refused_in_vietnamese(self, admin_client: Client,
                                                          personas: Personas) -> None:
        before = counts()

        response = admin_client.post(detail_url(personas.officer),
                                     {"role": Role.AUDITOR, "unit": "00070"})

        assert response.status_code == 200
        # A refusal of scope (PermissionDenied) is said above the form.
        assert field_errors(response, "__all__") == [str(exc.UNIT_OUT_OF_SCOPE)]
        assert counts() == before


class UserCreateViewTests:
    def test_admin_creates_a_user_with_a_unit_code(self, admin_client: Client,
                                                   tree: Tree) -> None:
        response = admin_client.post(NEW_USER, new_user())

        user = User.objects.get(username="nguyen_van_an")
        assert response.status_code == 302
        assert response["Location"] == detail_url(user)
        assert user.full_name == "Nguyễn Văn An"
        assert user.password.startswith("argon2")
        assignment = RoleAssignment.objects.get(user=user)
        assert (assignment.role, assignment.unit) == (Role.COMMUNE_OFFICER, tree.commune_b)
        assert "Đã tạo tài khoản nguyen_van_an." in flash(admin_client.get(response["Location"]))

    def test_a_village_is_chosen_by_its_code(self, admin_client: Client, tree: Tree) -> None:
        admin_client.post(NEW_USER, new_user(role=Role.VILLAGE_COLLABORATOR, unit="01273-001"))

        assert RoleAssignment.objects.get(user__username="nguyen_van_an").unit == tree.village_a

    @pytest.mark.parametrize(("fields", "field", "message"), [
        ({"unit": "99999"}, "unit", "Không có đơn vị hiện hành nào mang mã “99999”."),
        ({"unit": "01270"}, "unit", "Không có đơn vị hiện hành nào mang mã “01270”."),
        ({"unit": "00070"}, "__all__", str(exc.UNIT_OUT_OF_SCOPE)),
        ({"unit": "04"}, "role",
         "Vai trò “Người làm công tác bảo vệ trẻ em cấp xã” không được giao ở cấp “Tỉnh, thành phố”."),
        ({"role": Role.SECTOR_FOCAL, "unit": "04"}, "sector", str(exc.SECTOR_REQUIRED)),
        ({"username": "OFFICER_A"}, "username", str(exc.USERNAME_TAKEN)),
        ({"username": "Nguyễn An"}, "username",
         "Tên đăng nhập gồm 3–150 chữ cái không dấu, số, . _ -"),
        ({"password": "matkhaudai"}, "password", "Mật khẩu phải có cả chữ và số."),
        ({"phone": "goi-toi"}, "phone", "Số điện thoại không hợp lệ."),
        ({"role": "superuser"}, "role",
         "Hãy chọn một lựa chọn hợp lệ. superuser không phải là một trong các lựa chọn khả thi."),
    ], ids=["unknown-unit", "former-unit", "other-province", "role-level", "no-sector",
            "username-taken", "username-accents", "weak-password", "bad-phone", "bad-role"])
    def test_bad_input_gets_a_vietnamese_error_and_writes_nothing(
        self, admin_client: Client, personas: Personas, fields: dict[str, str], field: str,
        message: str,
    ) -> None:
        before = counts()

        response = admin_client.post(NEW_USER, new_user(**fields))

        assert response.status_code == 200
        assert message in field_errors(response, field)
        assert message in response.content.decode()
        assert counts() == before

    def test_a_missing_name_is_required_in_vietnamese(self, admin_client: Client,
                                                      personas: Personas) -> None:
        before = counts()

        response = admin_client.post(NEW_USER, new_user(full_name=""))

        assert field_errors(response, "full_name") == ["Trường này là bắt buộc."]
        assert counts() == before

    def test_the_form_does_not_echo_the_password(self, admin_client: Client,
                                                 personas: Personas) -> None:
        response = admin_client.post(NEW_USER, new_user(unit="99999"))

        assert "Bao-ve-tre-em-2026" not in response.content.decode()

    def test_an_officer_cannot_post_the_form(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)
        before = counts()

        response = client.post(NEW_USER, new_user(unit="01273"))

        assert response.status_code == 403
        assert counts() == before


class UserStatusViewTests:
    def test_admin_deactivates_and_reactivates_a_user(self, admin_client: Client,
                                                      personas: Personas) -> None:
        response = admin_client.post(status_url(personas.officer), {"action": "deactivate"})

        assert response.status_code == 302
        assert User.objects.get(pk=personas.officer.pk).is_active is False

        admin_client.post(status_url(personas.officer), {"action": "activate"})

        assert User.objects.get(pk=personas.officer.pk).is_active is True

    def test_admin_unlocks_a_locked_user(self, admin_client: Client, personas: Personas) -> None:
        lock_out("officer_a", until=timezone.now() + datetime.timedelta(minutes=10), failures=2)
        page = admin_client.get(f"/accounts/users/{personas.officer.public_id}/")
        assert "Tạm khóa do đăng nhập sai" in page.content.decode()

        admin_client.post(status_url(personas.officer), {"action": "unlock"})

        assert (locked_until("officer_a"), sign_in_failures("officer_a")) == (None, 0)
        page = admin_client.get(f"/accounts/users/{personas.officer.public_id}/")
        assert "Tạm khóa do đăng nhập sai" not in page.content.decode()

    def test_admin_cannot_deactivate_itself(self, admin_client: Client,
                                            personas: Personas) -> None:
        response = admin_client.post(status_url(personas.admin), {"action": "deactivate"},
                                     follow=True)

        assert str(exc.CANNOT_CHANGE_SELF) in flash(response)
        assert User.objects.get(pk=personas.admin.pk).is_active is True

    def test_an_unknown_action_changes_nothing(self, admin_client: Client,
                                               personas: Personas) -> None:
        before = counts()

        response = admin_client.post(status_url(personas.officer), {"action": "delete"},
                                     follow=True)

        assert "Thao tác không hợp lệ." in flash(response)
        assert counts() == before

    def test_status_refuses_get(self, admin_client: Client, personas: Personas) -> None:
        assert admin_client.get(status_url(personas.officer)).status_code == 405

    def test_an_officer_gets_403(self, client: Client, personas: Personas) -> None:
        login(client, personas.officer)

        response = client.post(status_url(personas.collaborator), {"action": "deactivate"})

        assert response.status_code == 403
        assert User.objects.get(pk=personas.collaborator.pk).is_active is True


class AssignmentRevokeViewTests:
    def url(self, assignment: RoleAssignment) -> str:
        return f"/accounts/assignments/{assignment.public_id}/revoke/"

    def test_admin_revokes_one_of_two_roles(self, admin_client: Client, tree: Tree,
                                            personas: Personas) -> None:
        extra = RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                              unit=tree.commune_b)

        response = admin_client.post(self.url(extra))

        assert response.status_code == 302
        assert response["Location"] == detail_url(personas.officer)
        assert RoleAssignment.objects.get(pk=extra.pk).revoked_at is not None

    def test_the_last_role_stays(self, admin_client: Client, personas: Personas) -> None:
        only = RoleAssignment.objects.get(user=personas.officer)

        response = admin_client.post(self.url(only), follow=True)

        assert str(exc.LAST_ASSIGNMENT) in flash(response)
        assert RoleAssignment.objects.get(pk=only.pk).revoked_at is None

    def test_an_assignment_of_the_other_province_gives_404(self, admin_client: Client,
                                                           tree: Tree,
                                                           hanoi_officer: User) -> None:
        RoleAssignment.objects.create(user=hanoi_officer, role=Role.AUDITOR,
                                      unit=tree.other_province)
        outside = RoleAssignment.objects.get(user=hanoi_officer, role=Role.COMMUNE_OFFICER)

        assert admin_client.post(self.url(outside)).status_code == 404
        assert RoleAssignment.objects.get(pk=outside.pk).revoked_at is None

    def test_an_auditor_gets_403(self, client: Client, tree: Tree, personas: Personas) -> None:
        extra = RoleAssignment.objects.create(user=personas.officer, role=Role.AUDITOR,
                                              unit=tree.commune_b)
        login(client, personas.auditor)

        assert client.post(self.url(extra)).status_code == 403
        assert RoleAssignment.objects.get(pk=extra.pk).revoked_at is None
