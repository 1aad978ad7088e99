"""The privacy app's models, one module per sub-domain."""

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

__all__ = [
    "AnswerChannel",
    "Basis",
    "Correction",
    "Decision",
    "IdentityCheck",
    "ProcessingActivity",
    "RecordKind",
    "RefusalGround",
    "RequestKind",
    "Requester",
    "Status",
    "SubjectRequest",
]
