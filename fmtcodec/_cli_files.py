"""The command line's output files: each written whole or not at all.

An output is written to a temporary file beside it (same folder, so same file system),
flushed to the disk, and renamed over the target only once complete: a full disk, a file
size limit, Ctrl-C or a killed worker leaves the previous file as it was, never a cut-off
one. The temporary name starts with ``.``, so a folder walk of the output never takes it,
and holds the run's tag, so that the run can sweep what a killed worker left
(:func:`sweep`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Iterable

__all__ = ["new_tag", "remove_stale", "sweep", "write_whole"]

_SUFFIX = ".part"


def new_tag() -> str:
    """A tag for one run's temporary files."""
    return uuid.uuid4().hex[:8]


def write_whole(path: str, data: bytes, tag: str = "") -> None:
    """Write ``data`` to ``path`` atomically; OSError if it cannot be (``path`` untouched).

    A file replaced keeps its permission bits; a new one gets the umask's, as ``open``
    would give it. The temporary's name holds ``tag`` (see :func:`sweep`).
    """
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{tag}{uuid.uuid4().hex[:8]}{_SUFFIX}")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                # os.write may write less than asked (a signal, a pipe-like file system).
                view = view[os.write(fd, view) :]
            if mode is not None:
                os.fchmod(fd, mode)
            # Flushed before the rename, so that a crash cannot leave the new name on an
            # empty file (the rename reaching the disk before the data).
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:  # also Ctrl-C
        _unlink_quietly(temporary)
        raise


def sweep(folders: Iterable[str], tag: str) -> None:
    """Remove the temporaries of the run tagged ``tag`` from ``folders``: a worker killed
    in the middle of a file (Ctrl-C stops the pool) leaves its temporary behind."""
    for folder in folders:
        try:
            with os.scandir(folder or ".") as entries:
                names = [e.name for e in entries if e.name.startswith(".")]
        except OSError:
            continue
        for name in names:
            if name.endswith(_SUFFIX) and f".{tag}" in name:
                _unlink_quietly(os.path.join(folder, name))


def remove_stale(path: str) -> tuple[bool, str | None]:
    """Remove ``path``, the output of an input that failed this time, so that the output
    folder holds no conversion of an input that no longer converts.

    Whether a file was removed, and why it could not be (None when it could).
    """
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False, None
    except OSError as exc:
        return False, exc.strerror or str(exc)
    return True, None


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
