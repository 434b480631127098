"""``fmtcodec inspect`` in-process: the text rendering and the versioned JSON."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    OperatorStatus,
    Sender,
    SenderList,
    SenderStatus,
    _cli_inspect,
)
from fmtcodec._cli import main
from fmtcodec._modeljson import from_data, to_data


def write(path: Path, body: str | bytes) -> Path:
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def test_list_all_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "name = ALPHA, status = 1, id = 7\nname = Рассвет, status = 2, id = 8"
    path = write(tmp_path / "all.txt", body.encode("windows-1251"))
    assert main(["inspect", "--charset", "windows-1251", str(path)]) == 0
    assert capsys.readouterr().out == (
        f"file: {path}\n"
        "format: fmt 0 (text), from the file's extension\n"
        "charset: windows-1251\n"
        "kind: list of 2 sender names, all=1 view\n"
        "\n"
        "ALPHA  (id 7)\n"
        "  status: 1 approved (допущено к использованию)\n"
        "\n"
        "Рассвет  (id 8)\n"
        "  status: 2 disabled (выключено)\n"
    )


def test_operators_view_names_operators_and_statuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "name = OPS, mega_step = 2, ua_int = 255, mts_int = 8, tele2 = 0, bee_step = 7,"
        " replacement = NEW, id = 3"
    )
    path = write(tmp_path / "ops.txt", body)
    assert main(["inspect", "--fmt", "0", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "format: fmt 0 (text), given",
        "charset: utf-8",
        "kind: list of 1 sender name, operators=1 view",
        "",
        "OPS  (id 3)",
        "  operators:",
        # In the model's order (fmtcodec.OPERATOR_KEYS), whatever the body's.
        "    mega_step  MegaFon, paid name                  2 approved (допущено оператором)",
        "    bee_step   Beeline, paid name                  7 (an unknown status)",
        "    tele2      Tele2, free-names tariff            0 awaiting registration"
        " (ожидает регистрации)",
        "    ua_int     Ukraine, international tariff       255 approved pending removal"
        " (допущено, но помечено на снятие с регистрации)",
        "    mts_int    MTS, substitution by a common name  8 documents required"
        " (необходимы подтверждающие документы)",
        "  unknown keys (kept):",
        '    replacement = "NEW"',
    ]


def test_unknown_operator_key_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # spec §3: "expect new keys"; spec §4.3: unknown statuses stay plain ints.
    value = SenderList(
        senders=(
            Sender(name="N", id=1, status=SenderStatus(5), operators={"motiv": OperatorStatus(1)}),
        )
    )
    path = write(tmp_path / "x.json", fmtcodec.encode(value, 3))
    assert main(["inspect", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  status: 5 (an unknown status)" in lines
    assert lines[-1] == (
        "    motiv  Motiv, free-names tariff  1 sent for registration (отправлено на регистрацию)"
    )


def test_plain_list_created_ok(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for body, tail in [
        (
            b'<list>\n<sender id="4">A</sender>\n</list>',
            ["kind: list of 1 sender name", "", "A  (id 4)"],
        ),
        (b"ID = 12", ["kind: created (a new sender name)", "id: 12"]),
        (b'{"result": "OK"}', ["kind: ok (the request succeeded)"]),
    ]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
        assert main(["inspect", "-"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("format: fmt ")  # no "file:" line for standard input
        assert lines[2:] == tail


def test_errors_with_the_meaning_of_their_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(write(tmp_path / "e.csv", "0,-9"))]) == 0
    assert capsys.readouterr().out.splitlines()[3:] == [
        "kind: error",
        "code: 9 too many requests (" + fmtcodec.ErrorCode.TOO_MANY_REQUESTS.description + ")",
        "description: (none: fmt 1 carries no description)",
    ]
    body = fmtcodec.encode(ApiError(code=ErrorCode(42), description="что-то новое"), 2)
    assert main(["inspect", str(write(tmp_path / "e.xml", body))]) == 0
    assert capsys.readouterr().out.splitlines()[3:] == [
        "kind: error",
        "code: 42 not a code senders.php documents",
        "description: что-то новое",
    ]


def test_json_is_model_data_with_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    value = SenderList(
        senders=(
            Sender(
                name="Ф",
                id=2,
                operators={"mts_step": OperatorStatus(3)},
                extra={"replacement": "G"},
            ),
        )
    )
    path = write(tmp_path / "ops.xml", fmtcodec.encode(value, 2).encode("koi8-r"))
    assert main(["inspect", "--json", "--charset", "koi8-r", str(path)]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert list(document) == ["version", "fmt", "charset", "kind", "senders"]
    assert document == {"fmt": 2, "charset": "koi8-r", **to_data(value)}
    assert from_data(document) == value  # it stays model data, version 2
    assert "Ф" in out  # written as it is, not \u-escaped


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b"ID = 5, x = y",
            {
                "version": 2,
                "fmt": 0,
                "charset": "utf-8",
                "kind": "created",
                "id": 5,
                "extra": {"x": "y"},
            },
        ),
        (b"OK", {"version": 2, "fmt": 1, "charset": "utf-8", "kind": "ok"}),
        (
            b"0,-3",
            {
                "version": 2,
                "fmt": 1,
                "charset": "utf-8",
                "kind": "error",
                "code": 3,
                "description": None,
                "extra": {},
            },
        ),
    ],
)
def test_json_of_each_kind(
    body: bytes, expected: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", "--json", str(write(tmp_path / "r", body))]) == 0
    assert json.loads(capsys.readouterr().out) == expected


def test_bad_inputs_exit_1_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "bad.json", '[{"sender": "A", "id": 0}]')
    assert main(["inspect", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:1:") and err.count("\n") == 1
    assert main(["inspect", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path}: cannot read: Is a directory\n"
    assert main(["inspect", str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().err.endswith(": cannot read: No such file or directory\n")
    assert main(["inspect"]) == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


def test_every_operator_key_has_a_name() -> None:
    names = {key: _cli_inspect._operator(key) for key in fmtcodec.OPERATOR_KEYS}
    assert all(names.values()), names
    assert names["by_reg"] == "Belarus, national tariff"
    assert names["sber_int"] == "SberMobile, substitution by a common name"
    assert _cli_inspect._operator("newop_step") == ""  # spec §3: "expect new keys"
