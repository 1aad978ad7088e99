"""A table's conversion into partitions in a process of its own, for the test that kills it.

    python -m treem.partitions.tests.conversion_worker TABLE COLUMN

Converts TABLE by LIST(COLUMN) into the partitions of provinces 04 and 08 (with 02), in one
transaction, as a migration of `treem.partitions` does. Its session is named
`treem-conversion`, and it notices its client's death within 100 ms even while it waits
for a lock, as a backend with `client_connection_check_interval` does.
"""

import sys

import django


def main(table: str, column: str) -> None:
    django.setup()
    from django.db import connection, transaction

    from treem.lib import partitioning

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL client_connection_check_interval = '100ms'")
            cursor.execute("SET LOCAL application_name = 'treem-conversion'")
        partitioning.partition_by_list(connection, table, column,
                                       {"04": ("04",), "08": ("08", "02")})
    print("committed", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
