"""``fmtcodec convert``: one response to standard output, or many files into a folder."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ._api import decode, encode
from ._cli_batch import Stop, mapped, progress
from ._cli_common import (
    DEFAULT_RULES,
    EXAMPLES_FORMATTER,
    EXTENSIONS,
    FORMATS,
    STDIN,
    InputRules,
    Unreadable,
    UsageError,
    add_input_options,
    charset_argument,
    decode_failure,
    encode_failure,
    files_under,
    format_of,
    label_of,
    read_input,
    reason,
    write_stdout,
)
from ._cli_files import new_tag, remove_stale, sweep, write_whole
from ._errors import DecodeError, EncodeError, line_and_column
from ._source import describe_char

__all__ = ["Conversion", "Failed", "Outcome", "convert_file", "register"]

_EXAMPLES = """\
examples:
  fmtcodec convert --to 3 response.txt             a file to standard output, as JSON
  curl -s "$URL" | fmtcodec convert --to 0         standard input to standard output
  fmtcodec convert --charset windows-1251 --to 3 logs/ -o json/
                                                   a folder, recursively, into json/
  fmtcodec convert --from 1 --to 2 a.csv b.csv -o xml/
                                                   several files, the format given
  fmtcodec convert --to 0 --out-charset koi8-r reply.json -o reply.txt

A file named .txt, .csv, .xml or .json is read as fmt 0, 1, 2 or 3 unless --from says
otherwise; other names are detected. An empty body is a failure unless --allow-empty.
Several inputs or a folder need -o DIR: the tree is mirrored there, each file with the
target's extension (.txt, .csv, .xml, .json). Every output is written whole or not at
all. A failing file is reported as FILE:LINE:COL: message and the rest go on; its output
from an earlier run is removed. The exit status is 1 if any failed.
"""


class Failed(Exception):
    """A file that could not be converted; the message is the line to report."""


class Outcome(NamedTuple):
    """What became of one file of a folder conversion."""

    failure: str | None = None
    """The line to report, or None for a file converted and written."""
    removed: bool = False
    """Whether the output an earlier run made of this failed file was removed."""


@dataclass(frozen=True)
class Conversion:
    """What to do with each body: formats and charsets in and out, and the input rules."""

    source: int | None
    target: int
    charset: str
    out_charset: str
    rules: InputRules = DEFAULT_RULES
    tag: str = ""
    """Marks this run's temporary files (_cli_files.sweep)."""

    def read(self, path: str) -> bytes:
        """The bytes of ``path`` (``-``: standard input), within the input rules."""
        label = label_of(path)
        try:
            data, size = read_input(path, self.rules.max_size)
        except OSError as exc:
            raise Failed(f"{label}: cannot read: {reason(exc)}") from None
        problem = self.rules.problem(data, size)
        if problem is not None:
            raise Failed(f"{label}: {problem}")
        return data

    def run(self, data: bytes, path: str) -> bytes:
        """The converted body, ending in one newline (spec §4.1); Failed if it cannot be."""
        label = label_of(path)
        fmt = format_of(path, self.source)
        try:
            response = decode(data, fmt, charset=self.charset, max_size=self.rules.max_size)
            text = encode(response, self.target) + "\n"
        except DecodeError as exc:
            from_extension = fmt is not None and self.source is None
            raise Failed(decode_failure(label, exc, from_extension)) from None
        except EncodeError as exc:
            raise Failed(encode_failure(label, exc)) from None
        try:
            return text.encode(self.out_charset)
        except UnicodeEncodeError as exc:
            line, column = line_and_column(text, exc.start)
            raise Failed(
                f"{label}: the character {describe_char(text[exc.start])} cannot be written in"
                f" {self.out_charset} (line {line}, column {column} of the fmt {self.target}"
                " output)"
            ) from None


