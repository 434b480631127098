"""fmtcodec against hand-written floors: decode, encode, import, memory, throughput.

    python benchmarks/run.py            # everything, a few minutes on two cores
    python benchmarks/run.py --quick    # fewer rounds, no 10,000-record documents

Prints the table and writes it as JSON under benchmarks/results/ (git-ignored). The
targets are issue 5's (lists of 100 and 10,000) and issue 14's (one-line answers, lists
of 1-20 names, lists of 3,000); docs/performance.md holds a run and explains the misses.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import lark
import msgspec
from documents import QUICK_SIZES, SIZES, Document, documents
from floors import DECODERS, ENCODERS, floor_information, model_information
from lxml import etree
from scale import report as scale_report
from scale import run as run_scale
from throughput import run as run_throughput
from timing import compare

import fmtcodec

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
IMPORT_BUDGET = 0.060  # seconds (issue 5)
_ONE_LINE = ("ok", "created", "error")
_SHORT = (1, 5, 20)  # a client's usual list (issue 14)
_LONG = (100, 3_000, 10_000)  # issue 5's sizes, and issue 14's 3,000


def target(operation: str, fmt: int, view: str, size: int) -> tuple[float, str] | None:
    """The ratio target for a case and the name of the target it counts toward, or None
    where no target is set: issue 5's for lists of 100 and 10,000 and fmt 0's one line,
    issue 14's for one-line answers, lists of 1-20 names and lists of 3,000."""
    name = f"{operation} fmt {fmt}"
    if operation == "encode":
        if size in _LONG:
            return {0: 1.2, 1: 1.2, 2: 1.5, 3: 1.5}[fmt], name
        return None
    if fmt == 0 and (size == 1 or view in _ONE_LINE):
        return 30.0, f"{name}, one line"  # "a one-line fmt 0 response", through Lark
    if view in _ONE_LINE:
        return 6.0, f"{name}, one-line answers"
    if size in _SHORT:
        limit = {1: 4.0, 2: 2.0, 3: 3.0}.get(fmt)
        return None if limit is None else (limit, f"{name}, lists of 1-20")
    if size == 3_000 and fmt in (1, 3):
        return {1: 2.5, 3: 1.3}[fmt], f"{name}, lists of 3,000"
    if size in _LONG:
        if fmt in (0, 2):
            operators = view == "operators"
            limit = {0: 25.0 if operators else 20.0, 2: 1.4 if operators else 1.25}[fmt]
            return limit, f"{name}, {'operators' if operators else 'basic and all'}"
        return {1: 2.5, 3: 1.0}[fmt], name
    return None


def check_floors(cases: list[Document]) -> None:
    """Refuse to time a floor that does less (or other) work than the library."""
    for doc in cases:
        text = fmtcodec.encode(doc.model, doc.fmt)
        floor_text = ENCODERS[(doc.fmt, doc.view)](doc.model)
        if floor_text != text:
            raise SystemExit(f"{doc.label}: the floor encoder writes other text")
        library = model_information(fmtcodec.decode(doc.body, doc.fmt))
        floor = floor_information(doc.fmt, doc.view, DECODERS[(doc.fmt, doc.view)](doc.body))
        if library != floor:
            raise SystemExit(f"{doc.label}: the floor decoder finds other information")


def _case(doc: Document, operation: str, rounds: int, batch: float) -> dict[str, Any]:
    fmt = doc.fmt
    if operation == "decode":
        timing = compare(
            lambda body: fmtcodec.decode(body, fmt),
            DECODERS[(fmt, doc.view)],
            doc.body,
            rounds,
            batch,
        )
    else:
        timing = compare(
            lambda model: fmtcodec.encode(model, fmt),
            ENCODERS[(fmt, doc.view)],
            doc.model,
            rounds,
            batch,
        )
    found = target(operation, fmt, doc.view, doc.size)
    wanted, group = found if found is not None else (None, None)
    return {
        "operation": operation,
        "fmt": fmt,
        "view": doc.view,
        "size": doc.size,
        "bytes": len(doc.body),
        "library_seconds": timing.library,
        "floor_seconds": timing.floor,
        "ratio": timing.ratio,
        "target": wanted,
        "group": group,
        "met": None if wanted is None else timing.ratio <= wanted,
    }


# -- import time ---------------------------------------------------------------------

