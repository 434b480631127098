"""The command line's output files: each written whole or not at all.

An output is written to a temporary file beside it (same folder, so same file system),
flushed to the disk, and renamed over the target only once complete: a full disk, a file
size limit, Ctrl-C or a killed worker leaves the previous file as it was, never a cut-off
one. The temporary name starts with ``.``, so a folder walk of the output never takes it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid

__all__ = ["remove_stale", "write_whole"]


def write_whole(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; OSError if it cannot be (``path`` untouched).

    A file replaced keeps its permission bits; a new one gets the umask's, as ``open``
    would give it.
    """
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{uuid.uuid4().hex[:12]}.part")
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
    except BaseException:  # also Ctrl-C, and SystemExit from a worker's SIGTERM
        _unlink_quietly(temporary)
        raise


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
