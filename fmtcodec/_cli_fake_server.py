"""``fmtcodec fake-server``: serve a fake senders.php on a port, for trying a client by hand.

The fake is :class:`fmtcodec.testing.FakeSenders` (docs/testing.md); its state comes from
a file of the model as JSON (docs/formats.md, "The model as JSON"), and its clock is the
real one. Ctrl-C (or SIGTERM) stops the server and the command exits 0.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from ._cli_common import EXAMPLES_FORMATTER, reason
from ._model import SenderList
from ._modeljson import from_data

__all__ = ["DEFAULT_PORT", "register", "run"]

DEFAULT_PORT = 8765

_EXAMPLES = """\
examples:
  fmtcodec fake-server                                no names, the default credentials
  fmtcodec fake-server --port 0 state.json            a free port; the names of state.json
  fmtcodec fake-server --login me --psw secret --apikey none

STATE is a list in the model's JSON form (schema version 1, as `fmtcodec inspect --json`
and the corpus's model.json files write it); a sender without a status is approved. The
endpoint is http://HOST:PORT/sys/senders.php. Ctrl-C stops the server (exit status 0).
Exit status 1 when STATE cannot be read or the port cannot be had, 2 for a usage error.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``fake-server`` to the command line."""
    from .testing._fake_rules import DEFAULT_APIKEY, DEFAULT_LOGIN, DEFAULT_PSW

    parser = commands.add_parser(
        "fake-server",
        help="serve a fake senders.php for trying a client",
        description="Serve a fake senders.php (fmtcodec.testing.FakeSenders) over HTTP:"
        " every command in every fmt and charset, answered from a state you give.",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument("state", metavar="STATE", nargs="?", help="the names to start with")
    parser.add_argument("--host", default="127.0.0.1", help="the address (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"the port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument("--login", default=DEFAULT_LOGIN, help=f"default {DEFAULT_LOGIN}")
    parser.add_argument("--psw", default=DEFAULT_PSW, help=f"default {DEFAULT_PSW}")
    parser.add_argument(
        "--apikey", default=DEFAULT_APIKEY, help=f"default {DEFAULT_APIKEY}; 'none' refuses keys"
    )
    parser.set_defaults(run=run, parser=parser)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def _load(path: str) -> SenderList:
    """The list in the model JSON file ``path``; ValueError or OSError saying why not."""
    with open(path, encoding="utf-8") as stream:
        data = json.load(stream)
    response = from_data(data)
    if not isinstance(response, SenderList):
        raise ValueError(f"holds a {data.get('kind')!r}, not a list of sender names")
    return response


def run(args: argparse.Namespace) -> int:
    """Carry out ``fmtcodec fake-server``; the exit status."""
    from .testing import FakeSenders

    senders = SenderList()
    if args.state is not None:
        try:
            senders = _load(args.state)
        except OSError as exc:
            print(f"{args.state}: cannot read: {reason(exc)}", file=sys.stderr)
            return 1
        except (ValueError, KeyError, TypeError) as exc:
            print(f"{args.state}: not a list in the model's JSON form: {exc}", file=sys.stderr)
            return 1
    try:
        fake = FakeSenders(
            senders,
            login=args.login,
            psw=args.psw,
            apikey=None if args.apikey == "none" else args.apikey,
            clock=time.monotonic,
        )
    except (ValueError, TypeError) as exc:
        print(f"{args.state}: {exc}", file=sys.stderr)
        return 1
    previous = _stop_on_sigterm()
    try:
        with fake.serve(args.host, args.port) as url:
            keys = "refused" if args.apikey == "none" else args.apikey
            print(
                f"fmtcodec fake-server: serving {url}/sys/senders.php\n"
                f"  {len(senders.senders)} sender names; login {args.login!r},"
                f" psw {args.psw!r}, apikey {keys!r}\n"
                "  Ctrl-C stops it",
                flush=True,
            )
            _wait_for_interrupt()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM: the way to stop; serve() has stopped
        pass
    except OSError as exc:  # the port is taken, or the host is not this machine's
        print(
            f"fmtcodec fake-server: cannot serve on {args.host}:{args.port}: {reason(exc)}",
            file=sys.stderr,
        )
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print(f"fmtcodec fake-server: stopped after {len(fake.requests)} requests", flush=True)
    return 0


def _wait_for_interrupt() -> None:
    """Sleep until KeyboardInterrupt: a real signal ends the sleep at once, and an
    interrupt raised without one (``_thread.interrupt_main``) within the half second."""
    while True:
        time.sleep(0.5)


def _stop_on_sigterm() -> Any:
    """Let SIGTERM (``kill``, ``docker stop``) stop the server as Ctrl-C does; the handler
    it replaced, to put back (None when not in the main thread, where none can be set)."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, interrupt)
