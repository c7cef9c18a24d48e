"""Write papers into a catalog file without losing anything the user had.

* tomlkit edits the document in place, so comments, key order and formatting stay:
  adding one paper is a one-paper diff.
* The new text is validated before it replaces the file, and it replaces it atomically
  (temp file in the same folder, fsync, rename): an interrupted or failed write leaves
  the file exactly as it was.
* An exclusive lock on ``<catalog>.lock`` serialises concurrent writers, so N ``scc add``
  processes started at once end with all N papers.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from speechcompress.errors import FileProblem
from speechcompress.paper import PAPER_FIELDS, Catalog, Paper
from speechcompress.vocab import Venue


def paper_table(paper: Paper) -> Any:
    """A tomlkit table for ``paper`` with keys in the catalog's order."""
    import tomlkit

    table = tomlkit.table()
    record = paper.to_dict()
    for name in PAPER_FIELDS:
        value = record[name]
        if value is None or value == []:
            continue
        if name == "published" and paper.published:
            value = paper.published
        table.add(name, value)
    return table


def new_catalog_text(title: str, description: str = "", venues: Sequence[Venue] = ()) -> str:
    """The text of an empty catalog file, declaring ``venues`` beyond the built-in ones."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("A paper catalog for scc: one [[papers]] table per paper, newest year first."))
    doc.add(tomlkit.nl())
    header = tomlkit.table()
    header.add("title", title)
    if description:
        header.add("description", description)
    if venues:
        extra = tomlkit.table()
        for venue in venues:
            entry = tomlkit.inline_table()
            entry.update({"kind": venue.kind, **({"name": venue.full_name} if venue.full_name else {})})
            extra.add(venue.name, entry)
        header.add("venues", extra)
    doc.add("catalog", header)
    return tomlkit.dumps(doc)


def paper_text(paper: Paper) -> str:
    """``[[papers]]`` and the paper's keys, as TOML text."""
    import tomlkit

    doc = tomlkit.document()
    doc.append("papers", tomlkit.aot())
    doc["papers"].append(paper_table(paper))  # type: ignore[union-attr]
    return tomlkit.dumps(doc)


def insert_papers(text: str, papers: Sequence[Paper]) -> str:
    """``text`` with each paper inserted after the last paper of its year or a later one.

    The insertion is textual, so every byte of the existing file stays as it was; a
    comment right above a ``[[papers]]`` header (``# --- 2021 ---``) stays with it.
    """
    from speechcompress.catalog import LineMap, parse_toml

    for paper in papers:
        years = [p.get("year") for p in parse_toml(text, Path("<catalog>")).get("papers", [])]
        lines = LineMap(text)
        position = next(
            (i for i, y in enumerate(years) if isinstance(y, int) and y < paper.year), None
        )
        block = paper_text(paper)
        if position is None:
            body = text.rstrip("\n")
            text = (body + "\n\n" if body else "") + block
            continue
        k = lines.papers[position]
        while k > 0 and lines.lines[k - 1].lstrip().startswith("#"):
            k -= 1
        head = "".join(line + "\n" for line in lines.lines[:k])
        tail = "".join(line + "\n" for line in lines.lines[k:])
        text = head + block + "\n" + tail
    return text


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (POSIX; elsewhere a no-op)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise FileProblem(f"cannot lock {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; on any failure the old file stays."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileProblem(f"cannot write to {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise FileProblem(f"cannot write {path}: {exc.strerror}") from None
        raise


def add_papers(path: Path, papers: Sequence[Paper], *, create: tuple[str, str] | None = None,
               venues: Sequence[Venue] = ()) -> Catalog:
    """Insert ``papers`` into the catalog at ``path`` and return the new catalog.

    ``create`` is the (title, description) of a new file when ``path`` does not exist.
    The caller has checked for duplicates; this re-validates the whole file before
    writing, so a write can never leave an invalid catalog behind.
    """
    from speechcompress.catalog import parse_catalog, read_text

    path = Path(path)
    with locked(path):
        if path.exists():
            text = read_text(path)
        elif create is not None:
            text = new_catalog_text(create[0], create[1], venues)
        else:
            raise FileProblem(f"catalog not found: {path}")
        new_text = insert_papers(text, papers)
        catalog = parse_catalog(new_text, path)
        write_atomic(path, new_text)
    return catalog
