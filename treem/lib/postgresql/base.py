"""Django's PostgreSQL backend, knowing that a partitioned table's key is not its id alone.

Django groups a query by the primary key of each model it selects and lets PostgreSQL infer
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
