"""Python's cycle collector paused while millions of small objects are built."""

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Each full pass of the cycle collector walks every tuple and list alive: an import's
    rows (a third of its time) or a duplicate search's keys and pairs (half of the blocking's
    at 1,000,000 children). Nothing built there refers to itself, so reference counting frees
    it all; the collector resumes afterwards, as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
