"""Synthetic data of the child-protection fund: reproducible benchmark and demo data for a
province whose register is already filled.

`generate_fund(province=…, seed=…)` is the entry point; see `generator` for what it writes and
how, `tables` for the mixes and amounts, `money` and `spending` for the ledger's run.
"""

from treem.fund.synthetic.generator import YEARS, FundResult, generate_fund

__all__ = ["YEARS", "FundResult", "generate_fund"]