def convert_file(conversion: Conversion, task: tuple[str, str]) -> Outcome:
    """Convert the file ``task[0]`` into ``task[1]``, written whole or not at all.

    When it fails, the output an earlier run made of it is removed (unless the output is
    the input itself), so that the output folder never holds a conversion of an input
    that no longer converts. Runs in the worker processes: it returns rather than raises,
    so that one bad file costs one short string.
    """
    source, target = task
    try:
        body = conversion.run(conversion.read(source), source)
        write_whole(target, body, conversion.tag)
    except Failed as exc:
        failure = str(exc)
    except OSError as exc:
        failure = f"{source}: cannot write {target}: {reason(exc)}"
    else:
        return Outcome()
    if os.path.exists(target) and os.path.samefile(source, target):
        return Outcome(f"{failure} (the input is its own output, and is left as it is)")
    removed, problem = remove_stale(target)
    if problem is not None:
        failure += f"; the output of an earlier run, {target}, could not be removed: {problem}"
    return Outcome(failure, removed)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``convert`` to the command line."""
    parser = commands.add_parser(
        "convert",
        help="convert responses from one format to another",
        description="Convert senders.php responses to another format: standard input to"
        " standard output, a file, or many files and folders into an output folder.",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument(
        "--from",
        dest="source",
        choices=("auto", *FORMATS),
        default="auto",
        help="the input format; auto (the default) detects it for each file",
    )
    parser.add_argument(
        "--to", dest="target", choices=FORMATS, required=True, help="the output format"
    )
    parser.add_argument(
        "--charset",
        type=charset_argument,
        metavar="NAME",
        default="utf-8",
        help="the charset of the input bytes: utf-8 (default), windows-1251 or koi8-r;"
        " an XML declaration or a UTF-8 BOM overrides it",
    )
    parser.add_argument(
        "--out-charset",
        type=charset_argument,
        metavar="NAME",
        default="utf-8",
        help="the charset to write: utf-8 (default), windows-1251 or koi8-r",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="the output file, or the folder for several inputs or a folder"
        " (default, or -: standard output)",
    )
    parser.add_argument(
        "--fail-fast", action="store_true", help="stop at the first file that fails"
    )
    add_input_options(parser)
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="files or folders (walked recursively); none or - reads standard input",
    )
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Carry out ``fmtcodec convert``; the exit status."""
    conversion = Conversion(
        source=None if args.source == "auto" else int(args.source),
        target=int(args.target),
        charset=args.charset,
        out_charset=args.out_charset,
        rules=InputRules(args.max_size, args.allow_empty),
    )
    inputs: list[str] = args.inputs or [STDIN]
    output = None if args.output == STDIN else args.output  # "-o -": standard output
    if len(inputs) == 1 and (inputs[0] == STDIN or not os.path.isdir(inputs[0])):
        return _one(conversion, inputs[0], output)
    if STDIN in inputs:
        raise UsageError("standard input (-) can only be the single input")
    if output is None:
        raise UsageError("several inputs or a folder need an output folder: -o DIR")
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"-o {output}: not a folder")
    return _many(conversion, inputs, output, args.fail_fast)


def _one(conversion: Conversion, path: str, output: str | None) -> int:
    label = label_of(path)
    if output is not None and (os.path.isdir(output) or output.endswith(("/", os.sep))):
        if path == STDIN:
            raise UsageError("-o names a folder, but standard input has no file name to use")
        name = os.path.splitext(os.path.basename(path))[0] + EXTENSIONS[conversion.target]
        output = os.path.join(output, name)
    try:
        body = conversion.run(conversion.read(path), path)
    except Failed as exc:
        print(exc, file=sys.stderr)
        _say_kept(output)
        return 1
    if output is None:
        write_stdout(body)
        return 0
    problem = _make_folder(os.path.dirname(output))
    if problem is None:
        try:
            write_whole(output, body)
        except OSError as exc:
            problem = reason(exc)
    if problem is not None:
        print(f"{label}: cannot write {output}: {problem}", file=sys.stderr)
        _say_kept(output)
        return 1
    return 0


