"""The fixture corpus under fixtures/, read as the layout contract describes it.

    valid/<kind>/<case>/    model.json, fmtN.<ext>, fmtN.<charset>.<ext>
    lenient/<case>/         model.json, input.fmtN.<ext>, input.fmtN.<charset>.<ext>
    invalid/<case>/         error.txt, one input.(fmtN|auto)[.<charset>].<ext>

:func:`layout_problems` names every file or folder outside that layout, so that no file of
the corpus goes unused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmtcodec import CHARSETS, ApiError, Response
from fmtcodec._modeljson import from_data

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
KINDS = ("list", "created", "ok", "error")
EXTENSIONS = {0: "txt", 1: "csv", 2: "xml", 3: "json"}

_CHARSET = r"(?:\.(?P<charset>[a-z0-9_-]+))?"
_EXT = r"\.(?P<ext>txt|csv|xml|json)"
_WIRE = re.compile(rf"fmt(?P<fmt>[0-3]){_CHARSET}{_EXT}")
_INPUT = re.compile(rf"input\.(?:fmt(?P<fmt>[0-3])|(?P<auto>auto)){_CHARSET}{_EXT}")


@dataclass(frozen=True)
class Body:
    """One wire file: its bytes, the fmt (None: detect) and charset to decode it with."""

    path: Path
    fmt: int | None
    charset: str

    @property
    def id(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class ValidCase:
    """A valid/<kind>/<case>/ folder: its model and its wire files."""

    folder: Path
    model_data: dict[str, Any]
    wires: tuple[Body, ...]

    @property
    def id(self) -> str:
        return self.folder.relative_to(ROOT).as_posix()

    @property
    def kind(self) -> str:
        return self.folder.parent.name

    @property
    def model(self) -> Response:
        return from_data(self.model_data)

    def wire(self, fmt: int) -> Body | None:
        """The UTF-8 file of ``fmt``, if the case holds one."""
        return next((w for w in self.wires if w.fmt == fmt and w.charset == "utf-8"), None)


@dataclass(frozen=True)
class InvalidCase:
    """An invalid/<case>/ folder: the input and the exact message decode must give."""

    body: Body
    message: str

    @property
    def id(self) -> str:
        return self.body.path.parent.relative_to(ROOT).as_posix()


def _body(path: Path, match: re.Match[str]) -> Body:
    fmt = None if match["fmt"] is None else int(match["fmt"])
    return Body(path=path, fmt=fmt, charset=match["charset"] or "utf-8")


def _folders(path: Path) -> list[Path]:
    return sorted(child for child in path.iterdir() if child.is_dir()) if path.is_dir() else []


def _model(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    return data


def _readable(folder: Path, name: str) -> bool:
    """Whether the case's ``name`` file can be read; layout_problems reports it if not."""
    try:
        if name == "model.json":
            from_data(_model(folder))
        else:
            (folder / name).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def valid_cases() -> list[ValidCase]:
    cases = []
    for kind in KINDS:
        for folder in _folders(ROOT / "valid" / kind):
            if not _readable(folder, "model.json"):
                continue
            wires = []
            for file in sorted(folder.iterdir()):
                match = _WIRE.fullmatch(file.name)
                if match is not None:
                    wires.append(_body(file, match))
            cases.append(ValidCase(folder=folder, model_data=_model(folder), wires=tuple(wires)))
    return cases


def lenient_inputs() -> list[tuple[Body, dict[str, Any]]]:
    inputs = []
    for folder in _folders(ROOT / "lenient"):
        if not _readable(folder, "model.json"):
            continue
        model = _model(folder)
        for file in sorted(folder.iterdir()):
            match = _INPUT.fullmatch(file.name)
            if match is not None and match["auto"] is None:
                inputs.append((_body(file, match), model))
    return inputs


def invalid_cases() -> list[InvalidCase]:
    cases = []
    for folder in _folders(ROOT / "invalid"):
        if not _readable(folder, "error.txt"):
            continue
        for file in sorted(folder.iterdir()):
            match = _INPUT.fullmatch(file.name)
            if match is not None:
                text = (folder / "error.txt").read_text(encoding="utf-8")
                message = text.removesuffix("\n")  # one line (layout_problems checks it)
                cases.append(InvalidCase(body=_body(file, match), message=message))
    return cases


