"""A collaborator's phone after days without signal (issue 17: 500 queued operations sync in
≤ 10 s on PostgreSQL), through the API as the phone calls it; and the download of its village.

`python -m benchmarks offline [--children N] [--reuse]`: one province's synthetic register (default
200,000 children), a collaborator of its fullest village with an enrolled phone, then three
rounds of 500 operations each — 50 households and 100 children registered (each child in a
household made by the same batch, named by `op:<id>`), 250 status updates, 50 moves to
another village of the commune, 50 concerns — sent in one request. Each round's operations are
new; the report gives each round's time and the download's size and time.
"""

import datetime
import gzip
import json
import os
import time
import uuid
from typing import Any

from benchmarks.common import database_url, fresh_database, generate_register, report, timed

PROVINCE = "04"
ROUNDS = 3


def main(*, children: int, reuse: bool = False) -> int:
    if reuse:  # the database of the last run, as it was left
        os.environ["DATABASE_URL"] = database_url("offline")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
        import django

        django.setup()
    else:
        fresh_database(database_url("offline"))
        generate_register(children=children, seed=17, province_code=PROVINCE)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role
    from treem.geo.models import Level, Unit
    from treem.registry.models import Child

    fullest = (Child.objects.on_record().filter(village__isnull=False, death_date__isnull=True)
               .values("village").annotate(n=Count("id")).order_by("-n").first())
    assert fullest is not None, "the register has no village"
    village = Unit.objects.get(pk=fullest["village"])
    others = list(Unit.objects.filter(parent=village.parent, level=Level.VILLAGE)
                  .exclude(pk=village.pk).values_list("code", flat=True)[:5])
    user = User.objects.filter(username="bench.ctv").first() or User.objects.create_user(
        username="bench.ctv", password="Bench-ctv-2026", full_name="Cộng tác viên thử")
    RoleAssignment.objects.get_or_create(user=user, role=Role.VILLAGE_COLLABORATOR, unit=village,
                                         revoked_at=None)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = str(uuid.uuid4())
    enrolled = client.post("/api/v1/offline/devices", {"id": device},
                           content_type="application/json")
    assert enrolled.status_code == 201, enrolled.content
    headers = {"X-Treem-Device": device}
    print(f"database: {connection.vendor}; {Child.objects.count():,} children; village "
          f"{village.code} with {fullest['n']} children", flush=True)

    def download() -> Any:
        response = client.get("/api/v1/offline/village",
                              headers=headers | {"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        return response

    body = download()
    kept = json.loads(gzip.decompress(body.content))
    print(f"{'village download, compressed / uncompressed':<52} "
          f"{len(body.content) / 1024:8.1f} kB / {len(gzip.decompress(body.content)) / 1024:.1f} kB "
          f"({len(kept['children'])} children)", flush=True)
    report("village download", timed(download, 5))

    statuses = ["in_school", "dropped_out", "never"]
    samples = []
    for round_ in range(ROUNDS):
        kept = json.loads(gzip.decompress(download().content))
        rows = kept["children"]
        now = timezone.now()

        def at(minutes: int, now: datetime.datetime = now) -> str:
            return (now - datetime.timedelta(minutes=600 - minutes)).isoformat()

        operations: list[dict[str, Any]] = []
        for n in range(50):
            household = {"id": str(uuid.uuid4()), "kind": "household_create", "recorded_at": at(n),
                         "payload": {"village": village.code,
                                     "head_name": f"Hộ thử {round_}-{n}", "address": "Bản"}}
            operations.append(household)
            for m in range(2):
                operations.append({
                    "id": str(uuid.uuid4()), "kind": "child_register", "recorded_at": at(n),
                    "payload": {"village": village.code, "household": f"op:{household['id']}",
                                "full_name": f"Trẻ Thử Vòng {round_} Hộ {n} Con {m}",
                                "sex": "f" if m else "m", "birth_date": f"2020-05-0{m + 1}",
                                "ethnicity": "01", "confirm_new": True}})
        for n, child in enumerate(rows[:250]):
            status = statuses[(statuses.index(child["school_status"]) + 1) % 3
                              if child["school_status"] in statuses else 0]
            operations.append({"id": str(uuid.uuid4()), "kind": "child_update",
                               "recorded_at": at(100 + n),
                               "payload": {"child": child["id"], "base_version": child["v"],
                                           "changes": {"school_status": status},
                                           "base": {"school_status": child["school_status"]}}})
        for n, child in enumerate(rows[250:300]):
            operations.append({"id": str(uuid.uuid4()), "kind": "child_move",
                               "recorded_at": at(400 + n),
                               "payload": {"child": child["id"], "village": others[n % len(others)],
                                           "moved_on": timezone.localdate().isoformat()}})
        for n in range(50):
            operations.append({"id": str(uuid.uuid4()), "kind": "concern_record",
                               "recorded_at": at(500 + n),
                               "payload": {"child": rows[300 + n]["id"], "place": "family",
                                           "forms": ["neglect"],
                                           "description": "Trẻ ở nhà một mình nhiều ngày"}})
        assert len(operations) == 500
        start = time.perf_counter()
        response = client.post("/api/v1/offline/sync", {"operations": operations},
                               content_type="application/json", headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        results = response.json()["results"]
        applied = sum(1 for r in results if r["status"] == "applied")
        print(f"round {round_ + 1}: {samples[-1]:,.0f} ms, {applied}/500 applied "
              f"({', '.join(sorted({r['status'] for r in results}))})", flush=True)
        assert applied == 500, [r for r in results if r["status"] != "applied"][:3]
    report("500 queued operations, one sync (target ≤ 10,000 ms)", samples)
    return 0
