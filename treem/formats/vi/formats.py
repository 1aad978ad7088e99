# Vietnamese numbers are grouped by thousands with a dot (7.450.000 đồng); Django's own
# Vietnamese formats give the separator but no grouping, so counts and money ran together.
NUMBER_GROUPING = 3
