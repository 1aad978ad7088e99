"""Finding and merging records of the same child.

A province's records are read once into compact columns (`records`), grouped by blocking keys
into candidate pairs (`blocking`), compared field by field and scored (`scoring`), and the
likely pairs are written to a review queue (`search`). People decide: merge (`merging`) or
"not the same child"; an administrator can undo a merge.
"""
