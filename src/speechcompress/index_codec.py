"""The catalog index's layout: its file, its identity, its checksum and its row codec.

Everything here is derived from :data:`speechcompress.paper.FIELDS`: a field is a column
of ``papers`` (listings read only these small rows) or, when its spec says ``heavy``, of
``texts``. Lists are joined with U+001F (validation refuses control characters in every
item), methods as ``|a|b|`` so SQL can match one with ``LIKE``, dates as ISO text.

The index is never trusted on its word. :func:`identity` names the catalog exactly
(scc's version and code, the file's path, stat and a CRC-32 of its bytes), and
:func:`stamp` / :func:`verify` keep a CRC-32 of the whole index file in its header
(SQLite's ``user_version`` field, which SQLite stores but never reads), so a changed
byte anywhere in it, by a bad disk or by hand, makes it unusable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from speechcompress import __version__
from speechcompress.paper import FIELDS, FieldSpec, Paper

FORMAT = 14
SUFFIX = ".sqlite"
#: Joins the items of a list field in one column.
SEP = "\x1f"
#: Where the checksum lives in an SQLite file: the header's 4-byte user_version.
_STAMP = slice(60, 64)

#: The fields kept in the small ``papers`` rows, and the long texts kept apart.
LIGHT: tuple[FieldSpec, ...] = tuple(f for f in FIELDS if not f.heavy)
HEAVY: tuple[FieldSpec, ...] = tuple(f for f in FIELDS if f.heavy)

_SQL_TYPE = {"text": "TEXT", "int": "INTEGER", "date": "TEXT", "list": "TEXT"}


def _column(spec: FieldSpec) -> str:
    not_null = " NOT NULL" if spec.required or spec.kind == "list" else ""
    return f"{spec.name} {_SQL_TYPE[spec.kind]}{not_null}"


def schema(search_fields: Sequence[str]) -> str:
    """The index's tables; ``search_fields`` are the word index's columns."""
    light = ",\n    ".join(_column(f) for f in LIGHT)
    heavy = ", ".join(_column(f) for f in HEAVY)
    return f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE papers (
    pos INTEGER PRIMARY KEY,   -- catalog order
    {light},
    line INTEGER NOT NULL
);
CREATE INDEX papers_id ON papers (id);
CREATE INDEX papers_arxiv ON papers (arxiv);
-- The long texts apart: rows of "papers" stay small, so listing and ranking thousands of
-- papers reads a few MB instead of every abstract's pages.
CREATE TABLE texts (pos INTEGER PRIMARY KEY, {heavy});
CREATE VIEW records AS SELECT * FROM papers JOIN texts USING (pos);
-- unicode61's token characters are Unicode letters and numbers (categories L*, N*, Co):
-- on ASCII text it splits exactly as text.words() does, so ASCII fields go in as they
-- are and only the others are split in Python first.
CREATE VIRTUAL TABLE words USING fts5 (
    {", ".join(search_fields)},
    content = '', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE vocabulary USING fts5vocab (words, 'row');
-- The vocabulary as a keyed table: prefix ranges, membership and scans without fts5vocab.
CREATE TABLE terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def _encode(spec: FieldSpec) -> Callable[[Any], object]:
    if spec.kind == "list":
        if spec.rule == "methods":
            return lambda v: "|" + "|".join(v) + "|"
        return SEP.join
    if spec.kind == "date":
        return lambda v: v.isoformat() if v else None
    return lambda v: v


_ENCODERS = [(f.name, _encode(f)) for f in LIGHT]
_HEAVY_NAMES = [f.name for f in HEAVY]


def papers_row(pos: int, paper: Paper) -> tuple[object, ...]:
    """The ``papers`` row of a paper: a column a field, so reading it back is cheap."""
    return (pos, *(encode(getattr(paper, name)) for name, encode in _ENCODERS), paper.line)


def texts_row(pos: int, paper: Paper) -> tuple[object, ...]:
    """The ``texts`` row of a paper: its long texts."""
    return (pos, *(getattr(paper, name) for name in _HEAVY_NAMES))


def split_methods(cell: str) -> tuple[str, ...]:
    return tuple(cell[1:-1].split("|")) if cell != "||" else ()


def split_names(cell: str) -> tuple[str, ...]:
    return tuple(cell.split(SEP)) if cell else ()


def _decoder() -> Callable[[Sequence[Any]], Paper]:
    """A function from a row read with :func:`select_from` to its Paper.

    Generated from the field specs as one expression, as dataclasses generate
    ``__init__``: a loop over specs per row would cost several times as much, and
    listing 20,000 papers decodes 20,000 rows.
    """
    args = []
    for i, spec in enumerate(FIELDS):
        cell = f"row[{i}]"
        if spec.kind == "list":
            fn = "split_methods" if spec.rule == "methods" else "split_names"
            args.append(f"{spec.name}={fn}({cell})")
        elif spec.kind == "date":
            args.append(f"{spec.name}=fromiso({cell}) if {cell} else None")
        else:
            args.append(f"{spec.name}={cell}")
    args.append(f"line=row[{len(FIELDS)}]")
    namespace: dict[str, Any] = {
        "Paper": Paper,
        "split_methods": split_methods,
        "split_names": split_names,
        "fromiso": dt.date.fromisoformat,
    }
    exec(f"def decode(row):\n    return Paper({', '.join(args)})\n", namespace)
    decode: Callable[[Sequence[Any]], Paper] = namespace["decode"]
    return decode


#: The paper of a row read with :func:`select_from`.
decode_paper = _decoder()


def select_from(full: bool) -> str:
    """``<columns> FROM <table>``: every field in order, then ``line``.

    ``full=False`` reads NULL for the long texts, and so reads only the small rows of
    the ``papers`` table.
    """
    columns = [f.name if full or not f.heavy else "NULL" for f in FIELDS]
    return f"{', '.join(columns)}, line FROM {'records' if full else 'papers'}"


# --- which file, and is it the right one --------------------------------------------------


def code_mtimes() -> str:
    # In a development checkout an edited schema or vocabulary must not be served data
    # validated by the old one.
    here = Path(__file__).parent
    try:
        return "|".join(
            str((here / m).stat().st_mtime_ns) for m in ("paper.py", "models.py", "vocab.py")
        )
    except OSError:
        return ""


def index_file(path: Path) -> Path | None:
    """Where the index of the catalog at ``path`` lives; None when there is no cache."""
    from speechcompress.fs import cache_folder

    try:
        return cache_folder("catalogs") / file_name(path.resolve())
    except (OSError, RuntimeError):
        return None


def file_name(catalog: Path) -> str:
    """The index file of a catalog, named by a CRC of its path alone, so a new scc
    version or format replaces the old index instead of leaving it behind."""
    return f"{zlib.crc32(os.fsencode(catalog)):08x}{SUFFIX}"


def path_text(path: Path) -> str:
    """A path as JSON text: a name with bytes that are not UTF-8 survives SQLite."""
    return json.dumps(str(path))


def identity(path: Path) -> str | None:
    """The identity of the catalog file as it is now, or None if it is not a regular,
    readable file. Reads the whole file: its CRC-32 is part of the identity (~0.2 ms a MB),
    so a changed catalog is never mistaken for the one indexed, whatever its stat says."""
    opened = open_catalog(path)
    if opened is None:
        return None
    stated, fd, size = opened
    try:
        crc = crc_of_fd(fd, size)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    return f"{stated}|{crc:08x}"


def header_crc(header: str) -> str:
    """The CRC-32 of the catalog header's JSON in ``meta``: commands use the header
    before the whole file's CRC is done (see :mod:`speechcompress.index_query`)."""
    return f"{zlib.crc32(header.encode()):08x}"


