"""The balance checkpoint: the sums of a fund's postings up to one posting, so that a balance
is read as the checkpoint plus the postings since instead of a sum over every posting the fund
ever made (a million in three years). Derived data, rewritten whole by `fund_checkpoint`;
the postings stay the truth (`treem.fund.balances` says why it cannot drift)."""

from django.db import models
from django.utils import timezone

from treem.fund.models.ledger import Account, Campaign, Donor, Fund, GoodsLot, Restriction


class Checkpoint(models.Model):
    fund = models.OneToOneField(Fund, on_delete=models.CASCADE, related_name="checkpoint")
    upto = models.BigIntegerField()  # the id of the last posting summed (0: none)
    journal_upto = models.BigIntegerField(default=0)  # the last journal of the gifts summed
    postings = models.BigIntegerField(default=0)  # how many were summed
    made_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.fund_id} ≤ {self.upto}"


class CheckpointSum(models.Model):
    """One bucket's account as its postings up to the checkpoint add up."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    restriction = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    lot = models.ForeignKey(GoodsLot, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="+")
    account = models.CharField(max_length=12, choices=Account.choices)
    amount = models.BigIntegerField()
    quantity = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["fund", "restriction", "campaign", "lot", "account"],
                         include=["amount", "quantity"], name="fund_checkpoint_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class GiftSum(models.Model):
    """A donor's gifts in one quarter, money or goods (at their value), as they stood at the
    checkpoint: those reversed by then left out (the public account, `public_sums.gifts`)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    goods = models.BooleanField()
    quarter = models.DateField()  # its first day
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["fund", "goods", "quarter"], include=["donor", "amount"],
                         name="fund_giftsum_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.amount}"
