"""fmtcodec against an older commit of itself: run.py's decode and encode rows, side by side.

    python benchmarks/compare.py --against fe5f065           # every size, a few minutes
    python benchmarks/compare.py --against fe5f065 --quick   # no 10,000-record documents

The older commit is checked out into a temporary git worktree (removed afterwards). The
two versions cannot be imported in one interpreter under one name, so each runs in a
worker process of its own, started with that tree first on ``PYTHONPATH``; the parent
sends both workers the same bodies and asks them for timed batches in alternating order,
one version's batch right after the other's (timing.py's method, across two processes):
a busy neighbour slows both sides alike, and the ratio holds. Times are CPU seconds of
the worker (``timing.CLOCK``), medians of the rounds.

The bodies are run.py's documents, written by this checkout. A row is compared only when
the older version reads its body back to the same text (decode, then encode): each
version encodes the model it decoded itself, since the two models are different classes.
A row whose ratio (after / before) is over ``--limit`` (1.10 by default, issue 13's "no
row slower by more than 10 %") is flagged, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from timing import _batch, _calls_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
OPERATIONS = ("decode", "encode")


# -- the worker: one version of fmtcodec in its own interpreter ---------------------------


def _worker(root: str) -> None:
    """Answer the parent's requests, one JSON line each way, until stdin closes.

    ``{"load": path}`` reads the bodies (a JSON list of ``[fmt, hex]``), decodes each,
    and answers which of them this version writes back unchanged;
    ``{"case": index, "operation": op, "batch": s}`` answers how many calls make a batch
    of about ``s`` seconds; ``{"case": index, "operation": op, "calls": n}`` answers the
    seconds per call of one batch of ``n`` calls.
    """
    import fmtcodec

    where = Path(fmtcodec.__file__).resolve()
    if not where.is_relative_to(Path(root).resolve()):
        raise SystemExit(f"worker for {root} imported fmtcodec from {where}")
    bodies: list[tuple[int, bytes]] = []
    models: list[Any] = []
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict[str, Any]
        if "load" in request:
            cases = json.loads(Path(request["load"]).read_text())
            bodies = [(fmt, bytes.fromhex(body)) for fmt, body in cases]
            same = []
            for fmt, body in bodies:
                model = fmtcodec.decode(body, fmt)
                models.append(model)
                same.append(fmtcodec.encode(model, fmt) == body.decode("utf-8"))
            answer = {"same": same, "module": str(where)}
        else:
            index = request["case"]
            fmt, body = bodies[index]
            decoding = request["operation"] == "decode"
            function = partial(fmtcodec.decode if decoding else fmtcodec.encode, fmt=fmt)
            argument = body if decoding else models[index]
            if "batch" in request:
                function(argument)  # warm up: lazy parsers, caches
                answer = {"calls": _calls_for(function, argument, request["batch"])[0]}
            else:
                answer = {"seconds": _batch(function, argument, request["calls"])}
        print(json.dumps(answer), flush=True)


# -- the parent ----------------------------------------------------------------------


@dataclass
class Worker:
    """A running worker process and its pipes."""

    process: subprocess.Popen[str]

    @classmethod
    def start(cls, root: Path) -> Worker:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH", "")])])
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        return cls(process)

    def ask(self, **request: Any) -> dict[str, Any]:
        stdin: IO[str] | None = self.process.stdin
        stdout: IO[str] | None = self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise SystemExit(f"a worker stopped (exit status {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def _git(*arguments: str) -> None:
    done = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"git {' '.join(arguments)}: {done.stderr.strip()}")


Row = tuple[int, str]  # a case's index and an operation


def _round(
    roots: tuple[Path, Path],
    bodies: Path,
    rows: list[Row],
    calls: dict[tuple[Row, int], int],
    batch: float,
    number: int,
) -> list[tuple[float, float]]:
    """One round in two fresh workers: each row's batch before and after, one right after
    the other, the order alternating from row to row and from round to round.

    Fresh processes each round: one process's layout (hash seed, addresses) can make a
    row 1.3x faster or slower for its whole life here, so a row's median is taken over
    as many pairs of processes as rounds. The first round calibrates the batch sizes.
    """
    workers = [Worker.start(root) for root in roots]
    try:
        for worker in workers:
            worker.ask(load=str(bodies))
        found = []
        for position, (index, operation) in enumerate(rows):
            seconds = [0.0, 0.0]
            for side in (0, 1) if (position + number) % 2 else (1, 0):
                key = ((index, operation), side)
                if key not in calls:
                    request = {"case": index, "operation": operation, "batch": batch}
                    calls[key] = workers[side].ask(**request)["calls"]
                request = {"case": index, "operation": operation, "calls": calls[key]}
                seconds[side] = workers[side].ask(**request)["seconds"]
            found.append((seconds[0], seconds[1]))
        return found
    finally:
        for worker in workers:
            worker.stop()


def _same(roots: tuple[Path, Path], bodies: Path) -> list[bool]:
    """Whether both versions write each body back unchanged."""
    same = [True] * len(json.loads(bodies.read_text()))
    for root in roots:
        worker = Worker.start(root)
        try:
            found = worker.ask(load=str(bodies))["same"]
            same = [was and now for was, now in zip(same, found, strict=True)]
        finally:
            worker.stop()
    return same


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def table(rows: list[dict[str, Any]], limit: float) -> str:
    lines = [
        "| operation | fmt | view | records | before | after | after/before |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = row["ratio"]
        flag = f"**{ratio:.2f}**" if ratio > limit else f"{ratio:.2f}"
        lines.append(
            f"| {row['operation']} | {row['fmt']} | {row['view']} | {row['size'] or '-'}"
            f" | {row['before'] * 1e6:,.1f} us | {row['after'] * 1e6:,.1f} us | {flag} |"
        )
    return "\n".join(lines)


def compare(
    against: str, sizes: tuple[int, ...], rounds: int, batch: float, only: str
) -> dict[str, Any]:
    from documents import documents  # imports fmtcodec: the parent's only, not a worker's

    cases = [doc for doc in documents(sizes) if only in doc.label]
    results: dict[str, Any] = {"against": against, "load_before": _load(), "rows": []}
    with tempfile.TemporaryDirectory() as folder:
        roots = (Path(folder) / "old", ROOT)
        bodies = Path(folder) / "bodies.json"
        bodies.write_text(json.dumps([[doc.fmt, doc.body.hex()] for doc in cases]))
        _git("worktree", "add", "--detach", str(roots[0]), against)
        try:
            same = _same(roots, bodies)
            results["skipped"] = [doc.label for doc, ok in zip(cases, same, strict=True) if not ok]
            rows = [(i, op) for op in OPERATIONS for i in range(len(cases)) if same[i]]
            calls: dict[tuple[Row, int], int] = {}
            rounds_found = []
            for number in range(rounds):
                rounds_found.append(_round(roots, bodies, rows, calls, batch, number))
                print(f"round {number + 1} of {rounds} done", file=sys.stderr)
        finally:
            _git("worktree", "remove", "--force", str(roots[0]))
    for position, (index, operation) in enumerate(rows):
        pairs = [found[position] for found in rounds_found]
        doc = cases[index]
        results["rows"].append(
            {
                "operation": operation,
                "fmt": doc.fmt,
                "view": doc.view,
                "size": doc.size,
                "before": statistics.median(before for before, _ in pairs),
                "after": statistics.median(after for _, after in pairs),
                # The median of the rounds' own ratios: a round's two batches ran back
                # to back, under the same load.
                "ratio": statistics.median(after / before for before, after in pairs),
                "rounds": len(pairs),
            }
        )
    results["load_after"] = _load()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="the older commit (any git revision); required")
    parser.add_argument("--quick", action="store_true", help="no 10,000-record documents")
    parser.add_argument("--rounds", type=int, default=9, help="alternating rounds per row")
    parser.add_argument("--batch", type=float, default=0.02, help="seconds per timed batch")
    parser.add_argument("--only", default="", help="rows whose label holds this text")
    parser.add_argument("--limit", type=float, default=1.10, help="flag rows over this ratio")
    parser.add_argument("--output", type=Path, help="the JSON file (default: results/)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return 0
    if not args.against:
        parser.error("--against is required")
    started = time.time()
    from documents import QUICK_SIZES, SIZES

    sizes = QUICK_SIZES if args.quick else SIZES
    results = compare(args.against, sizes, args.rounds, args.batch, args.only)
    flagged = [row for row in results["rows"] if row["ratio"] > args.limit]
    print(table(results["rows"], args.limit))
    if results["skipped"]:
        print(f"\nnot compared (a version writes the body back otherwise): {results['skipped']}")
    print(
        f"\n{len(flagged)} of {len(results['rows'])} rows over {args.limit:g}x"
        f" (after = this checkout, before = {args.against}); load average before"
        f" {results['load_before']}, after {results['load_after']};"
        f" {time.time() - started:.0f} s"
    )
    output = args.output or RESULTS / f"compare-{time.strftime('%Y%m%d-%H%M%S')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
