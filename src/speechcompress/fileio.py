"""Read the files a user names: every failure becomes one :class:`FileProblem` line.

A missing file, a folder, a permission problem or bytes that are not UTF-8 (a Latin-1
``.bib`` file is common) each give ``error: <path>...`` and exit 4, never a traceback.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from speechcompress.errors import FileProblem


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
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFile(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise FileProblem(f"cannot read {path}: it is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from speechcompress.catalog import display_path

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
