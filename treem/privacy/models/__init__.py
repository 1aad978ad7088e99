"""The privacy app's models, one module per sub-domain."""

from treem.privacy.models.population import (
    PersonalIdVerification,
    PopulationAnswer,
    PopulationCheck,
    PopulationCheckRow,
)
from treem.privacy.models.register import Basis, ProcessingActivity, RecordKind

__all__ = ["Basis", "ProcessingActivity", "RecordKind"]
__all__ += ["PersonalIdVerification", "PopulationAnswer", "PopulationCheck",
            "PopulationCheckRow"]
