"""The privacy app's models, one module per sub-domain."""

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
    "AnswerChannel",
    "Basis",
    "Correction",
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
    "Status",
    "SubjectRequest",
]
