"""Synthetic protection cases: realistic, reproducible demo and benchmark data for a province
whose register the registry's generator filled.

`generate_cases(province=…, seed=…)` is the entry point; see `generator` for what it writes
and how, `reports` and `tables` for what the reports say, `course` for how a case goes
through the process (on the `clock` of office hours, into the records of `story`),
`population` for how children are drawn and `staff` for who handles them.
"""

from treem.cases.synthetic.generator import PER_THOUSAND, YEARS, CasesResult, generate_cases

__all__ = ["PER_THOUSAND", "YEARS", "CasesResult", "generate_cases"]
