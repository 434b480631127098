"""Where the time goes in the cases that miss their targets: each step against the floor.

    python benchmarks/breakdown.py

Each step of fmtcodec's path is timed on its own, interleaved with the same floor as in
run.py, so that each line reads "this step alone costs this much of the floor". The
steps reach into fmtcodec's private functions: this is a measuring tool, not an API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from documents import sender_list
from floors import DECODERS, ENCODERS
from lxml import etree
from timing import compare

import fmtcodec
from fmtcodec import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json, _source, _writing

Step = tuple[str, Callable[[Any], Any]]


def _steps(operation: str, fmt: int, view: str, size: int) -> tuple[Any, list[Step]]:
    model = sender_list(view, size)
    body = fmtcodec.encode(model, fmt).encode("utf-8")
    if operation == "encode":
        plain = _writing.plain_list(model.senders)
        assert plain is not None
        writer: Callable[[_writing.PlainList], str] = {
            0: _fmt0_text._plain_lines,
            1: _fmt1_csv._plain_rows,
            2: _fmt2_xml._plain_senders_text,
            3: _fmt3_json._plain_objects,
        }[fmt]
        return model, [
            ("the checks (plain_list)", lambda _: _writing.plain_list(model.senders)),
            ("writing the checked columns", lambda _: writer(plain)),
            ("fmtcodec.encode, all of it", lambda _: fmtcodec.encode(model, fmt)),
        ]
    steps: list[Step] = [
        (
            "bytes through the text gate (open_body)",
            lambda _: _source.open_body(body, None, "utf-8", 1 << 30),
        )
    ]
    if fmt == 3:
        decoder = {"basic": _fmt3_json._BASIC, "operators": _fmt3_json._OPERATORS}[view].decoder
        what = "the model's Senders" if view == "basic" else "the view's Struct"
        steps += [
            (f"msgspec, typed, into {what}", lambda _: decoder.decode(body)),
            ("the duplicate check (counting ':')", lambda _: body.count(b":")),
            ("the whole typed path, before the gate", lambda _: _fmt3_json.from_bytes(body)),
        ]
    elif fmt == 2:
        root = etree.fromstring(body)
        steps += [
            ("lxml parsing (the hardened parser)", lambda _: _parse(body)),
            ("reading the elements into Senders", lambda _: _fmt2_xml._plain_senders(root)),
        ]
    steps.append(("fmtcodec.decode, all of it", lambda _: fmtcodec.decode(body, fmt)))
    return body, steps


def _parse(body: bytes) -> Any:
    return etree.fromstring(body, _fmt2_xml._parser())


CASES = [
    ("decode", 3, "basic", 10_000),
    ("decode", 3, "operators", 10_000),
    ("decode", 2, "basic", 100),
    ("encode", 0, "basic", 10_000),
    ("encode", 1, "basic", 10_000),
]


def main() -> None:
    for operation, fmt, view, size in CASES:
        argument, steps = _steps(operation, fmt, view, size)
        floors = DECODERS if operation == "decode" else ENCODERS
        floor = floors[(fmt, view)]
        if operation == "decode" and fmt == 3:
            floor = msgspec.json.decode
        print(f"\n{operation} fmt {fmt} {view} {size:,}: step / floor")
        for name, step in steps:
            timing = compare(step, floor, argument, rounds=9)
            print(f"  {timing.ratio:5.2f}x  {name}", flush=True)


if __name__ == "__main__":
    main()
