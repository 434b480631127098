"""The public names are fixed: other code depends on them."""

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import fmtcodec

PUBLIC_MODULES = {
    "fmtcodec": [
        "CHARSETS",
        "DEFAULT_MAX_SIZE",
        "MODEL_SCHEMA_VERSION",
        "OPERATOR_KEYS",
        "OPERATOR_KEYS_JSON",
        "Answer",
        "ApiError",
        "AuthenticationError",
        "BadNumberFormatError",
        "BadParametersError",
        "CodeAlreadySentError",
        "CodeUndeliverableError",
        "Command",
        "DecodeError",
        "EncodeError",
        "ErrorCode",
        "Fmt",
        "IPBlockedError",
        "Ok",
        "OperatorStatus",
        "Reading",
        "Request",
        "Response",
        "ResponseError",
        "SaveFailedError",
        "Sender",
        "SenderCreated",
        "SenderList",
        "SenderNotFoundError",
        "SenderStatus",
        "SenderWithStatus",
        "TooManyRequestsError",
        "WrongCodeError",
        "__version__",
        "can_encode",
        "decode",
        "decode_answer",
        "describe",
        "detect",
        "encode",
        "from_data",
        "iter_senders",
        "raise_for_error",
        "read",
        "to_data",
    ],
    "fmtcodec.logs": [
        "COLUMNS",
        "JSONL_FIELDS",
        "KINDS",
        "SCHEMA_VERSION",
        "DaskTable",
        "Exchange",
        "ExchangeError",
        "Log",
        "TableSummary",
        "arrow_schema",
        "dask_table",
        "kind_of_log",
        "read_har",
        "read_jsonl",
        "read_log",
        "read_response_file",
        "read_vcr",
        "rows",
        "to_arrow",
        "write_table",
    ],
    "fmtcodec.testing": [
        "CassetteError",
        "CassetteResponse",
        "Case",
        "FakeSenders",
        "Problem",
        "Received",
        "Validation",
        "assert_roundtrip",
        "assert_same_response",
        "diff",
        "read_cassette",
        "valid_cases",
        "validate",
        "validate_cassette",
    ],
    "fmtcodec.testing.strategies": [
        "NAME_KINDS",
        "VIEWS",
        "Options",
        "api_errors",
        "bodies",
        "created",
        "extra_keys",
        "ids",
        "names",
        "oks",
        "requests",
        "responses",
        "sender_lists",
        "senders",
    ],
}


@pytest.mark.parametrize("module", sorted(PUBLIC_MODULES))
def test_public_names_are_pinned(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(PUBLIC_MODULES[module])
    for name in imported.__all__:
        assert hasattr(imported, name), name


def test_every_other_module_is_private() -> None:
    package = Path(fmtcodec.__file__).parent
    public = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in package.rglob("*.py")
        if not any(
            part.startswith("_") and part != "__init__.py"
            for part in path.relative_to(package).parts
        )
        and path.name != "__main__.py"
    }
    assert public == set(PUBLIC_MODULES)


def test_signatures() -> None:
    decode = inspect.signature(fmtcodec.decode)
    assert list(decode.parameters) == ["data", "fmt", "charset", "max_size", "type"]
    assert decode.parameters["type"].kind is inspect.Parameter.KEYWORD_ONLY
    assert decode.parameters["fmt"].default is None
    assert decode.parameters["charset"].default == "utf-8"
    assert decode.parameters["charset"].kind is inspect.Parameter.KEYWORD_ONLY
    encode = inspect.signature(fmtcodec.encode)
    assert list(encode.parameters) == ["response", "fmt", "charset"]
    assert encode.parameters["charset"].default is None
    assert encode.parameters["charset"].kind is inspect.Parameter.KEYWORD_ONLY


def test_errors_are_value_errors() -> None:
    assert issubclass(fmtcodec.DecodeError, ValueError)
    assert issubclass(fmtcodec.EncodeError, ValueError)


def test_model_is_immutable_and_keyword_only() -> None:
    sender = fmtcodec.Sender(name="A", id=1)
    try:
        sender.name = "B"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("Sender is mutable")
    try:
        fmtcodec.Sender("A", 1)  # type: ignore[call-arg]
    except TypeError:
        pass
    else:
        raise AssertionError("Sender takes positional arguments")


def test_fmt_enum() -> None:
    assert [int(f) for f in fmtcodec.Fmt] == [0, 1, 2, 3]
    assert fmtcodec.Fmt.TEXT == 0 and fmtcodec.Fmt.JSON == 3  # type: ignore[comparison-overlap]


def test_import_builds_no_parser_and_loads_lark_lazily() -> None:
    # docs/performance.md: building the fmt 0 parser costs ~10 ms; import must not pay it.
    code = (
        "import sys, fmtcodec; assert 'lark' not in sys.modules;"
        " fmtcodec.decode('ID = 5', 0); assert 'lark' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
