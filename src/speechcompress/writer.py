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
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
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


def new_catalog_text(
    title: str, description: str = "", venues: Sequence[Venue] = (), footer: str = ""
) -> str:
    """The text of an empty catalog file, declaring ``venues`` beyond the built-in ones."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            "A paper catalog for scc: one [[papers]] table per paper, newest year first."
        )
    )
    doc.add(tomlkit.nl())
    header = tomlkit.table()
    header.add("title", title)
    if description:
        header.add("description", description)
    if footer:
        header.add("footer", footer)
    if venues:
        extra = tomlkit.table()
        for venue in venues:
            entry = tomlkit.inline_table()
            entry.update(
                {"kind": venue.kind, **({"name": venue.full_name} if venue.full_name else {})}
            )
            extra.add(venue.name, entry)
        header.add("venues", extra)
    doc.add("catalog", header)
    return tomlkit.dumps(doc)


def paper_text(paper: Paper) -> str:
    """``[[papers]]`` and the paper's keys, as TOML text."""
    import tomlkit

    doc = tomlkit.document()
    doc.append("papers", tomlkit.aot())
    doc["papers"].append(paper_table(paper))
    return tomlkit.dumps(doc)


def insert_papers(text: str, papers: Sequence[Paper]) -> str:
    """``text`` with each paper inserted after the last paper of its year or a later one.

    The insertion is textual, so every byte of the existing file stays as it was; a
    comment block above a ``[[papers]]`` header (``# --- 2021 ---``) stays with it.
    """
    from speechcompress.catalog import parse_toml

    for paper in papers:
        years = [p.get("year") for p in parse_toml(text, Path("<catalog>")).get("papers", [])]
        position = next(
            (i for i, y in enumerate(years) if isinstance(y, int) and y < paper.year), None
        )
        block = paper_text(paper)
        if position is None:
            body = text.rstrip("\n")
            text = (body + "\n\n" if body else "") + block
            continue
        # Split at "\n" only: str.splitlines would also split inside a title holding U+2028.
        lines = text.split("\n")
        headers = [i for i, line in enumerate(lines) if _PAPERS_HEADER.match(line)]
        k = _banner_start(lines, headers[position])
        text = "\n".join(lines[:k]) + ("\n" if k else "") + block + "\n" + "\n".join(lines[k:])
    return text


_PAPERS_HEADER = re.compile(r"^\s*\[\[\s*papers\s*\]\]")


def _banner_start(lines: list[str], header: int) -> int:
    """Where the comments that introduce the table at ``header`` begin.

    A comment block above it (``# --- 2021 ---``), even with blank lines in between,
    stays with it; a comment glued to the previous table's last key stays with that one.
    """
    k = header
    while k > 0 and (not lines[k - 1].strip() or lines[k - 1].lstrip().startswith("#")):
        k -= 1
    # lines[k:header] are blanks and comments; a first comment block with no blank line
    # above it (and not at the top of the file) belongs to what comes before.
    i = k
    if k > 0:
        while i < header and lines[i].strip():
            i += 1
    while i < header and not lines[i].strip():
        i += 1
    return i


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


def add_papers(
    path: Path,
    papers: Sequence[Paper],
    *,
    create: tuple[str, str] | tuple[str, str, str] | None = None,
    venues: Sequence[Venue] = (),
) -> Catalog:
    """Insert ``papers`` into the catalog at ``path`` and return the new catalog.

    ``create`` is the (title, description[, footer]) of a new file when ``path`` does not exist.
    The caller has checked for duplicates; this re-validates the whole file before
    writing, so a write can never leave an invalid catalog behind.
    """
    from speechcompress.catalog import parse_catalog, read_text

    path = Path(path)
    with locked(path):
        if path.exists():
            text = read_text(path)
        elif create is not None:
            title, description, *footer = create
            text = new_catalog_text(title, description, venues, footer[0] if footer else "")
        else:
            raise FileProblem(f"catalog not found: {path}")
        new_text = insert_papers(text, papers)
        catalog = parse_catalog(new_text, path)
        write_atomic(path, new_text)
    return catalog


_PAPER_TABLE = re.compile(r"^\s*\[\[\s*papers\s*\]\]")
_ANY_TABLE = re.compile(r"^\s*\[\[?\s*[A-Za-z0-9_.\"' -]+\s*\]\]?\s*(?:#.*)?$")


def set_paper_fields(text: str, paper_id: str, changes: Mapping[str, Any]) -> str:
    """``text`` with scalar fields of one ``[[papers]]`` table set, edited line by line.

    An existing key keeps its line and trailing comment; a new key goes before the next
    key in catalog order (or after the table's last line). Nothing else changes.
    """
    import tomlkit

    from speechcompress.catalog import parse_toml

    papers = parse_toml(text, Path("<catalog>")).get("papers", [])
    index = next(
        (i for i, p in enumerate(papers) if isinstance(p, dict) and p.get("id") == paper_id), None
    )
    # Split at "\n" only: str.splitlines would also split inside a string holding U+2028.
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    headers = [i for i, line in enumerate(lines) if _PAPER_TABLE.match(line)]
    if index is None or len(headers) != len(papers):
        raise FileProblem(f"cannot find the [[papers]] table of {paper_id!r} to update it")
    newline = "\r\n" if "\r\n" in text else "\n"
    start = headers[index]
    end = next((i for i in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[i])), len(lines))

    def key_line(name: str) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
        return next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)

    for name in sorted(changes, key=PAPER_FIELDS.index):
        value = changes[name]
        found = key_line(name)
        if found is not None:
            try:
                doc = tomlkit.parse(lines[found])
            except tomlkit.exceptions.ParseError:
                raise FileProblem(
                    f"cannot update {name!r} of {paper_id!r} in place: its value "
                    "spans several lines"
                ) from None
            doc[name] = value
            lines[found] = tomlkit.dumps(doc).rstrip("\r\n") + newline
            continue
        later = [k for k in PAPER_FIELDS[PAPER_FIELDS.index(name) + 1 :] if key_line(k) is not None]
        if later:
            position = min(k for k in (key_line(n) for n in later) if k is not None)
        else:
            position = end
            while position > start + 1 and (
                not lines[position - 1].strip() or lines[position - 1].lstrip().startswith("#")
            ):
                position -= 1
            if position > 0 and not lines[position - 1].endswith("\n"):
                lines[position - 1] += newline
        lines.insert(position, f"{name} = {tomlkit.item(value).as_string()}{newline}")
        end += 1
    return "".join(lines)


def update_paper_fields(path: Path, paper_id: str, changes: Mapping[str, Any]) -> Catalog:
    """Set scalar fields (venue, year, doi...) of one paper in place and return the new catalog.

    Locked, validated and atomic like :func:`add_papers`; a one-field change is a one-line diff.
    """
    from speechcompress.catalog import parse_catalog, read_text

    path = Path(path)
    with locked(path):
        new_text = set_paper_fields(read_text(path), paper_id, changes)
        catalog = parse_catalog(new_text, path)
        paper = next((p for p in catalog.papers if p.id == paper_id), None)
        if paper is None or any(getattr(paper, k) != v for k, v in changes.items()):
            raise FileProblem(f"could not update {paper_id!r} in place; nothing was changed")
        write_atomic(path, new_text)
    return catalog