def _say_kept(output: str | None) -> None:
    # The file -o names is the user's: a failed run leaves it as it was, and says so.
    if output is not None and os.path.isfile(output):
        print(f"fmtcodec convert: {output} is left as it was", file=sys.stderr)


def _many(conversion: Conversion, inputs: Sequence[str], output: str, fail_fast: bool) -> int:
    tasks, failures = _plan(conversion, inputs, output)
    total = len(tasks) + len(failures)
    if not total:
        # As validate does: a misspelt or empty folder is not a successful conversion.
        print("fmtcodec convert: no files found to convert", file=sys.stderr)
        return 1
    done = failed = removed = 0
    stop = Stop()
    with progress(total) as bar:
        for line in failures:
            bar.say(line)
            bar.advance()
            failed += 1
            if fail_fast:
                stop.set()
                break
        if not stop.is_set():
            tagged = dataclasses.replace(conversion, tag=new_tag())
            convert = functools.partial(convert_file, tagged)
            try:
                with mapped(convert, tasks, stop) as (results, _):
                    # Read to the end even after a failure with --fail-fast: the files
                    # begun by then finish, and are counted as what they became.
                    for result in results:
                        if result is None:
                            continue  # not begun: skipped after --fail-fast stopped the run
                        bar.advance()
                        removed += result.removed
                        if result.failure is None:
                            done += 1
                            continue
                        bar.say(result.failure)
                        failed += 1
                        if fail_fast:
                            stop.set()
            finally:
                # A worker killed in the middle of a file (Ctrl-C) leaves its temporary.
                sweep({os.path.dirname(target) for _, target in tasks}, tagged.tag)
    summary = f"fmtcodec convert: {done} converted, {failed} failed"
    if removed:
        summary += f" ({removed} output{'s' if removed > 1 else ''} of an earlier run removed)"
    if done + failed < total:
        summary += f", {total - done - failed} not tried (--fail-fast)"
    print(summary, file=sys.stderr)
    return 1 if failed else 0


def _plan(
    conversion: Conversion, inputs: Sequence[str], output: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """The (source, target) pairs to convert, and the failure lines found before starting.

    Two inputs that would become the same output file (``a.txt`` and ``a.xml`` into
    ``a.json``), and an output that would overwrite another input, are refused here:
    in a pool, which one won would be a matter of timing.
    """
    skip = os.stat(output) if os.path.isdir(output) else None
    extension = EXTENSIONS[conversion.target]
    cwd = os.getcwd()  # os.path.abspath would ask for it once per call

    def absolute(path: str) -> str:
        return os.path.normpath(os.path.join(cwd, path))

    entries = list(files_under(inputs, skip))
    sources = {absolute(entry[0]) for entry in entries if not isinstance(entry, Unreadable)}
    tasks: list[tuple[str, str]] = []
    failures: list[str] = []
    targets: dict[str, str] = {}
    folders: dict[str, str | None] = {}
    for entry in entries:
        if isinstance(entry, Unreadable):
            failures.append(f"{entry.label}: {entry.reason}")
            continue
        source, relative = entry
        target = os.path.join(output, os.path.splitext(relative)[0] + extension)
        key = absolute(target)
        if key in targets:
            failures.append(f"{source}: not converted: {target} is the output of {targets[key]}")
            continue
        if key in sources and key != absolute(source):
            failures.append(f"{source}: not converted: {target} would overwrite an input")
            continue
        targets[key] = source
        folder = os.path.dirname(target)
        if folder not in folders:
            folders[folder] = _make_folder(folder)
        if folders[folder] is not None:
            failures.append(f"{source}: cannot write {target}: {folders[folder]}")
            continue
        tasks.append((source, target))
    return tasks, failures


def _make_folder(folder: str) -> str | None:
    try:
        os.makedirs(folder or ".", exist_ok=True)
    except OSError as exc:
        return reason(exc)
    return None
