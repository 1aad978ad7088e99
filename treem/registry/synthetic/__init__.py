"""Synthetic child register: realistic, reproducible demo and benchmark data for a province.

`generate(province=…, children=…, seed=…)` is the entry point; see `generator` for what it
writes and how, `profiles` for the provinces, `names` and `places` for names of people and
villages, `households` and `children` for who lives with whom and each child's history.
"""

from treem.registry.synthetic.generator import (
    REFERENCE_DATE,
    CataloguesMissing,
    GenerationResult,
    generate,
)

__all__ = ["REFERENCE_DATE", "CataloguesMissing", "GenerationResult", "generate"]