def layout_problems() -> list[str]:
    """Every way the files under fixtures/ stray from the layout; empty when none do."""
    problems: list[str] = []
    for top in sorted(ROOT.iterdir()):
        if top.name not in ("valid", "lenient", "invalid") or not top.is_dir():
            problems.append(f"{top.name}: not one of valid/, lenient/, invalid/")
    for kind_folder in _children(ROOT / "valid"):
        if kind_folder.name not in KINDS or not kind_folder.is_dir():
            problems.append(f"valid/{kind_folder.name}: not a kind ({', '.join(KINDS)})")
            continue
        for folder in _children(kind_folder):
            problems += _valid_problems(folder)
    for folder in _children(ROOT / "lenient"):
        problems += _lenient_problems(folder)
    for folder in _children(ROOT / "invalid"):
        problems += _invalid_problems(folder)
    return problems


def _children(path: Path) -> list[Path]:
    return sorted(path.iterdir()) if path.is_dir() else []


def _where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _model_problems(folder: Path, kind: str | None) -> list[str]:
    try:
        model = from_data(_model(folder))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{_where(folder)}/model.json: not a schema 1 model ({exc})"]
    if kind is not None and _model(folder)["kind"] != kind:
        return [f"{_where(folder)}/model.json: a {_model(folder)['kind']} in valid/{kind}/"]
    if isinstance(model, ApiError) and model.description is None and kind is not None:
        names = {file.name for file in folder.iterdir()}
        if names != {"model.json", "fmt1.csv"}:
            return [
                f"{_where(folder)}: a description-null error must hold fmt1.csv alone (spec §4.4)"
            ]
    return []


def _wire_problems(file: Path, match: re.Match[str] | None, what: str) -> list[str]:
    if match is None:
        return [f"{_where(file)}: not model.json or {what}"]
    if match["fmt"] is not None and match["ext"] != EXTENSIONS[int(match["fmt"])]:
        return [f"{_where(file)}: fmt {match['fmt']} files end .{EXTENSIONS[int(match['fmt'])]}"]
    if match["charset"] is not None and match["charset"] not in CHARSETS[1:]:
        return [f"{_where(file)}: the charset is not one of {', '.join(CHARSETS[1:])}"]
    return []


def _valid_problems(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"{_where(folder)}: not a case folder"]
    if not (folder / "model.json").is_file():
        return [f"{_where(folder)}: no model.json"]
    problems = _model_problems(folder, folder.parent.name)
    names = {file.name for file in folder.iterdir()} - {"model.json"}
    if not names:
        problems.append(f"{_where(folder)}: no wire file")
    for name in sorted(names):
        match = _WIRE.fullmatch(name)
        problems += _wire_problems(folder / name, match, "fmtN[.charset].ext")
        if match is not None and match["charset"] is not None:
            utf8 = f"fmt{match['fmt']}.{match['ext']}"
            if utf8 not in names:
                problems.append(f"{_where(folder / name)}: no {utf8} beside it")
    return problems


def _lenient_problems(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"{_where(folder)}: not a case folder"]
    if not (folder / "model.json").is_file():
        return [f"{_where(folder)}: no model.json"]
    problems = _model_problems(folder, None)
    names = {file.name for file in folder.iterdir()} - {"model.json"}
    if not names:
        problems.append(f"{_where(folder)}: no input")
    for name in sorted(names):
        match = _INPUT.fullmatch(name)
        if match is not None and match["auto"] is not None:
            problems.append(f"{_where(folder / name)}: lenient inputs name their fmt")
        problems += _wire_problems(folder / name, match, "input.fmtN[.charset].ext")
    return problems


def _invalid_problems(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"{_where(folder)}: not a case folder"]
    names = sorted(file.name for file in folder.iterdir())
    inputs = [name for name in names if _INPUT.fullmatch(name)]
    problems = [
        f"{_where(folder / name)}: not error.txt or input.(fmtN|auto)[.charset].ext"
        for name in names
        if name != "error.txt" and name not in inputs
    ]
    if len(inputs) != 1:
        problems.append(f"{_where(folder)}: holds {len(inputs)} inputs, not one")
    for name in inputs:
        match = _INPUT.fullmatch(name)
        if match is not None and match["fmt"] is not None:
            fmt = int(match["fmt"])
            if match["ext"] != EXTENSIONS[fmt]:
                problems.append(f"{_where(folder / name)}: fmt {fmt} files end .{EXTENSIONS[fmt]}")
    error = folder / "error.txt"
    if not error.is_file():
        problems.append(f"{_where(folder)}: no error.txt")
    else:
        text = error.read_text(encoding="utf-8")
        if not text.endswith("\n") or text.count("\n") != 1 or len(text) < 2:
            problems.append(f"{_where(error)}: not one line with its final newline")
    return problems