def open_catalog(path: Path) -> tuple[str, int, int] | None:
    """The catalog's identity up to its CRC (see :func:`identity`), an open descriptor to
    read that CRC from (the caller closes it) and the size to read; None as there."""
    try:
        real = path.resolve()
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, RuntimeError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            return None  # a FIFO or device: never read here (it may block forever)
        stated = (
            f"{FORMAT}|{__version__}|{path_text(real)}|{code_mtimes()}"
            f"|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}"
        )
    except (OSError, ValueError):
        os.close(fd)
        return None
    return stated, fd, st.st_size


def crc_of_fd(fd: int, size: int, *, skip: slice | None = None) -> int:
    """CRC-32 of the file's first ``size`` bytes, the ``skip`` bytes read as zeros.

    Read in 1 MB pieces into one buffer: as fast as mmap here, and the memory a command
    holds stays small whatever the size of the catalog.
    """
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    crc, offset = 0, 0
    with os.fdopen(os.dup(fd), "rb", buffering=0) as fh:
        fh.seek(0)
        while offset < size:
            got = fh.readinto(view[: min(len(buffer), size - offset)])
            if not got:
                raise OSError("file shrank while read")
            if skip is not None and offset < skip.stop and skip.start < offset + got:
                start, stop = max(skip.start - offset, 0), min(skip.stop - offset, got)
                view[start:stop] = bytes(stop - start)
            crc = zlib.crc32(view[:got], crc)
            offset += got
    return crc


def stamp(file: Path) -> None:
    """Write the CRC-32 of the closed index ``file`` into its header."""
    with open(file, "r+b") as fh:
        size = os.fstat(fh.fileno()).st_size
        crc = crc_of_fd(fh.fileno(), size, skip=_STAMP)
        fh.seek(_STAMP.start)
        fh.write(crc.to_bytes(4, "big"))


def verify(file: Path) -> bool:
    """Whether the index ``file`` is byte for byte what scc wrote (see :func:`stamp`)."""
    from speechcompress.fs import open_private

    try:
        fd = open_private(file)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size < _STAMP.stop:
            return False
        crc = crc_of_fd(fd, st.st_size, skip=_STAMP)
        return os.pread(fd, 4, _STAMP.start) == crc.to_bytes(4, "big")
    except (OSError, ValueError):
        return False
    finally:
        os.close(fd)
