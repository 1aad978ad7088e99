"""Rows of a synthetic fund on their way to the database, and the ledger they make.

Primary keys are assigned here from the current maxima (nothing is read back) and rows are
written every `batch` rows of a table with the register generator's writer (COPY on
PostgreSQL, `executemany` on SQLite). Foreign keys are checked at commit on both databases,
so a posting may be written before its journal's batch.

`Ledger` writes a journal with its postings only when they add up to zero (in đồng and in
units of goods), and keeps what every bucket (earmark, campaign, goods lot) holds in
`available` as the run goes, so that money leaves a bucket only within its balance, as
the services' lock and check ensure."""

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max, Model

from treem.fund.models import Account, Journal, Posting
from treem.registry.synthetic.writer import Table, Values

LOCAL = datetime.timezone(datetime.timedelta(hours=7))  # Asia/Ho_Chi_Minh, no summer time
Key = tuple[int, int | None, int | None]  # restriction, campaign, lot


class Rows:
    """Rows by model, with their columns, written in batches."""

    def __init__(self, columns: Mapping[type[Model], Sequence[str]], *, now: datetime.datetime,
                 batch: int) -> None:
        self.tables = {model: Table(model, names, now=now) for model, names in columns.items()}
        self.pending: dict[type[Model], list[tuple]] = {model: [] for model in columns}
        self.next_id = {model: (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
                        for model in columns}
        self.written: Counter[str] = Counter()
        self.batch = batch

    def new_id(self, model: type[Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def add(self, model: type[Model], row: tuple) -> None:
        pending = self.pending[model]
        pending.append(row)
        if len(pending) >= self.batch:
            self.flush(model)

    def flush(self, model: type[Model] | None = None) -> None:
        for each in [model] if model is not None else list(self.pending):
            rows = self.pending[each]
            self.tables[each].write(rows)
            self.written[each.__name__] += len(rows)
            rows.clear()


class Clock:
    """Days as the database driver takes them, moments of a day in office hours, and public
    ids (from their own stream, also seeded by the first ids, so that a second run into the
    same database never repeats the first's)."""

    def __init__(self, values: Values, rng: random.Random, id_rng: random.Random) -> None:
        self.values = values
        self.rng = rng
        self.id_rng = id_rng

    def uuid(self) -> Any:
        return self.values.uuid(self.id_rng.getrandbits(128))

    def day(self, ordinal: int) -> Any:
        return self.values.day(ordinal)

    def moment(self, ordinal: int) -> Any:
        minutes = self.rng.randint(7 * 60 + 30, 17 * 60)
        at = datetime.datetime.combine(datetime.date.fromordinal(ordinal),
                                       datetime.time(minutes // 60, minutes % 60), LOCAL)
        return connection.ops.adapt_datetimefield_value(at)


class Ledger:
    def __init__(self, rows: Rows, clock: Clock, *, fund_id: int) -> None:
        self.rows, self.clock, self.fund_id = rows, clock, fund_id
        self.available: defaultdict[Key, int] = defaultdict(int)
        self.units: defaultdict[Key, int] = defaultdict(int)
        self.journals: Counter[str] = Counter()
        self.postings = 0

    def uuid(self) -> Any:
        return self.clock.uuid()

    def post(self, *, kind: str, day: int, by: int, lines: list[tuple[Key, str, int, int]],
             reason: str = "", reverses: int | None = None) -> int:
        """A journal of `lines` (bucket, account, đồng, units), which must add up to zero."""
        if sum(line[2] for line in lines) or sum(line[3] for line in lines):
            raise AssertionError("a journal's postings must add up to zero")
        journal_id = self.rows.new_id(Journal)
        self.rows.add(Journal, (journal_id, self.uuid(), self.fund_id, kind,
                                self.clock.day(day), reason, reverses, by,
                                self.clock.moment(day)))
        for key, account, amount, units in lines:
            self.rows.add(Posting, (self.rows.new_id(Posting), journal_id, self.fund_id, *key,
                                    account, amount, units))
            if account == Account.AVAILABLE:
                self.available[key] += amount
                self.units[key] += units
        self.journals[kind] += 1
        self.postings += len(lines)
        return journal_id

    def move(self, *, kind: str, day: int, by: int, key: Key, source: str, target: str,
             amount: int, units: int = 0, reason: str = "", reverses: int | None = None
             ) -> int:
        """`amount` đồng (and `units` of goods) of one bucket from one account to another."""
        return self.post(kind=kind, day=day, by=by, reason=reason, reverses=reverses,
                         lines=[(key, source, -amount, -units), (key, target, amount, units)])
