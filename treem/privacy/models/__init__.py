"""The privacy app's models, one module per sub-domain."""

from treem.privacy.models.extracts import (
    ExtractField,
    ExtractFormat,
    ExtractRequest,
    ExtractStatus,
)
from treem.privacy.models.register import Basis, ProcessingActivity, RecordKind
from treem.privacy.models.retention import (
    DueStatus,
    LegalHold,
    RetentionAction,
    RetentionDue,
    RetentionEvent,
    RetentionRule,
    RetentionRuleVersion,
)

__all__ = ["Basis", "ProcessingActivity", "RecordKind"]
__all__ += ["DueStatus", "LegalHold", "RetentionAction", "RetentionDue", "RetentionEvent",
            "RetentionRule", "RetentionRuleVersion"]
__all__ += ["ExtractField", "ExtractFormat", "ExtractRequest", "ExtractStatus"]
