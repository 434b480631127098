"""Peak memory of one decode, measured in a fresh interpreter per measurement.

Two measures, since neither sees everything: tracemalloc sees Python's allocations only
(not libxml2's), and the resident set size sees everything but in pages. The RSS peak is
the high-water mark after the kernel's was reset (``/proc/self/clear_refs``), minus the
resident size just before the decode; where the reset is not allowed, the process's
``ru_maxrss`` is used instead, which can hide a decode smaller than the set-up.

Run by run.py as ``python memory.py FILE FMT VIEW SIDE MEASURE``.
"""

from __future__ import annotations

import gc
import json
import re
import resource
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SMALL = {2: b"<list>\n</list>", 3: b"[]"}


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    if match is None:
        raise OSError(f"no {field} in /proc/self/status")
    return int(match.group(1))


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(path: str, fmt: int, view: str, side: str, how: str) -> dict[str, Any]:
    """Peak bytes of decoding the file once, by the library or the floor."""
    from floors import DECODERS

    import fmtcodec

    data = Path(path).read_bytes()
    decode: Callable[[bytes], Any] = DECODERS[(fmt, view)]
    if side == "library":

        def decode(body: bytes) -> Any:
            return fmtcodec.decode(body, fmt)

    # Build the lazy parsers on a small body, so that the peak is the decode's own.
    decode(_SMALL.get(fmt) or data[: data.find(b"\n")])
    gc.collect()
    if how == "tracemalloc":
        tracemalloc.start()
        result = decode(data)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        return {"peak_bytes": peak, "method": "tracemalloc"}
    before = _status_kib("VmRSS")
    exact = _reset_peak()
    if not exact:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = decode(data)
    after = _status_kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del result
    return {
        "peak_bytes": max(after - before, 0) * 1024,
        "method": "VmHWM" if exact else "ru_maxrss",
    }


if __name__ == "__main__":
    file, fmt_arg, view_arg, side_arg, how_arg = sys.argv[1:6]
    print(json.dumps(measure(file, int(fmt_arg), view_arg, side_arg, how_arg)))
