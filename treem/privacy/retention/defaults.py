"""The retention rules an installation starts with (loaded by migration 0002 and by the
`privacy_defaults` command; never overwriting a rule someone has set).

No period here rests on a legal text: none was found for child-protection case files or the
register (docs/privacy-law.md §8). Each rule is marked unverified and says so; the province
sets its own. The job only lists; a person decides (docs/retention.md)."""

from typing import Any

UNVERIFIED = "UNVERIFIED — set by the province"
PLACEHOLDER_BASIS = (
    "CHƯA ĐỐI CHIẾU (UNVERIFIED — set by the province): thời hạn tạm đặt, tỉnh quyết định theo "
    "Luật Lưu trữ và danh mục thời hạn lưu trữ hồ sơ của ngành; Luật Bảo vệ dữ liệu cá nhân "
    "91/2025/QH15 (dữ liệu chỉ lưu trong thời gian cần cho mục đích xử lý).")

DEFAULT_RULES: list[dict[str, Any]] = [
    # A closed case kept ten years after the child turns 18 (placeholder).
    {"record_kind": "case", "counts_from": "child_adult", "years": 10, "action": "anonymise"},
    # A child's register record: the same horizon, so a child is never anonymised before its
    # cases.
    {"record_kind": "child", "counts_from": "child_adult", "years": 10, "action": "anonymise"},
    # A report that led to no case: five years after it was received (placeholder).
    {"record_kind": "notification", "counts_from": "notification_no_case", "years": 5,
     "action": "erase"},
]


def load_defaults(rule_model: Any, version_model: Any) -> int:
    """Create the default rules that do not exist yet (by record kind), with their first
    version; returns how many were created. Works with the migration's historical models."""
    made = 0
    for row in DEFAULT_RULES:
        if rule_model.objects.filter(record_kind=row["record_kind"]).exists():
            continue
        rule = rule_model.objects.create(**row, legal_basis=PLACEHOLDER_BASIS, verified=False)
        version_model.objects.create(
            rule=rule, version=1, counts_from=rule.counts_from, years=rule.years,
            action=rule.action, legal_basis=rule.legal_basis, verified=False, active=True,
            reason="Giá trị mặc định khi cài đặt (" + UNVERIFIED + ")")
        made += 1
    return made
