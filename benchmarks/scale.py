"""Logged responses at scale (issue 11), each against a hand-written floor in the same run.

- ``convert`` of a folder of small files vs plain Python that walks the folder, reads each
  file, ``json.loads`` it, ``json.dumps`` it and writes it (the inputs are JSON, so that
  the floor can read them; ``convert --to 3`` reads and writes the same format);
- ``fmtcodec table`` of a HAR vs ``json.load`` of the HAR and a walk of its entries
  (reading each entry's URL and body), once with fmt 3 bodies and once with the mix of
  formats a log of the API's default (fmt 0) and other clients has;
- the peak memory of reading a 60 MB fmt 0 body, in a fresh interpreter, against the
  body's size (the target: under 4x): ``decode`` (the whole model), and
  ``iter_senders`` (one sender at a time, each dropped once counted).

Both sides of a comparison run in this process on one core (``sched_setaffinity``: the
``convert`` command then does its work in-process, as on a one-core machine), alternate
over rounds, and are timed in CPU seconds and in wall seconds (medians). The wall time
includes what waits on the disk (fsync), which CPU time does not see. "convert, every
core" lets ``convert`` start its pool of workers and counts their CPU time too.

    python benchmarks/scale.py [--quick]      # or: python benchmarks/run.py --sections scale
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    logs,
)
from fmtcodec._cli import main as cli

HERE = Path(__file__).resolve().parent
TARGETS = {
    "convert": 3.0,
    "convert, every core": 3.0,
    "har fmt 3": 4.0,
    "har mixed": 4.0,
    "fmt 0 memory": 4.0,
}
_NAMES = ["ALPHA", "Beta-2", "shop.ru", "Рассвет", "79001234567", "INFO_24"]


def _response(rng: random.Random) -> fmtcodec.Response:
    kind = rng.choice(["list", "all", "operators", "created", "ok", "error"])
    if kind == "created":
        return SenderCreated(id=rng.randrange(1, 10**6))
    if kind == "ok":
        return Ok()
    if kind == "error":
        code = rng.choice(list(ErrorCode))
        return ApiError(code=code, description=code.description)
    senders = []
    for index in range(rng.randrange(1, 4)):
        name = rng.choice(_NAMES)
        if kind == "all":
            senders.append(Sender(name=name, id=index + 1, status=SenderStatus(rng.randrange(3))))
        elif kind == "operators":
            codes = {
                key: OperatorStatus(rng.choice([0, 1, 2, 3, 255])) for key in fmtcodec.OPERATOR_KEYS
            }
            senders.append(Sender(name=name, id=index + 1, operators=codes))
        else:
            senders.append(Sender(name=name, id=index + 1))
    return SenderList(senders=tuple(senders))


_COMMAND = {SenderList: "get=1", SenderCreated: "add=1&sender=X", Ok: "chg=1&id=5&cmt=c"}


def _query(response: fmtcodec.Response, rng: random.Random) -> str:
    if isinstance(response, ApiError):
        return "get=1"
    query = _COMMAND[type(response)]
    if isinstance(response, SenderList) and response.senders:
        first = response.senders[0]
        if first.status is not None:
            query += "&all=1"
        elif first.operators:
            query += "&operators=1"
    return query + f"&login=user{rng.randrange(20)}&psw=secret"


# -- a folder of small files -----------------------------------------------------------


def make_folder(root: Path, count: int) -> int:
    """``count`` small fmt 3 responses, 1,000 a folder; their total size."""
    rng = random.Random(11)
    size = 0
    for number in range(count):
        body = fmtcodec.encode(_response(rng), 3).encode("utf-8")
        path = root / f"{number // 1000:02d}" / f"r{number:05d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        size += len(body)
    return size


def floor_convert(source: Path, target: Path) -> None:
    """Walk, read, json.loads, json.dumps, write: the least a folder conversion does."""
    for folder, _, names in os.walk(source):
        out = target / os.path.relpath(folder, source)
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            with open(os.path.join(folder, name), "rb") as stream:
                data = json.loads(stream.read())
            with open(out / name, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(data, ensure_ascii=False) + "\n")


def library_convert(source: Path, target: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        status = cli(["convert", "--to", "3", str(source), "-o", str(target)])
    if status != 0:
        raise SystemExit(f"convert failed with status {status}")


# -- HAR -----------------------------------------------------------------------------------


def make_har(path: Path, count: int, mixed: bool) -> int:
    """A HAR of ``count`` senders.php exchanges in mitmproxy's layout; its size.

    Bodies are fmt 3, or (``mixed``) in the format each request asked for: a third fmt 0
    in windows-1251 (the API's defaults, stored base64), the rest fmt 1, 2 or 3.
    """
    rng = random.Random(13)
    entries = []
    for _ in range(count):
        response = _response(rng)
        query = _query(response, rng)
        fmt = 3
        if mixed:
            operators = isinstance(response, SenderList) and bool(response.senders[0].operators)
            fmt = rng.choice([0, 0, 0, 2, 3, 3] if operators else [0, 0, 1, 2, 3, 3])
        content: dict[str, Any] = {"size": 0, "compression": 0, "mimeType": "text/plain"}
        if fmt == 0:
            raw = fmtcodec.encode(response, 0).encode("windows-1251")
            content.update(text=base64.b64encode(raw).decode(), encoding="base64")
        else:
            query += f"&fmt={fmt}&charset=utf-8"
            content["text"] = fmtcodec.encode(response, fmt)
        entries.append(
            {
                "startedDateTime": "2024-05-01T10:00:00.250000+00:00",
                "time": 48.2,
                "request": {
                    "method": "GET",
                    "url": f"https://smsc.ru/sys/senders.php?{query}",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [
                        {"name": "Host", "value": "smsc.ru"},
                        {"name": "User-Agent", "value": "python-requests/2.32.3"},
                    ],
                    "queryString": [],
                    "headersSize": 120,
                    "bodySize": 0,
                },
                "response": {
                    "status": 200,
                    "statusText": "OK",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [{"name": "Content-Type", "value": "text/plain"}],
                    "content": content,
                    "redirectURL": "",
                    "headersSize": 96,
                    "bodySize": 0,
                },
                "cache": {},
                "timings": {"send": 0.2, "wait": 15.0, "receive": 0.9},
            }
        )
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=2))
    return path.stat().st_size


def floor_har(path: Path, _: Path) -> None:
    """json.load the HAR and walk its entries, reading each one's URL and body."""
    with open(path, "rb") as stream:
        har = json.load(stream)
    for entry in har["log"]["entries"]:
        entry["request"]["url"]
        entry["response"]["content"]["text"]


def library_har(path: Path, out: Path) -> None:
    summary = logs.write_table([logs.read_log(path)], str(out))
    if summary.failed:
        raise SystemExit(f"the HAR export failed {summary.failed} exchanges")


# -- timing --------------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (convert's pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(
    function: Callable[[Path, Path], None], source: Path, scratch: Path
) -> tuple[float, float]:
    target = scratch / "out"
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    wall, cpu = time.perf_counter(), _cpu()
    function(source, target if source.is_dir() else scratch / "out.parquet")
    return _cpu() - cpu, time.perf_counter() - wall


