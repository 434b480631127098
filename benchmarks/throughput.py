"""Converting a log of responses through the API, on one core and on all of them.

A "logged response" is a body as a client would have stored it: any kind, any format,
lists of 1 to 50 senders (the mix below). Each is decoded with its format detected
(``fmtcodec.decode(body)``) and written in another format (``fmtcodec.encode``), as the
``convert`` command does. Every worker builds its share of the log before a common start,
so only the conversion is timed; the wall time is from the common start to the last
worker's end.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from typing import Any

from documents import sender_list, tiny

import fmtcodec

# (kind, weight): list views and the one-line answers, as a busy client's log might hold.
_MIX = (
    ("basic", 25),
    ("all", 20),
    ("operators", 15),
    ("ok", 15),
    ("created", 15),
    ("error", 10),
)


_CHUNK = 10_000  # responses generated from one seed


def _target(fmt: int) -> int:
    """The format to convert to: JSON, and text for what was JSON."""
    return 0 if fmt == 3 else 3


def make_log(count: int, seed: int) -> list[tuple[bytes, int]]:
    """``count`` logged bodies, each with the format to convert it to."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in _MIX]
    weights = [weight for _, weight in _MIX]
    # A pool of distinct models, so that generating 100,000 bodies stays cheap.
    models: dict[str, list[Any]] = {
        kind: [sender_list(kind, rng.randint(1, 50), seed=seed * 1000 + n) for n in range(40)]
        if kind in ("basic", "all", "operators")
        else [tiny(kind)]
        for kind in kinds
    }
    log = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        fmts = (0, 2, 3) if kind == "operators" else (0, 1, 2, 3)
        fmt = rng.choice(fmts)
        model = rng.choice(models[kind])
        log.append((fmtcodec.encode(model, fmt).encode("utf-8"), _target(fmt)))
    return log


def _worker(chunks: list[tuple[int, int]], barrier: Any, results: Any) -> None:
    log = [entry for count, seed in chunks for entry in make_log(count, seed)]
    count = len(log)
    size = sum(len(body) for body, _ in log)
    barrier.wait()
    start, cpu = time.monotonic(), time.process_time()
    for body, target in log:
        fmtcodec.encode(fmtcodec.decode(body), target)
    results.put((start, time.monotonic(), count, size, time.process_time() - cpu))


def run(total: int, workers: int) -> dict[str, Any]:
    """Convert ``total`` logged responses split over ``workers`` processes."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers)
    results = context.Queue()
    # The same log whatever the number of workers: chunks from fixed seeds, dealt out.
    chunks = [
        (min(_CHUNK, total - start), seed) for seed, start in enumerate(range(0, total, _CHUNK), 1)
    ]
    processes = [
        context.Process(target=_worker, args=(chunks[n::workers], barrier, results))
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    found = [results.get() for _ in processes]
    for process in processes:
        process.join()
    wall = max(part[1] for part in found) - min(part[0] for part in found)
    size = sum(part[3] for part in found)
    cpu = sum(part[4] for part in found)
    return {
        "workers": workers,
        "responses": total,
        "bytes": size,
        "seconds": wall,
        "cpu_seconds": cpu,
        "responses_per_second": total / wall,
        "responses_per_cpu_second": total / cpu,
        "megabytes_per_second": size / wall / 1e6,
    }
