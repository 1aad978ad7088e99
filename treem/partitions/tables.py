"""Which tables are partitioned on PostgreSQL, and by what.

The large tables (DESIGN: a province holds about a million children, the nation 26 million)
are partitioned by the province code that every one of their rows carries. A child's history
rows carry the child's province (`treem.registry.history_province`), a residence and a case
their own commune's. SQLite keeps them as plain tables.
"""

PROVINCE_COLUMN = "province_code"

BY_PROVINCE = (
    "registry.Child",
    "registry.ChildCircumstance",
    "registry.ChildRisk",
    "registry.ChildSupport",
    "registry.ChildResidence",
    "registry.ChildStatusPast",
    "cases.Case",
    "indicators.SectorFigure",
)

# Columns unique across the whole nation, not only within a province: a personal id number
# names one person wherever the record lives.
UNIQUE_ACROSS_PROVINCES = {
    "registry.Child": ("personal_id",),
}

# The audit trail, the largest table, is partitioned by month first (a month is what is
# archived, detached whole), then by province. Events of the nation ("" code) get their own.
BY_MONTH_AND_PROVINCE = {
    "audit.AuditEvent": "at",
}
NATION_KEY = "nation"
MONTHS_AHEAD = 3  # months made before they begin, so that no event waits in the default