def compare(
    name: str,
    library: Callable[[Path, Path], None],
    floor: Callable[[Path, Path], None],
    source: Path,
    scratch: Path,
    rounds: int,
    items: int,
    size: int,
) -> dict[str, Any]:
    """Interleaved rounds of both sides; medians of CPU and wall seconds, and ratios."""
    times: dict[str, list[tuple[float, float]]] = {"library": [], "floor": []}
    for _ in range(rounds):
        times["library"].append(_timed(library, source, scratch))
        times["floor"].append(_timed(floor, source, scratch))
    found: dict[str, Any] = {"case": name, "items": items, "bytes": size, "rounds": rounds}
    for side, pairs in times.items():
        found[f"{side}_cpu"] = statistics.median(cpu for cpu, _ in pairs)
        found[f"{side}_wall"] = statistics.median(wall for _, wall in pairs)
    found["ratio_cpu"] = found["library_cpu"] / found["floor_cpu"]
    found["ratio_wall"] = found["library_wall"] / found["floor_wall"]
    found["target"] = TARGETS[name]
    found["met"] = found["ratio_cpu"] <= found["target"]
    return found


# -- fmt 0 memory --------------------------------------------------------------------------

_MEMORY_CHILD = """
import gc, json, resource, sys, tracemalloc
import fmtcodec
how, reader, path = sys.argv[1:]
body = open(path, "rb").read()
fmtcodec.decode(b"name = A, id = 1", 0)  # the parsers built before measuring
list(fmtcodec.iter_senders(b"name = A, id = 1\\nname = B, id = 2", 0))
gc.collect()
class Streamed:  # what iter_senders leaves: the count of senders it handed out
    def __init__(self, senders):
        self.senders = range(sum(1 for _ in senders))
def read():
    if reader == "decode":
        return fmtcodec.decode(body, 0, max_size=len(body))
    return Streamed(fmtcodec.iter_senders(body, 0, max_size=len(body)))
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
if how == "tracemalloc":
    tracemalloc.start()
    response = read()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"peak": peak, "model": current, "senders": len(response.senders)}))
else:
    try:
        open("/proc/self/clear_refs", "w").write("5")  # reset the high-water mark
        before, reset = rss(), True
    except OSError:
        before, reset = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, False
    response = read()
    peak = 0
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024
    print(json.dumps({"peak": peak - before, "reset": reset, "senders": len(response.senders)}))
"""


