"""Running one function over many files: on every core when there are enough, with progress.

multiprocessing and tqdm are imported only when used, so that ``import fmtcodec`` and a
one-file command stay fast.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["PARALLEL_FROM", "Progress", "Stop", "cores", "mapped", "progress"]

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 256
"""Fewer files than this are done in this process: starting the workers (a fork each)
and shipping the work costs about as much as converting this many (docs/cli.md)."""


def cores() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without sched_getaffinity


class _Flag(Protocol):
    def is_set(self) -> bool: ...

    def set(self) -> None: ...


class Stop:
    """A flag that makes the tasks not yet begun return None instead of running: the
    parent raises it (``--fail-fast``) and reads on, so that every result it counts is one
    that ran, and a worker is never killed in the middle of a file."""

    def __init__(self) -> None:
        self._raised = False
        self._shared: _Flag | None = None  # the workers' view of it, while a pool runs

    def set(self) -> None:
        """Skip the tasks not yet begun."""
        self._raised = True
        if self._shared is not None:
            self._shared.set()

    def is_set(self) -> bool:
        """Whether :meth:`set` was called."""
        return self._raised


# In a worker: the pool's stop flag, set up by _start_worker.
_worker_stop: _Flag | None = None


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: only the parent reports it (exit 130); the
    # workers would each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(stop: _Flag | None) -> None:
    global _worker_stop
    _ignore_interrupts()
    _worker_stop = stop


def _unless_stopped(func: Callable[[T], R], task: T) -> R | None:
    if _worker_stop is not None and _worker_stop.is_set():
        return None
    return func(task)


def _chunk(count: int, workers: int) -> int:
    # About 16 chunks per worker keeps both busy to the end and the progress bar moving,
    # while each chunk is big enough that sending it costs little next to its work.
    return max(1, min(512, count // (workers * 16)))


@contextmanager
def mapped(
    func: Callable[[T], R], tasks: Sequence[T], stop: Stop | None = None
) -> Iterator[tuple[Iterator[R], int]]:
    """``func`` over ``tasks``, results in order, and how many processes do the work.

    With at least PARALLEL_FROM tasks and more than one core, a process pool does them in
    chunks; ``func`` must then be picklable (a module-level function or a partial of one).
    Once ``stop`` is set, the tasks not yet begun yield None. Leaving the block early (an
    error, Ctrl-C) kills the workers, even in the middle of a task: what a task leaves
    half done is the caller's to clean up (a SIGTERM handler in the workers could not be
    relied on to run: a worker killed while it holds a lock would never exit).
    """
    workers = cores()
    if len(tasks) < PARALLEL_FROM or workers < 2:
        if stop is None:
            yield map(func, tasks), 1
        else:
            yield (None if stop.is_set() else func(task) for task in tasks), 1  # type: ignore[misc]
        return
    import multiprocessing

    # fork starts a worker in about a millisecond with fmtcodec already imported; the pool
    # is made before any progress-bar thread exists, so forking is safe. Elsewhere the
    # platform's default (spawn) is the only safe choice.
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    shared = context.Event() if stop is not None else None
    if stop is not None:
        stop._shared = shared
    pool = context.Pool(workers, initializer=_start_worker, initargs=(shared,))
    work: Callable[[T], Any] = functools.partial(_unless_stopped, func) if shared else func
    try:
        yield pool.imap(work, tasks, chunksize=_chunk(len(tasks), workers)), workers
    finally:
        if stop is not None:
            stop._shared = None
        pool.terminate()
        pool.join()


class Progress:
    """A progress bar on standard error (tqdm), or nothing; messages go around it."""

    def __init__(self, bar: tqdm[NoReturn] | None) -> None:
        self._bar = bar

    def advance(self) -> None:
        """One more file done."""
        if self._bar is not None:
            self._bar.update()

    def say(self, line: str) -> None:
        """Print a line on standard error without breaking the bar."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)


def _is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


@contextmanager
def progress(total: int, unit: str = "file") -> Iterator[Progress]:
    """A bar counting to ``total`` when standard error is a terminal; nothing otherwise."""
    if not _is_terminal():
        yield Progress(None)
        return
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
    try:
        yield Progress(bar)
    finally:
        bar.close()
