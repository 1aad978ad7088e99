"""Weighted choice from a fixed table, fast and reproducible with a seeded `random.Random`."""

import random
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Picker(Generic[T]):
    """Draws one item with probability proportional to its weight: one `random()` call and a
    bisection, about a third of the cost of `random.choices` for a single draw."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = [(item, float(weight)) for item, weight in weighted if weight > 0]
        if not pairs:
            raise ValueError("a picker needs at least one item with a positive weight")
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]

    def __len__(self) -> int:
        return len(self.items)


def table(spec: str) -> Picker[str]:
    """A picker of names from "Nguyễn 31.5, Trần 10.9, Minh": a trailing number is the weight
    (1 when there is none); names may hold spaces ("Sa Ry", "Rơ Châm")."""
    pairs: list[tuple[str, float]] = []
    for entry in spec.split(","):
        entry = unicodedata.normalize("NFC", " ".join(entry.split()))
        if not entry:
            continue
        name, _, last = entry.rpartition(" ")
        try:
            weight = float(last)
        except ValueError:
            name, weight = entry, 1.0
        pairs.append((name, weight))
    return Picker(pairs)
