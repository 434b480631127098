"""Side-by-side timing: the library and its floor, interleaved, medians and their ratio.

Batches are timed in CPU seconds of this process (``time.process_time``) by default: on a
shared machine the wall clock also counts the time other processes held the core, which
made ratios swing by 2x between runs here. Code that does not wait on anything takes as
much CPU time as wall time on an idle machine. ``CLOCK`` switches to the wall clock.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}
CLOCK = "cpu"


@dataclass(frozen=True)
class Timing:
    """Median seconds per call of the library and of the floor, over interleaved rounds."""

    library: float
    floor: float
    rounds: int

    @property
    def ratio(self) -> float:
        return self.library / self.floor


def _batch(function: Callable[[Any], Any], argument: Any, calls: int) -> float:
    """Seconds per call over ``calls`` calls, with the collector off (as timeit does)."""
    clock = CLOCKS[CLOCK]
    gc.disable()
    try:
        start = clock()
        for _ in range(calls):
            function(argument)
        return (clock() - start) / calls
    finally:
        gc.enable()


def _calls_for(
    function: Callable[[Any], Any], argument: Any, batch_seconds: float
) -> tuple[int, float]:
    """How many calls make one batch last about ``batch_seconds`` (at least one), and the
    seconds a call took."""
    calls = 1
    while True:
        seconds = _batch(function, argument, calls) * calls
        if seconds >= batch_seconds / 10 or calls >= 1_000_000:
            return max(1, round(calls * batch_seconds / max(seconds, 1e-9))), seconds / calls
        calls *= 10


def compare(
    library: Callable[[Any], Any],
    floor: Callable[[Any], Any],
    argument: Any,
    rounds: int = 9,
    batch_seconds: float = 0.02,
) -> Timing:
    """Time both on the same argument in alternating order; the medians of the rounds.

    A case whose single call takes over a quarter of a second gets at most 5 rounds, so
    that the whole run stays within a few minutes.
    """
    gc.collect()
    library(argument), floor(argument)  # warm up: lazy parsers, caches
    library_calls, seconds = _calls_for(library, argument, batch_seconds)
    floor_calls, _ = _calls_for(floor, argument, batch_seconds)
    if seconds > 0.25:
        rounds = min(rounds, 5)
    library_times: list[float] = []
    floor_times: list[float] = []
    for index in range(rounds):
        if index % 2:
            floor_times.append(_batch(floor, argument, floor_calls))
            library_times.append(_batch(library, argument, library_calls))
        else:
            library_times.append(_batch(library, argument, library_calls))
            floor_times.append(_batch(floor, argument, floor_calls))
    return Timing(statistics.median(library_times), statistics.median(floor_times), rounds)
