"""Coverage-guided fuzzing of fmtcodec.read with atheris (docs/security.md, fuzz/README.md).

The first byte of each input picks how the rest is decoded: the format (0-3, or None to
detect it) and the input kind (bytes in utf-8, windows-1251 or koi8-r, or a str). The only
outcomes allowed are a model or fmtcodec.DecodeError. A model must re-encode in the format
it was read in and decode back equal, and must survive every other format that can carry
it, allowing only spec §4.4's loss (fmt 1 carries no error description). Anything else is a
finding: atheris stops and writes the input to crash-<sha1>.

Not part of the test suite: it needs atheris and minutes to run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["fmtcodec", "lark"]):
    import fmtcodec
    from fmtcodec import (
        ApiError,
        DecodeError,
        EncodeError,
        Ok,
        Sender,
        SenderCreated,
        SenderList,
        SenderStatus,
        read,
    )

_FORMATS: tuple[int | None, ...] = (0, 1, 2, 3, None)
# The three allow-listed charsets, then str input (spec §4.9).
_KINDS: tuple[str | None, ...] = ("utf-8", "windows-1251", "koi8-r", None)
_MODES = len(_FORMATS) * len(_KINDS)


def _choose(data: bytes) -> tuple[int | None, str | None, bytes]:
    """(fmt, charset or None for str input, body) from a fuzzer input."""
    mode = data[0] % _MODES if data else 0
    return _FORMATS[mode % len(_FORMATS)], _KINDS[mode // len(_FORMATS)], data[1:]


def selector(fmt: int | None, charset: str | None) -> bytes:
    """The first byte that makes :func:`_choose` pick ``fmt`` and ``charset``."""
    return bytes([_KINDS.index(charset) * len(_FORMATS) + _FORMATS.index(fmt)])


def _as_str(body: bytes) -> str:
    # surrogatepass lets CESU-style encoded surrogates through, for the character policy
    # to refuse; bytes that are not UTF-8 at all give every code point up to U+00FF.
    try:
        return body.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _expected(model: fmtcodec.Response, fmt: int) -> fmtcodec.Response:
    """What ``model`` reads back as after a trip through ``fmt`` (spec §4.4's one loss)."""
    if isinstance(model, ApiError):
        if fmt == 1:
            return ApiError(code=model.code)
        if model.description is None:
            return ApiError(code=model.code, description=model.meaning)
    return model


def _round_trip(model: fmtcodec.Response, fmt: int, *, required: bool) -> None:
    try:
        text = fmtcodec.encode(model, fmt)
    except EncodeError:
        if required:
            raise
        return
    again = fmtcodec.decode(text, fmt)
    expected = _expected(model, fmt)
    if again != expected:
        raise AssertionError(f"fmt {fmt}: {model!r} came back as {again!r} from {text!r}")
    # Encoding is deterministic: the text read back writes the same text again.
    if fmtcodec.encode(again, fmt) != text:
        raise AssertionError(f"fmt {fmt}: {text!r} is not stable")


def test_one_input(data: bytes) -> None:
    fmt, charset, body = _choose(data)
    try:
        text: bytes | str = _as_str(body) if charset is None else body
        reading = read(text, fmt, charset=charset or "utf-8")
    except DecodeError as exc:
        if "\n" in str(exc) or exc.lineno < 1 or exc.colno < 1 or exc.offset < 0:
            raise AssertionError(f"a malformed DecodeError: {exc!r}") from None
        return
    model = reading.response
    for target in range(4):
        # The format it was read in must carry it; a bare OK reads in any format (spec §4.2).
        _round_trip(model, target, required=target == reading.fmt or isinstance(model, Ok))


def _seed_models() -> list[fmtcodec.Response]:
    plain = Sender(name="ALPHA", id=1)
    return [
        SenderList(senders=[plain, Sender(name="b, c", id=2)]),
        SenderList(senders=[Sender(name="ALPHA", id=1, status=SenderStatus.APPROVED)]),
        SenderList(
            senders=[
                Sender(
                    name="Имя",
                    id=9,
                    operators=dict.fromkeys(fmtcodec.OPERATOR_KEYS, 2),
                    extra={"repl": "X"},
                )
            ]
        ),
        SenderList(),
        SenderCreated(id=42),
        Ok(),
        ApiError(code=3, description="Имя отправителя не найдено."),
        ApiError(code=9),
    ]


def write_seeds(corpus: Path, fixtures: Path) -> int:
    """Seed ``corpus`` with a valid document of each kind and format and any fixtures."""
    corpus.mkdir(parents=True, exist_ok=True)
    bodies: list[tuple[int | None, bytes]] = []
    for model in _seed_models():
        for fmt in range(4):
            try:
                bodies.append((fmt, fmtcodec.encode(model, fmt).encode("utf-8")))
            except EncodeError:
                continue
    if fixtures.is_dir():
        bodies += [
            (None, path.read_bytes()) for path in sorted(fixtures.rglob("*")) if path.is_file()
        ]
    count = 0
    for fmt, body in bodies:
        for charset in ("utf-8", "windows-1251", None):
            (corpus / f"seed-{count:04d}").write_bytes(selector(fmt, charset) + body)
            count += 1
    return count


def main() -> None:
    here = Path(__file__).resolve().parent
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        # No corpus folder given: use fuzz/corpus, seeded on every run (libFuzzer keeps
        # what it learns there too).
        corpus = here / "corpus"
        write_seeds(corpus, here.parent / "fixtures")
        argv.append(str(corpus))
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
