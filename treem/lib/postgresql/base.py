"""Django's PostgreSQL backend, for partitioned tables.

- JIT compilation is off for treem's sessions. The plan of a query over a partitioned table
  has a node per partition; PostgreSQL's JIT compiled them all before running the query:
  about 12.5 s of a 13 s count of a province's children by age, sex and ethnicity (0.6 s
  without it; 5 provinces of 200,000 children). Queries of OLTP size never gain from it.
- Django groups a query by the primary key of each model it selects and lets PostgreSQL infer
the other columns from it (functional dependency). A table partitioned by province has the
key (id, province_code), so the id alone determines nothing and PostgreSQL refuses such a
GROUP BY. A model that says `partitioned_by` is grouped by every column selected instead.
"""

from typing import Any

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        if getattr(model, "partitioned_by", None):
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["options"] = f"{params.get('options', '')} -c jit=off".strip()
        return params
