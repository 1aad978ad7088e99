"""The privacy app's models, one module per sub-domain."""

from treem.privacy.models.alerts import AccessAlert, AlertStatus, Rule
from treem.privacy.models.breaches import Breach, DataCategory
from treem.privacy.models.extracts import (
    ExtractField,
    ExtractFormat,
    ExtractRequest,
    ExtractStatus,
)
from treem.privacy.models.population import (
    PersonalIdVerification,
    PopulationAnswer,
    PopulationCheck,
    PopulationCheckRow,
)
from treem.privacy.models.register import Basis, ProcessingActivity, RecordKind
from treem.privacy.models.requests import (
    AnswerChannel,
    Correction,
    Decision,
    IdentityCheck,
    RefusalGround,
    Requester,
    RequestKind,
    Status,
    SubjectRequest,
)
from treem.privacy.models.retention import (
    DueStatus,
    LegalHold,
    RetentionAction,
    RetentionDue,
    RetentionEvent,
    RetentionRule,
    RetentionRuleVersion,
)

__all__ = [
    "AccessAlert",
    "AlertStatus",
    "AnswerChannel",
    "Basis",
    "Breach",
    "Correction",
    "DataCategory",
    "Decision",
    "DueStatus",
    "ExtractField",
    "ExtractFormat",
    "ExtractRequest",
    "ExtractStatus",
    "IdentityCheck",
    "LegalHold",
    "PersonalIdVerification",
    "PopulationAnswer",
    "PopulationCheck",
    "PopulationCheckRow",
    "ProcessingActivity",
    "RecordKind",
    "RefusalGround",
    "RequestKind",
    "Requester",
    "RetentionAction",
    "RetentionDue",
    "RetentionEvent",
    "RetentionRule",
    "RetentionRuleVersion",
    "Rule",
    "Status",
    "SubjectRequest",
]