_IMPORT_CHILD = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
import fmtcodec
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
lark_imported = "lark" in sys.modules
from fmtcodec import _fmt0_text, _fmt2_xml
print(json.dumps({
    "wall": wall,
    "cpu": cpu,
    "lark_imported": lark_imported,
    "parser_built": bool(_fmt0_text._parsers) or hasattr(_fmt2_xml._local, "parser"),
}))
"""
_BASELINE_CHILD = """
import json, time
wall, cpu = time.perf_counter(), time.process_time()
import csv, lark, lxml.etree, msgspec
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def _child_env(cache: str) -> dict[str, str]:
    """Bytecode cached as an installed package has it: this checkout's environment may
    set PYTHONDONTWRITEBYTECODE, and then every import would compile its module again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _child(code: str, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *options, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
        env=env,
    )


def _importtime_breakdown(env: dict[str, str]) -> list[tuple[str, int, int]]:
    """The slowest imports under ``-X importtime``: (module, self us, cumulative us)."""
    rows = []
    for line in _child("import fmtcodec", env, "-X", "importtime").stderr.splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[0].isdigit():
            rows.append((parts[2], int(parts[0]), int(parts[1])))
    return sorted(rows, key=lambda row: -row[2])[:15]


def measure_import(runs: int = 15) -> dict[str, Any]:
    """Medians of ``import fmtcodec`` and of its dependencies alone, fresh interpreters.

    The target is judged on CPU time, as the rest of the table (timing.py); wall time is
    reported beside it.
    """
    ours: list[dict[str, Any]] = []
    baseline: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as cache:
        env = _child_env(cache)
        _child("import fmtcodec", env)  # fill the bytecode cache
        for _ in range(runs):
            ours.append(json.loads(_child(_IMPORT_CHILD, env).stdout))
            baseline.append(json.loads(_child(_BASELINE_CHILD, env).stdout))
        breakdown = _importtime_breakdown(env)
    seconds = statistics.median(run["cpu"] for run in ours)
    built = any(run["parser_built"] for run in ours)
    lark_imported = any(run["lark_imported"] for run in ours)
    return {
        "seconds": seconds,
        "wall_seconds": statistics.median(run["wall"] for run in ours),
        "dependencies_seconds": statistics.median(run["cpu"] for run in baseline),
        "dependencies_wall_seconds": statistics.median(run["wall"] for run in baseline),
        "runs": runs,
        "parser_built_at_import": built,
        "lark_imported_at_import": lark_imported,
        "slowest_imports": breakdown,
        "target": IMPORT_BUDGET,
        "met": seconds <= IMPORT_BUDGET and not built,
    }


# -- memory --------------------------------------------------------------------------


def measure_memory(cases: list[Document]) -> list[dict[str, Any]]:
    """Peak memory of decoding the 10,000-record operators list (fmt 1: all=1)."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in (0, 1, 2, 3):
            view = "all" if fmt == 1 else "operators"
            doc = next(d for d in cases if (d.fmt, d.view, d.size) == (fmt, view, 10_000))
            path = Path(folder) / f"fmt{fmt}"
            path.write_bytes(doc.body)
            row: dict[str, Any] = {"fmt": fmt, "view": view, "bytes": len(doc.body)}
            for side in ("library", "floor"):
                for how in ("rss", "tracemalloc"):
                    done = subprocess.run(
                        [
                            sys.executable,
                            str(HERE / "memory.py"),
                            str(path),
                            str(fmt),
                            view,
                            side,
                            how,
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    found = json.loads(done.stdout)
                    row[f"{side}_{how}_bytes"] = found["peak_bytes"]
                    if how == "rss":
                        row["rss_method"] = found["method"]
            rows.append(row)
    return rows


# -- the machine ---------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "fmtcodec": fmtcodec.__version__,
        "lark": lark.__version__,
        "lxml": ".".join(map(str, etree.LXML_VERSION)),
        "libxml2": ".".join(map(str, etree.LIBXML_VERSION)),
        "msgspec": msgspec.__version__,
    }


# -- output --------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| operation | fmt | view | records | fmtcodec | floor | ratio | target | met |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        wanted = row["target"]
        met = "" if wanted is None else ("yes" if row["met"] else "**no**")
        lines.append(
            f"| {row['operation']} | {row['fmt']} | {row['view']} | {row['size'] or '-'} "
            f"| {_duration(row['library_seconds'])} | {_duration(row['floor_seconds'])} "
            f"| {row['ratio']:.2f}x | {'' if wanted is None else f'{wanted:g}x'} | {met} |"
        )
    return "\n".join(lines)


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target: its worst case, and whether every case met it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["target"] is not None:
            groups.setdefault(row["group"], []).append(row)
    found = []
    for name, members in groups.items():
        worst = max(members, key=lambda row: row["ratio"])
        found.append(
            {
                "target": name,
                "limit": worst["target"],
                "worst": worst["ratio"],
                "worst_case": f"{worst['view']} {worst['size'] or ''}".strip(),
                "best": min(row["ratio"] for row in members),
                "met": all(row["met"] for row in members),
            }
        )
    return found


def summary_table(found: list[dict[str, Any]]) -> str:
    lines = [
        "| target | limit | best | worst (case) | met |",
        "|---|---:|---:|---:|---|",
    ]
    for row in found:
        lines.append(
            f"| {row['target']} | {row['limit']:g}x | {row['best']:.2f}x"
            f" | {row['worst']:.2f}x ({row['worst_case']}) | {'yes' if row['met'] else '**no**'} |"
        )
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    parts = []
    if results.get("cases"):
        parts.append(table(results["cases"]))
        parts.append(summary_table(results["summary"]))
    found = results.get("import")
    if found:
        parts.append(
            f"import fmtcodec: {found['seconds'] * 1e3:.1f} ms CPU"
            f" ({found['wall_seconds'] * 1e3:.1f} ms wall), median of {found['runs']}"
            f" (csv, lark, lxml.etree, msgspec alone: {found['dependencies_seconds'] * 1e3:.1f}"
            f" ms CPU); parser built at import: {found['parser_built_at_import']},"
            f" lark imported: {found['lark_imported_at_import']};"
            f" target {found['target'] * 1e3:.0f} ms: {'met' if found['met'] else 'MISSED'}"
        )
    if results.get("memory"):
        lines = [
            "| fmt | document | fmtcodec RSS | floor RSS | fmtcodec tracemalloc"
            " | floor tracemalloc |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for row in results["memory"]:
            lines.append(
                f"| {row['fmt']} | {row['view']} 10,000 ({_megabytes(row['bytes'])})"
                f" | {_megabytes(row['library_rss_bytes'])} | {_megabytes(row['floor_rss_bytes'])}"
                f" | {_megabytes(row['library_tracemalloc_bytes'])}"
                f" | {_megabytes(row['floor_tracemalloc_bytes'])} |"
            )
        parts.append("\n".join(lines))
    for row in results.get("throughput", []):
        parts.append(
            f"convert {row['responses']:,} logged responses on {row['workers']} process(es):"
            f" {row['seconds']:.2f} s, {row['responses_per_second']:,.0f} responses/s,"
            f" {row['megabytes_per_second']:.1f} MB/s in; {row['cpu_seconds']:.1f} s of CPU"
            f" ({row['responses_per_cpu_second']:,.0f} responses per CPU second)"
        )
    if results.get("scale"):
        parts.append(scale_report(results["scale"]))
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, no 10,000-record documents")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds per case")
    parser.add_argument("--batch", type=float, default=0.02, help="seconds per timed batch")
    parser.add_argument("--only", default="", help="cases whose label holds this text")
    parser.add_argument(
        "--sections",
        default="decode,encode,import,memory,throughput,scale",
        help="comma-separated: decode, encode, import, memory, throughput, scale",
    )
    parser.add_argument("--responses", type=int, default=100_000, help="for throughput")
    parser.add_argument(
        "--workers",
        default=str(os.cpu_count() or 1),
        help="comma-separated process counts for throughput (default: every core)",
    )
    parser.add_argument("--output", type=Path, help="the JSON file (default: results/)")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    sizes = QUICK_SIZES if args.quick else SIZES
    rounds = 3 if args.quick else args.rounds
    started = time.time()

    cases = documents(sizes)
    check_floors(cases)
    # The documents live to the end: the collector need not walk them again and again.
    gc.collect()
    gc.freeze()
    results: dict[str, Any] = {"machine": machine(), "rounds": rounds, "cases": []}
    for operation in ("decode", "encode"):
        if operation in sections:
            for doc in cases:
                if args.only in f"{operation} {doc.label}":
                    row = _case(doc, operation, rounds, args.batch)
                    results["cases"].append(row)
                    print(table([row]).splitlines()[-1], flush=True)
    if "import" in sections:
        results["import"] = measure_import(5 if args.quick else 15)
    if "memory" in sections and 10_000 in sizes:
        results["memory"] = measure_memory(cases)
    if "throughput" in sections:
        total = 10_000 if args.quick else args.responses
        results["throughput"] = [
            run_throughput(total, int(workers)) for workers in args.workers.split(",")
        ]
    if "scale" in sections:
        results["scale"] = run_scale(args.quick)
    results["summary"] = summary(results["cases"])
    results["seconds"] = time.time() - started

    print()
    print(report(results))
    output = args.output or RESULTS / time.strftime("run-%Y%m%d-%H%M%S.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\n{results['seconds']:.0f} s; written to {output}")


if __name__ == "__main__":
    main()
