"""fmtcodec.testing: the assertions and the shipped corpus (cassettes: test_cassettes.py)."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import fmtcodec
import fmtcodec.testing
from fmtcodec import ApiError, EncodeError, ErrorCode, Fmt, Ok, Sender, SenderCreated, SenderList
from fmtcodec._cli import main
from fmtcodec._modeljson import to_data
from fmtcodec.testing import _corpus as corpus
from fmtcodec.testing import assert_roundtrip, assert_same_response, valid_cases

pytest_plugins = ["pytester"]

REPOSITORY = Path(__file__).resolve().parent.parent
TWO = SenderList(
    senders=(
        Sender(name="ALPHA", id=1),
        Sender(name="Бета", id=2),
    )
)


@pytest.mark.parametrize("fmt", list(Fmt))
def test_roundtrip_returns_the_model(fmt: Fmt) -> None:
    body = fmtcodec.encode(TWO, fmt)
    assert assert_roundtrip(body, fmt) == TWO
    assert assert_roundtrip(body.encode("koi8-r"), fmt, charset="koi8-r") == TWO
    assert assert_roundtrip(body, strict=True) == TWO  # detected, and canonical


def test_roundtrip_reports_where_a_body_stops_decoding() -> None:
    body = b"name = A, id = 1\nname = B, id = 0"
    with pytest.raises(fmtcodec.DecodeError) as error:
        fmtcodec.decode(body, 0)
    assert error.value.msg.startswith("senders[1].id: ")
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip(body, 0)
    assert str(caught.value) == (
        f"the body does not decode:\n  line 2, column 16: fmt 0 (text, given): {error.value.msg}"
    )


def test_roundtrip_names_the_detected_format_of_a_body_that_does_not_decode() -> None:
    match = r"^the body does not decode:\n  line 1, column 2: fmt 3 \(JSON, detected\): "
    with pytest.raises(AssertionError, match=match):
        assert_roundtrip('[{"sender": "A"}]')
    with pytest.raises(AssertionError, match=r"^the body does not decode:\n.*koi7"):
        assert_roundtrip(b"OK", charset="koi7")


def test_roundtrip_reports_the_record_field_format_and_both_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The encoders are right, so a body that changes on a round trip needs a wrong one.
    def renaming(response: fmtcodec.Response, fmt: int) -> str:
        assert isinstance(response, SenderList)
        changed = tuple(Sender(name=s.name.lower(), id=s.id) for s in response.senders)
        return fmtcodec.encode(SenderList(senders=changed), fmt)

    monkeypatch.setattr("fmtcodec._validation.encode", renaming)
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip(fmtcodec.encode(TWO, 2), 2)
    assert str(caught.value) == (
        "the fmt 2 body fails the round trip check:\n"
        "  changes on a round trip through fmt 2: senders[0].name: 'ALPHA' != 'alpha'\n"
        "  changes on a round trip through fmt 2: senders[1].name: 'Бета' != 'бета'"
    )


def test_roundtrip_reports_a_body_that_cannot_be_written_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refusing(response: fmtcodec.Response, fmt: int) -> str:
        raise EncodeError("no form", fmt=fmt, path="senders[0].name")

    monkeypatch.setattr("fmtcodec._validation.encode", refusing)
    monkeypatch.setattr("fmtcodec.testing.encode", refusing)
    for strict in (False, True):
        with pytest.raises(AssertionError) as caught:
            assert_roundtrip("ALPHA,1", 1, strict=strict)
        assert str(caught.value).endswith(
            "round trip check:\n"
            "  decodes, but cannot be written back: senders[0].name: no form (fmt 1)"
        )


def test_strict_shows_the_first_line_off_the_canonical_layout() -> None:
    assert_roundtrip("ID = 5\n", strict=True)  # spec §4.1: one final newline is allowed
    assert_roundtrip("\ufeffID = 5".encode(), strict=True)
    assert_roundtrip('{"sender": 5}')  # not strict: any layout
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip('{"sender": 5}', strict=True)
    assert str(caught.value) == (
        "the fmt 3 body fails the strict round trip check:\n"
        "  line 1, column 2: differs from the canonical layout the encoder writes\n"
        "  line 1 of the body: '{\"sender\": 5}'\n"
        "  the encoder writes: '{'"
    )
    body = "name = A, id = 1\nname = Б, id = 02".encode("cp1251")
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip(body, 0, charset="cp1251", strict=True)
    assert str(caught.value).splitlines()[-3:] == [
        "  line 2, column 16: differs from the canonical layout the encoder writes",
        "  line 2 of the body: 'name = Б, id = 02'",
        "  the encoder writes: 'name = Б, id = 2'",
    ]
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip(body.replace(b"\n", b"\r\n"), 0, charset="cp1251", strict=True)
    assert str(caught.value).splitlines()[-2:] == [
        "  line 1 of the body: 'name = A, id = 1\\r'",
        "  the encoder writes: 'name = A, id = 1'",
    ]
    with pytest.raises(AssertionError, match=r"the body has 3 lines, the encoder writes 2$"):
        assert_roundtrip("name = A, id = 1\nname = B, id = 2\n\n", strict=True)


def test_strict_refuses_unknown_keys() -> None:
    body = "name = A, zz = 5, id = 1"
    assert assert_roundtrip(body).senders[0].extra == {"zz": "5"}  # type: ignore[union-attr]
    with pytest.raises(AssertionError) as caught:
        assert_roundtrip(body, strict=True)
    assert str(caught.value) == (
        "the fmt 0 body fails the strict round trip check:\n  senders[0] holds the unknown key 'zz'"
    )


def test_roundtrip_misuse_is_not_an_assertion() -> None:
    with pytest.raises(TypeError):
        assert_roundtrip(["OK"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fmt must be 0, 1, 2 or 3"):
        assert_roundtrip("OK", 4)


@pytest.mark.parametrize(("fmt_a", "fmt_b"), [(a, b) for a in Fmt for b in Fmt])
def test_same_response_across_formats(fmt_a: Fmt, fmt_b: Fmt) -> None:
    a = fmtcodec.encode(TWO, fmt_a).encode("cp1251")
    b = fmtcodec.encode(TWO, fmt_b)
    assert assert_same_response(a, b, fmt_a=fmt_a, fmt_b=fmt_b, charset_a="windows-1251") == TWO
    assert assert_same_response(a, b, charset_a="cp1251") == TWO  # both detected


def test_an_error_without_description_matches_any_description_of_its_code() -> None:
    described = fmtcodec.encode(ApiError(code=ErrorCode(3), description="нет такого имени"), 0)
    assert assert_same_response("0,-3", described, fmt_a=1) == ApiError(
        code=ErrorCode.SENDER_NOT_FOUND
    )
    assert assert_same_response(described, "0,-3", fmt_b=1) == ApiError(
        code=ErrorCode.SENDER_NOT_FOUND, description="нет такого имени"
    )
    with pytest.raises(AssertionError) as caught:
        assert_same_response("0,-4", described, fmt_a=1)
    assert str(caught.value) == (
        "a (fmt 1) and b (fmt 0) are different responses:\n"
        "  code: <ErrorCode.IP_BLOCKED: 4> != <ErrorCode.SENDER_NOT_FOUND: 3>"
    )
    with pytest.raises(AssertionError, match=r"  description: 'нет такого имени' != 'другое'$"):
        assert_same_response(described, '{"error": "другое", "error_code": 3}')


def test_same_response_lists_the_differing_fields() -> None:
    other = SenderList(
        senders=(
            Sender(name="ALPHA", id=1, extra={"x": "1"}),
            Sender(name="B", id=3),
        )
    )
    with pytest.raises(AssertionError) as caught:
        assert_same_response(fmtcodec.encode(TWO, 0), fmtcodec.encode(other, 3))
    assert str(caught.value) == (
        "a (fmt 0) and b (fmt 3) are different responses:\n"
        "  senders[0].extra.x: (absent) != '1'\n"
        "  senders[1].name: 'Бета' != 'B'\n"
        "  senders[1].id: 2 != 3"
    )
    with pytest.raises(AssertionError, match=r"^a \(fmt 1\) and b \(fmt 2\) .*\n  kind: Ok != Sen"):
        assert_same_response("OK", "<sender>\n<id>5</id>\n</sender>")


def test_same_response_names_the_body_that_does_not_decode() -> None:
    with pytest.raises(AssertionError) as caught:
        assert_same_response("OK", b"ID = \xff", fmt_b=0)
    assert str(caught.value) == (
        "b does not decode: fmt 0 (text, given): byte 0xFF is not valid utf-8; the body is"
        " valid windows-1251 (the API's default charset): decode with charset='windows-1251'"
        " (at line 1, column 6)"
    )
    with pytest.raises(AssertionError, match=r"^a does not decode: .*\(at end of input\)$"):
        assert_same_response("[", "OK")
    with pytest.raises(TypeError):
        assert_same_response("OK", None)  # type: ignore[arg-type]


def test_importable_without_pytest_hypothesis_or_yaml() -> None:
    # None in sys.modules makes an import fail, as if the package were not installed.
    code = (
        "import sys\n"
        "for name in ('pytest', 'hypothesis', 'yaml', '_pytest'):\n"
        "    sys.modules[name] = None\n"
        "import fmtcodec.testing, fmtcodec.testing._corpus, fmtcodec._cassettes\n"
        "assert fmtcodec.testing.assert_roundtrip(b'OK').__class__.__name__ == 'Ok'\n"
        "try:\n"
        "    fmtcodec._cassettes.read_cassette('any.yaml')\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "reading VCR.py cassettes needs PyYAML: pip install 'fmtcodec[vcr]'\n"


def _write_case(root: Path, kind: str, name: str, response: fmtcodec.Response) -> Path:
    folder = root / kind / name
    folder.mkdir(parents=True)
    (folder / "model.json").write_text(
        json.dumps(to_data(response), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def test_valid_cases_reads_the_layout_of_fixtures_md(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = _write_case(tmp_path, "list", "two", TWO)
    for fmt, extension in ((0, "txt"), (3, "json")):
        (listing / f"fmt{fmt}.{extension}").write_text(fmtcodec.encode(TWO, fmt), "utf-8")
    (listing / "fmt0.windows-1251.txt").write_bytes(fmtcodec.encode(TWO, 0).encode("cp1251"))
    (_write_case(tmp_path, "ok", "bare", Ok()) / "fmt1.csv").write_text("OK", "utf-8")
    monkeypatch.setattr(corpus, "_PLACES", (tmp_path / "absent", tmp_path))
    cases = valid_cases()
    assert [(case.name, case.fmt, case.charset) for case in cases] == [
        ("list/two/fmt0.txt", Fmt.TEXT, "utf-8"),
        ("list/two/fmt0.windows-1251.txt", Fmt.TEXT, "windows-1251"),
        ("list/two/fmt3.json", Fmt.JSON, "utf-8"),
        ("ok/bare/fmt1.csv", Fmt.CSV, "utf-8"),
    ]
    assert [case.expected for case in cases] == [TWO, TWO, TWO, Ok()]
    assert cases[1].body == "name = ALPHA, id = 1\nname = Бета, id = 2".encode("cp1251")
    with pytest.raises(AttributeError):
        cases[0].name = "other"  # type: ignore[misc]


def test_valid_cases_refuses_a_wire_file_whose_extension_is_another_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_write_case(tmp_path, "created", "seven", SenderCreated(id=7)) / "fmt3.txt").write_text("x")
    monkeypatch.setattr(corpus, "_PLACES", (tmp_path,))
    with pytest.raises(ValueError, match=r"fmt3\.txt: the extension does not match fmt 3$"):
        valid_cases()


def test_valid_cases_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_PLACES", (tmp_path / "a", tmp_path / "b"))
    with pytest.raises(FileNotFoundError, match=r"corpus is missing; looked in .*a, .*b$"):
        valid_cases()


def _source_files() -> list[str]:
    root = REPOSITORY / "fixtures" / "valid"
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_the_source_checkout_finds_the_repository_corpus() -> None:
    # The editable install this suite runs in: fixtures/valid, not a copy.
    assert corpus._root(corpus._PLACES) == REPOSITORY / "fixtures" / "valid"
    cases = valid_cases()
    kinds = {case.name.split("/")[0] for case in cases}
    assert kinds == {"list", "created", "ok", "error"}
    assert {case.fmt for case in cases} == set(Fmt)
    assert len({case.name for case in cases}) == len(cases)
    wire_files = [name for name in _source_files() if not name.endswith("model.json")]
    assert len(cases) == len(wire_files)
    for case in cases:
        assert fmtcodec.decode(case.body, case.fmt, charset=case.charset) == case.expected


def test_the_wheel_ships_the_corpus_and_finds_it(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    built = list(
        WheelBuilder(str(REPOSITORY)).build(directory=str(tmp_path), versions=["standard"])
    )
    with zipfile.ZipFile(built[0]) as wheel:
        shipped = sorted(
            name.removeprefix("fmtcodec/testing/corpus_data/valid/")
            for name in wheel.namelist()
            if name.startswith("fmtcodec/testing/corpus_data/valid/")
        )
        assert shipped == _source_files()
        wheel.extractall(tmp_path / "site")
    # The installed package, not the checkout: PYTHONPATH comes before the editable path.
    code = (
        "import fmtcodec.testing._corpus as corpus\n"
        "print(corpus._root(corpus._PLACES))\n"
        "print(len(corpus.valid_cases()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
        cwd=tmp_path,
    ).stdout.split("\n")
    assert out[0] == str(tmp_path / "site" / "fmtcodec" / "testing" / "corpus_data" / "valid")
    assert int(out[1]) == len(valid_cases())


_DOC = REPOSITORY / "docs" / "testing.md"
# Both bodies as the server sends them when the request names no charset: windows-1251.
_DOC_CASSETTE = """\
interactions:
- request:
    body: null
    headers: {}
    method: GET
    uri: https://smsc.ru/sys/senders.php?get=1&login=me&psw=secret
  response:
    body: {string: !!binary '%s'}
    headers: {Content-Type: [text/plain; charset=windows-1251]}
    status: {code: 200, message: OK}
