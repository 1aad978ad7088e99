"""Roles are shown by the names the legal texts give them, wherever a role is displayed."""

from treem.accounts.roles import Role


class RoleNameTests:
    def test_the_one_who_approves_plans_is_named_as_nghi_dinh_56_names_him(self) -> None:
        # Nghị định 56/2017/NĐ-CP Điều 28 khoản 1: the plan is submitted "trình Chủ tịch Ủy ban
        # nhân dân cấp xã phê duyệt".
        assert Role.COMMUNE_LEADER.label == "Chủ tịch Ủy ban nhân dân cấp xã"

    def test_the_commune_officer_is_named_as_nghi_dinh_56_names_it(self) -> None:
        # Điều 26–28: "người làm công tác bảo vệ trẻ em cấp xã" assesses and builds the plan.
        assert Role.COMMUNE_OFFICER.label == "Người làm công tác bảo vệ trẻ em cấp xã"

    def test_the_hotline_has_its_official_name(self) -> None:
        assert "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111" in Role.INTAKE_OPERATOR.label
