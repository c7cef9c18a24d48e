"""Read the files a user names: every failure becomes one :class:`FileProblem` line.

A missing file, a folder, a permission problem or bytes that are not UTF-8 (a Latin-1
``.bib`` file is common) each give ``error: <path>...`` and exit 4, never a traceback.
"""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

from speechcompress.errors import FileProblem


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


class MissingFile(FileProblem):
    """The file does not exist (callers may answer that differently, e.g. ``--check``)."""


class NotUtf8(FileProblem):
    """The file's bytes are not UTF-8 text."""

    def __init__(self, message: str, *, where: str, hint: str, reason: str, line: int) -> None:
        super().__init__(message, where=where, hint=hint)
        #: The decoder's reason, e.g. "invalid start byte".
        self.reason = reason
        #: 1-based line of the first byte that is not UTF-8.
        self.line = line


def read_user_text(path: Path, what: str = "file", *, keep_newlines: bool = False) -> str:
    """The UTF-8 text of ``path``; ``what`` names it in the "not found" message.

    With ``keep_newlines`` line endings come back as stored, so a CRLF file written back
    stays CRLF; otherwise ``\\r\\n`` and ``\\r`` become ``\\n`` as with ``open()``.
    """
    path = Path(path)
    try:
        data = _read_regular_file(path)
    except FileNotFoundError:
        raise MissingFile(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise FileProblem(f"cannot read {path}: it is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = display_path(path)
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise NotUtf8(
            f"not UTF-8 text (byte 0x{byte}: {exc.reason})",
            where=f"{shown}:{line}",
            hint="scc reads UTF-8 only; convert the file first, e.g. "
            f"iconv -f latin1 -t utf-8 {shlex.quote(shown)} > utf8-{shlex.quote(path.name)}",
            reason=exc.reason,
            line=line,
        ) from None
    if not keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing what is not a regular file before reading it.

    A FIFO with no writer would block a plain ``open()`` forever, so the file is opened
    non-blocking and checked with ``fstat`` (no race with a swapped file) first.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "not a regular file"
            raise FileProblem(f"cannot read {path}: it is {kind}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)