- request:
    body: add=1&sender=NEWNAME&fmt=3&login=me&psw=secret
    headers: {Content-Type: [application/x-www-form-urlencoded]}
    method: POST
    uri: https://smsc.ru/sys/senders.php
  response:
    body: {string: "{\\n\\"sender\\": 42\\n}"}
    headers: {Content-Type: [application/json; charset=windows-1251]}
    status: {code: 200, message: OK}
version: 1
"""


def _doc_project(root: Path) -> None:
    """The files docs/testing.md's examples expect in a client project."""
    fixtures = root / "tests" / "fixtures" / "smsc"
    fixtures.mkdir(parents=True)
    (fixtures / "list.fmt0.txt").write_text(fmtcodec.encode(TWO, 0), "utf-8")
    (fixtures / "created.fmt3.json").write_text(fmtcodec.encode(SenderCreated(id=5), 3), "utf-8")
    (fixtures / "error.fmt1.csv").write_text("0,-3\n", "utf-8")
    (root / "tests" / "cassettes").mkdir()
    body = base64.b64encode(fmtcodec.encode(TWO, 0).encode("cp1251")).decode("ascii")
    (root / "tests" / "cassettes" / "senders.yaml").write_text(_DOC_CASSETTE % body, "utf-8")


def test_the_shell_examples_of_docs_testing_md(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _doc_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```console\n(.*?)```", _DOC.read_text("utf-8"), re.DOTALL)
    commands = [command for block in blocks for command in block.split("$ ")[1:]]
    assert len(commands) == 2
    for command in commands:
        line, _, expected = command.partition("\n")
        assert line.startswith("fmtcodec ")
        status = main(shlex.split(line)[1:])
        assert (status, capsys.readouterr().out) == (0, expected), line


def test_the_test_files_of_docs_testing_md(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = re.findall(
        r"<!-- test file: (\S+) -->\n```python\n(.*?)```", _DOC.read_text("utf-8"), re.DOTALL
    )
    assert [name for name, _ in files] == [
        "tests/test_smsc_fixtures.py",
        "tests/test_smsc_cassette.py",
        "tests/test_client_shapes.py",
        "tests/conftest.py",
        "tests/test_client_properties.py",
    ]
    _doc_project(pytester.path)
    for name, code in files:
        (pytester.path / name).write_text(code, "utf-8")
    # A profile the docs' conftest.py loads by name: fewer examples keep this test fast.
    pytester.makeconftest(
        "from hypothesis import HealthCheck, settings\n"
        "settings.register_profile('quick', max_examples=20, deadline=None,"
        " suppress_health_check=[HealthCheck.too_slow])\n"
    )
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "quick")
    # A process of its own: this suite's Hypothesis profile and modules stay out of it.
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider", "-W", "error", "tests")
    result.assert_outcomes(passed=3 + 2 + len(valid_cases()) + 3)
    result.stdout.fnmatch_lines(
        ["*test_recorded_response?#0 GET senders.php?get=1 fmt=0 charset=windows-1251? PASSED*"]
    )
