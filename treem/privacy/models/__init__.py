"""The privacy app's models, one module per sub-domain."""

from treem.privacy.models.register import Basis, ProcessingActivity, RecordKind

__all__ = ["Basis", "ProcessingActivity", "RecordKind"]
from treem.privacy.models.alerts import AccessAlert, AlertStatus, Rule  # noqa: E402
from treem.privacy.models.breaches import Breach, DataCategory  # noqa: E402

__all__ += ["AccessAlert", "AlertStatus", "Rule", "Breach", "DataCategory"]
