"""The public names are fixed: other code depends on them."""

import inspect
import subprocess
import sys

import fmtcodec


def test_public_names_are_pinned() -> None:
    assert sorted(fmtcodec.__all__) == sorted(
        [
            "CHARSETS",
            "DEFAULT_MAX_SIZE",
            "OPERATOR_KEYS",
            "ApiError",
            "DecodeError",
            "EncodeError",
            "ErrorCode",
            "Fmt",
            "Ok",
            "OperatorStatus",
            "Response",
            "ResponseError",
            "Sender",
            "SenderCreated",
            "SenderList",
            "SenderStatus",
            "__version__",
            "decode",
            "detect",
            "encode",
            "raise_for_error",
        ]
    )
    for name in fmtcodec.__all__:
        assert hasattr(fmtcodec, name), name


def test_signatures() -> None:
    decode = inspect.signature(fmtcodec.decode)
    assert list(decode.parameters) == ["data", "fmt", "charset", "max_size"]
    assert decode.parameters["fmt"].default is None
    assert decode.parameters["charset"].default == "utf-8"
    assert decode.parameters["charset"].kind is inspect.Parameter.KEYWORD_ONLY
    encode = inspect.signature(fmtcodec.encode)
    assert list(encode.parameters) == ["response", "fmt"]


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
        fmtcodec.Sender("A", 1)  # type: ignore[misc]
    except TypeError:
        pass
    else:
        raise AssertionError("Sender takes positional arguments")


def test_fmt_enum() -> None:
    assert [int(f) for f in fmtcodec.Fmt] == [0, 1, 2, 3]
    assert fmtcodec.Fmt.TEXT == 0 and fmtcodec.Fmt.JSON == 3


def test_import_builds_no_parser_and_loads_lark_lazily() -> None:
    # PERFORMANCE.md: building the fmt 0 parser costs ~10 ms; import must not pay it.
    code = (
        "import sys, fmtcodec; assert 'lark' not in sys.modules;"
        " fmtcodec.decode('ID = 5', 0); assert 'lark' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