def make_fmt0(path: Path, size: int, view: str) -> int:
    """A fmt 0 body of about ``size`` bytes in ``view``, windows-1251 (ASCII names)."""
    rng = random.Random(17)
    keys = fmtcodec.OPERATOR_KEYS
    written = 0
    with path.open("w", encoding="windows-1251", newline="\n") as stream:
        number = 0
        while written < size:
            number += 1
            name = f"{rng.choice(_NAMES[:3])}{number}"
            if view == "operators":
                pairs = ", ".join(f"{key} = {rng.choice((0, 1, 2, 3))}" for key in keys)
                line = f"name = {name}, {pairs}, id = {number}\n"
            elif view == "all":
                line = f"name = {name}, status = {rng.randrange(3)}, id = {number}\n"
            else:
                line = f"name = {name}, id = {number}\n"
            stream.write(line)
            written += len(line)
    return path.stat().st_size


def fmt0_memory(folder: Path, size: int, views: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    for view in views:
        path = folder / f"fmt0-{view}.txt"
        body = make_fmt0(path, size, view)
        for reader in ("decode", "iter_senders"):
            row: dict[str, Any] = {
                "case": "fmt 0 memory",
                "view": view,
                "reader": reader,
                "bytes": body,
            }
            for how in ("rss", "tracemalloc"):
                done = subprocess.run(
                    [sys.executable, "-c", _MEMORY_CHILD, how, reader, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found = json.loads(done.stdout)
                row[f"{how}_peak"] = found["peak"]
                row[f"{how}_ratio"] = found["peak"] / body
                row["senders"] = found["senders"]
                if how == "tracemalloc":
                    row["model"] = found["model"]  # what is left held: none when streamed
                    row["model_ratio"] = found["model"] / body
            row["target"] = TARGETS["fmt 0 memory"]
            row["met"] = row["rss_ratio"] <= row["target"]
            rows.append(row)
        path.unlink()
    return rows


# -- all of it -----------------------------------------------------------------------------


def timings(quick: bool = False, scratch_in: str | None = None) -> dict[str, Any]:
    """The timed comparisons, with files under ``scratch_in`` (default: the temporary
    folder). They run pinned to one core, except "convert, every core", where convert's
    process pool runs on every core (its CPU time counts the workers')."""
    affinity = os.sched_getaffinity(0)
    files = 2_000 if quick else 10_000
    entries = 5_000 if quick else 50_000
    rounds = 3 if quick else 5
    found: dict[str, Any] = {"timings": [], "cores": len(affinity)}
    try:
        with tempfile.TemporaryDirectory(dir=scratch_in) as scratch_name:
            scratch = Path(scratch_name)
            found["scratch"] = str(scratch.parent)
            source = scratch / "in"
            size = make_folder(source, files)
            found["timings"].append(
                compare(
                    "convert, every core",
                    library_convert,
                    floor_convert,
                    source,
                    scratch,
                    rounds,
                    files,
                    size,
                )
            )
            os.sched_setaffinity(0, {min(affinity)})
            found["timings"].append(
                compare(
                    "convert", library_convert, floor_convert, source, scratch, rounds, files, size
                )
            )
            shutil.rmtree(source)
            for name, mixed in (("har fmt 3", False), ("har mixed", True)):
                har = scratch / "traffic.har"
                size = make_har(har, entries, mixed)
                found["timings"].append(
                    compare(name, library_har, floor_har, har, scratch, rounds, entries, size)
                )
                har.unlink()
    finally:
        os.sched_setaffinity(0, affinity)
    return found


def run(
    quick: bool = False,
    scratch_in: str | None = None,
    sections: tuple[str, ...] = ("timings", "memory"),
    views: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """The sections asked for: the timings, and the fmt 0 memory (6 MB quick, else 60 MB,
    in each of ``views``: default basic, all and operators; operators alone when quick)."""
    found: dict[str, Any] = {"timings": [], "memory": []}
    if "timings" in sections:
        found.update(timings(quick, scratch_in))
    if "memory" in sections:
        with tempfile.TemporaryDirectory() as folder:
            size = 6_000_000 if quick else 60_000_000
            chosen = views or (("operators",) if quick else ("basic", "all", "operators"))
            found["memory"] = fmt0_memory(Path(folder), size, chosen)
    return found


def report(found: dict[str, Any]) -> str:
    lines = [
        "| case | items | MB | fmtcodec CPU | floor CPU | ratio (CPU) | ratio (wall)"
        " | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in found["timings"]:
        lines.append(
            f"| {row['case']} | {row['items']:,} | {row['bytes'] / 1e6:.1f}"
            f" | {row['library_cpu']:.2f} s | {row['floor_cpu']:.2f} s | {row['ratio_cpu']:.2f}x"
            f" | {row['ratio_wall']:.2f}x | {row['target']:g}x"
            f" | {'yes' if row['met'] else '**no**'} |"
        )
    lines += [
        "",
        "| fmt 0 body | read by | senders | MB | peak RSS growth | tracemalloc peak"
        " | held after | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in found["memory"]:
        lines.append(
            f"| {row['view']} | {row.get('reader', 'decode')} | {row['senders']:,}"
            f" | {row['bytes'] / 1e6:.1f}"
            f" | {row['rss_peak'] / 1e6:.0f} MB ({row['rss_ratio']:.2f}x)"
            f" | {row['tracemalloc_peak'] / 1e6:.0f} MB ({row['tracemalloc_ratio']:.2f}x)"
            f" | {row['model'] / 1e6:.0f} MB ({row['model_ratio']:.2f}x)"
            f" | {row['target']:g}x | {'yes' if row['met'] else '**no**'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, 3 rounds")
    parser.add_argument("--output", type=Path, help="the JSON file (default: results/)")
    parser.add_argument("--scratch", help="where the files go (default: the temporary folder)")
    parser.add_argument(
        "--sections", default="timings,memory", help="comma-separated: timings, memory"
    )
    parser.add_argument("--views", help="comma-separated fmt 0 views for memory")
    args = parser.parse_args()
    views = tuple(args.views.split(",")) if args.views else None
    found = run(args.quick, args.scratch, tuple(args.sections.split(",")), views)
    print(report(found))
    output = args.output or HERE / "results" / time.strftime("scale-%Y%m%d-%H%M%S.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(found, indent=1) + "\n")
    print(f"written to {output}")


if __name__ == "__main__":
    main()
