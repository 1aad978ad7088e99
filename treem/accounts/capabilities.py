"""Capabilities: what each role may do, in one central map.

Views and API operations are gated by a capability (`permissions.require_capability`); rows
are then limited by the user's scope in selectors. Nothing else checks roles.
"""

from enum import StrEnum

from treem.accounts.roles import Role


class Capability(StrEnum):
    VIEW_UNITS = "view_units"
    MANAGE_VILLAGES = "manage_villages"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_CHILDREN = "view_children"
    MANAGE_CHILDREN = "manage_children"
    EXPORT_CHILDREN = "export_children"
    MERGE_CHILDREN = "merge_children"
    UNMERGE_CHILDREN = "unmerge_children"
    RECEIVE_NOTIFICATIONS = "receive_notifications"
    RAISE_CONCERNS = "raise_concerns"
    MANAGE_CASES = "manage_cases"
    APPROVE_CASE_PLANS = "approve_case_plans"
    VIEW_CASES = "view_cases"
    HANDLE_REFERRALS = "handle_referrals"
    VIEW_CASE_STATISTICS = "view_case_statistics"
    SEE_SHARED_CASES = "see_shared_cases"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_INDICATORS = "view_indicators"
    ENTER_SECTOR_FIGURES = "enter_sector_figures"
    MANAGE_TARGETS = "manage_targets"
    MANAGE_CATALOGUE = "manage_catalogue"
    WRITE_REPORTS = "write_reports"
    REVIEW_REPORTS = "review_reports"
    VIEW_PLANS = "view_plans"
    MANAGE_PLANS = "manage_plans"
    REPORT_TASK_PROGRESS = "report_task_progress"
    VIEW_FUND = "view_fund"
    MANAGE_FUND = "manage_fund"
    VIEW_NEEDS = "view_needs"
    PROPOSE_NEEDS = "propose_needs"
    APPROVE_NEEDS = "approve_needs"
    APPROVE_ALLOCATIONS = "approve_allocations"
    RECORD_DELIVERIES = "record_deliveries"
    VIEW_PROCESSING_REGISTER = "view_processing_register"
    MANAGE_PROCESSING_REGISTER = "manage_processing_register"
    VIEW_DATA_REQUESTS = "view_data_requests"
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    MANAGE_RETENTION = "manage_retention"
    REVIEW_RETENTION = "review_retention"
    REQUEST_EXTRACTS = "request_extracts"
    APPROVE_EXTRACTS = "approve_extracts"
    VIEW_ACCESS_ALERTS = "view_access_alerts"
    RECORD_BREACHES = "record_breaches"
    CHECK_POPULATION_DATA = "check_population_data"


ALL_ROLES = frozenset(Role)

CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_UNITS: ALL_ROLES,
    # Villages are kept by the commune (DESIGN.md: commune officers create them).
    Capability.MANAGE_VILLAGES: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}),
    Capability.MANAGE_USERS: frozenset({Role.SYSTEM_ADMIN}),
    Capability.VIEW_AUDIT: frozenset({Role.AUDITOR}),
    # The register: kept by the commune and its village collaborators; read by the levels
    # above (lists of children in special circumstances go up every quarter) and auditors.
    # Hotline operators, sector focal points, fund managers and administrators see no register.
    Capability.VIEW_CHILDREN: frozenset({Role.VILLAGE_COLLABORATOR, Role.COMMUNE_OFFICER,
                                         Role.COMMUNE_LEADER, Role.AREA_OFFICER, Role.AUDITOR}),
    Capability.MANAGE_CHILDREN: frozenset({Role.VILLAGE_COLLABORATOR, Role.COMMUNE_OFFICER,
                                           Role.COMMUNE_LEADER}),
    Capability.EXPORT_CHILDREN: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                           Role.AREA_OFFICER}),
    Capability.MERGE_CHILDREN: frozenset({Role.COMMUNE_OFFICER, Role.AREA_OFFICER}),
    # Undoing a merge is the administrator's: it sees the merge log (references, dates, who
    # and why), not the children's records.
    Capability.UNMERGE_CHILDREN: frozenset({Role.SYSTEM_ADMIN}),
    # Cases (Nghị định 56/2017 Điều 25–32): a report is received by the hotline or by the
    # commune; the commune's child-protection officer handles the case; the chairman of the
    # commune approves its support plan.
    # A village collaborator raises a concern about a child of its village to its commune (the
    # commune's notification form), read by the commune, never again by the collaborator.
    Capability.RAISE_CONCERNS: frozenset({Role.VILLAGE_COLLABORATOR}),
    Capability.RECEIVE_NOTIFICATIONS: frozenset({Role.INTAKE_OPERATOR, Role.COMMUNE_OFFICER,
                                                 Role.COMMUNE_LEADER}),
    Capability.MANAGE_CASES: frozenset({Role.COMMUNE_OFFICER}),
    Capability.APPROVE_CASE_PLANS: frozenset({Role.COMMUNE_LEADER}),
    # Opens the case pages; which cases a user sees is need-to-know (treem/cases/selectors).
    Capability.VIEW_CASES: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                      Role.SECTOR_FOCAL, Role.AREA_OFFICER}),
    # A sector's focal point answers the referrals sent to its sector in its area.
    Capability.HANDLE_REFERRALS: frozenset({Role.SECTOR_FOCAL}),
    # The days off that deadlines skip are national data, kept by a nation-wide administrator
    # (the services check the level).
    Capability.MANAGE_CALENDAR: frozenset({Role.SYSTEM_ADMIN}),
    # The levels above see a case only when the commune shares it with them.
    Capability.SEE_SHARED_CASES: frozenset({Role.AREA_OFFICER}),
    # Counts of cases and of deaths by injury, never names: the commune for itself, the levels
    # above for their subtree (the periodic and ad-hoc reports of the plans).
    Capability.VIEW_CASE_STATISTICS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                                Role.AREA_OFFICER, Role.AUDITOR}),
    # Indicators are aggregates, never names: every level that plans or reports reads them
    # for its area.
    Capability.VIEW_INDICATORS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                           Role.AREA_OFFICER, Role.SECTOR_FOCAL, Role.AUDITOR}),
    # The figures a sector holds (vaccination, enrolment, violations…): entered by the
    # sector's focal point for its area, or by the commune officer who collects them.
    Capability.ENTER_SECTOR_FIGURES: frozenset({Role.SECTOR_FOCAL, Role.COMMUNE_OFFICER}),
    # Each unit's targets: the commune's leader for the commune, the levels above for theirs.
    Capability.MANAGE_TARGETS: frozenset({Role.COMMUNE_LEADER, Role.AREA_OFFICER}),
    # Local indicator sets (a plan's own targets) are kept by the province's administrators.
    Capability.MANAGE_CATALOGUE: frozenset({Role.SYSTEM_ADMIN}),
    # A unit's periodic report is written by its own officers (the commune's officer and
    # leader, a province's or district's officers) and reviewed by the officers of the unit
    # above (services.may_write / may_review compare the assignment's unit).
    Capability.WRITE_REPORTS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                         Role.AREA_OFFICER}),
    Capability.REVIEW_REPORTS: frozenset({Role.AREA_OFFICER}),
    # Plans are public administrative documents of the People's Committees: every level that
    # carries them out reads them (its own, those above it it implements, those of the units
    # below it); they hold no personal data.
    Capability.VIEW_PLANS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                      Role.AREA_OFFICER, Role.SECTOR_FOCAL, Role.AUDITOR}),
    # A unit's plans, agencies and task assignments are kept by its child-protection office
    # (the province's or district's officers; the commune's chairman and officer for the
    # commune's own plan).
    Capability.MANAGE_PLANS: frozenset({Role.AREA_OFFICER, Role.COMMUNE_LEADER,
                                        Role.COMMUNE_OFFICER}),
    # An agency's focal point reports the progress of its own agency's tasks.
    Capability.REPORT_TASK_PROGRESS: frozenset({Role.SECTOR_FOCAL}),
    # The fund's ledger is kept by its manager; the province's office and auditors read it.
    Capability.VIEW_FUND: frozenset({Role.FUND_MANAGER, Role.FUND_APPROVER, Role.AREA_OFFICER,
                                     Role.AUDITOR}),
    Capability.MANAGE_FUND: frozenset({Role.FUND_MANAGER}),
    # The needs list (Hải Phòng's plan): the commune proposes its children's needs, the
    # province's office approves them, the fund answers them; the commune hands the support
    # over. Which child's name a reader sees follows the register (treem/fund/needs.py).
    Capability.VIEW_NEEDS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                      Role.AREA_OFFICER, Role.FUND_MANAGER,
                                      Role.FUND_APPROVER, Role.AUDITOR}),
    Capability.PROPOSE_NEEDS: frozenset({Role.COMMUNE_OFFICER}),
    Capability.APPROVE_NEEDS: frozenset({Role.AREA_OFFICER}),
    Capability.APPROVE_ALLOCATIONS: frozenset({Role.FUND_APPROVER}),
    Capability.RECORD_DELIVERIES: frozenset({Role.COMMUNE_OFFICER, Role.FUND_MANAGER}),
    # Personal-data protection (Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP; docs/privacy-law.md).
    # The register of processing activities is the installation's: kept by its administrators,
    # read by auditors and the province's office that answers for it.
    Capability.VIEW_PROCESSING_REGISTER: frozenset({Role.SYSTEM_ADMIN, Role.AUDITOR,
                                                    Role.AREA_OFFICER}),
    Capability.MANAGE_PROCESSING_REGISTER: frozenset({Role.SYSTEM_ADMIN}),
    # A parent's request about their child's data is received where the child is known: the
    # commune; the province's office answers those the commune sends up, auditors read them.
    Capability.VIEW_DATA_REQUESTS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                              Role.AREA_OFFICER, Role.AUDITOR}),
    Capability.HANDLE_DATA_REQUESTS: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER,
                                                Role.AREA_OFFICER}),
    # How long each kind of record is kept is set by the installation; what reached its end is
    # reviewed (anonymised, erased or held) by the province's office.
    Capability.MANAGE_RETENTION: frozenset({Role.SYSTEM_ADMIN}),
    Capability.REVIEW_RETENTION: frozenset({Role.AREA_OFFICER}),
    # Pseudonymised extracts for research and planning: asked for by the province's office,
    # approved by another of its officers (never by the one who asked).
    Capability.REQUEST_EXTRACTS: frozenset({Role.AREA_OFFICER}),
    Capability.APPROVE_EXTRACTS: frozenset({Role.AREA_OFFICER}),
    # Unusual access and breaches are the auditors'.
    Capability.VIEW_ACCESS_ALERTS: frozenset({Role.AUDITOR}),
    Capability.RECORD_BREACHES: frozenset({Role.AUDITOR}),
    # The exchange with the commune police over the national population database (Đề án 06):
    # who keeps the register may check its children's personal ids.
    Capability.CHECK_POPULATION_DATA: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}),
}


def roles_with(capability: str) -> frozenset[str]:
    return CAPABILITIES[Capability(capability)]
