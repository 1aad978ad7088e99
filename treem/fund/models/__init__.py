"""The fund's models: the ledger (`ledger`), its balance checkpoint (`checkpoints`) and the
needs it answers (`needs`), and the yearly report as attached to a periodic report
(`reports`)."""

from treem.fund.models.checkpoints import Checkpoint, CheckpointSum, GiftSum
from treem.fund.models.ledger import (
    Account,
    Area,
    Campaign,
    CampaignKind,
    Channel,
    Donor,
    DonorKind,
    Fund,
    FundQuerySet,
    FundRegime,
    GoodsLot,
    Journal,
    JournalKind,
    Pledge,
    PledgeStatus,
    Posting,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.fund.models.needs import (
    Allocation,
    AllocationStatus,
    Beneficiary,
    Criterion,
    Delivery,
    DeliveryProof,
    Need,
    NeedKind,
    NeedStatus,
    PriorityRule,
    ProofKind,
)
from treem.fund.models.reports import YearlyFundReport, YearlyFundReportQuerySet

__all__ = [
    "Account", "Allocation", "AllocationStatus", "Area", "Beneficiary", "Campaign",
    "CampaignKind", "Channel", "Checkpoint", "CheckpointSum", "Criterion", "Delivery",
    "DeliveryProof", "Donor", "DonorKind", "Fund", "FundQuerySet", "FundRegime", "GiftSum", "GoodsLot",
    "Journal", "JournalKind", "Need", "NeedKind", "NeedStatus", "Pledge", "PledgeStatus",
    "Posting", "PriorityRule", "ProofKind", "Receipt", "Restriction", "RestrictionKind",
    "YearlyFundReport", "YearlyFundReportQuerySet",
]
