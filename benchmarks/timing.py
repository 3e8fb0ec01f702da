"""The one way the benchmarks time a call: median of several runs, SymPy's cache cleared each time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from sympy.core.cache import clear_cache


def timed(call: Callable[[], object], repeats: int) -> float:
    """Median seconds per call; the cache is cleared first so that no run is timed on remembered results."""
    times = []
    for _ in range(repeats):
        clear_cache()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
