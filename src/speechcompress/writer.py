"""Write papers into a catalog file without losing anything the user had.

* A new paper is rendered by tomlkit and inserted as text; a changed field is replaced
  on its own line(s). Comments, key order and formatting stay: adding one paper is a
  one-paper diff.
* The new text is validated before it replaces the file, and it replaces it atomically
  (temp file in the same folder, fsync, rename): an interrupted or failed write leaves
  the file exactly as it was.
* Before writing, the new text must parse to the old tables plus (or with) exactly the
  change asked for; a textual edit that went astray is refused, never written.
* An exclusive lock on the catalog file itself (:func:`speechcompress.fs.locked`)
  serialises concurrent writers, whatever their cache folders, so N ``scc add``
  processes started at once end with all N papers.
* A read-only catalog is refused, a symlinked one is written through to its target,
  and the file keeps its permission bits.
* Line endings are the file's own: a CRLF catalog stays CRLF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from speechcompress.errors import FileProblem
from speechcompress.fs import atomic_write, check_writable, locked
from speechcompress.paper import FIELDS, PAPER_FIELDS, Catalog, Paper
from speechcompress.vocab import Venue


def paper_table(paper: Paper) -> Any:
    """A tomlkit table for ``paper`` with keys in the catalog's order."""
    import tomlkit

    table = tomlkit.table()
    record = paper.to_dict()
    for spec in FIELDS:
        value = record[spec.name]
        if value is None or value == []:
            continue
        if spec.kind == "date":
            value = getattr(paper, spec.name)  # a TOML date, not the JSON record's string
        table.add(spec.name, value)
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
    comment block above a ``[[papers]]`` header (``# --- 2021 ---``) stays with it, and
    the new lines end as the file's own do (CRLF or LF).
    """
    from speechcompress.catalog import parse_toml

    return _insert(text, parse_toml(text, _NOWHERE), papers)[0]


_NOWHERE = Path("<catalog>")


def _insert(text: str, data: dict[str, Any], papers: Sequence[Paper]) -> tuple[str, list[Any]]:
    """(new text, the paper records it should parse to) for :func:`insert_papers`."""
    from speechcompress.catalog import LineMap, parse_toml

    records = data.get("papers", [])
    if not isinstance(records, list):
        raise FileProblem("cannot add papers: 'papers' is not an array of [[papers]] tables")
    where = LineMap(text)
    if len(where.papers) != len(records):
        # Headers are found as lines of text; if they do not match the parsed tables one
        # to one, a paper could land inside another one. Refuse rather than guess.
        raise FileProblem(
            f"cannot tell where each paper starts: {len(where.papers)} [[papers]] header "
            f"lines for {len(records)} papers; nothing was changed",
            hint="write each paper's header as [[papers]] alone at the start of its line",
        )
    # Each paper goes before the first table (old or just added) of an earlier year.
    # The order holds ("old", index in records) and ("new", index in papers).
    order: list[tuple[str, int]] = [("old", i) for i in range(len(records))]
    years: list[Any] = [r.get("year") if isinstance(r, dict) else None for r in records]
    for n, paper in enumerate(papers):
        position = next(
            (i for i, y in enumerate(years) if isinstance(y, int) and y < paper.year), len(order)
        )
        order.insert(position, ("new", n))
        years.insert(position, paper.year)
    before: dict[int, list[int]] = {}  # old table -> the new papers that go right above it
    pending: list[int] = []
    for kind, i in order:
        if kind == "new":
            pending.append(i)
        elif pending:
            before[i], pending = pending, []

    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    blocks = [paper_text(p) for p in papers]
    # Split at "\n" only: str.splitlines would also split inside a title holding U+2028.
    lines = text.split("\n")
    for index in sorted(before, reverse=True):
        k = _banner_start(lines, where.papers[index], where.quoted)
        added = "".join(blocks[n] + "\n" for n in before[index]).replace("\n", newline)
        lines[k:k] = added.split("\n")[:-1]
    text = "\n".join(lines)
    for n in pending:
        body = text.rstrip("\r\n")
        text = (body + newline + newline if body else "") + blocks[n].replace("\n", newline)
    expected = [
        records[i] if kind == "old" else parse_toml(blocks[i], _NOWHERE)["papers"][0]
        for kind, i in order
    ]
    return text, expected


def _banner_start(lines: list[str], header: int, quoted: frozenset[int] = frozenset()) -> int:
    """Where the comments that introduce the table at ``header`` begin.

    A comment block above it (``# --- 2021 ---``), even with blank lines in between,
    stays with it; a comment glued to the previous table's last key stays with that one.
    Lines in ``quoted`` (inside a multi-line string) are never part of it.
    """
    k = header
    while (
        k > 0
        and k - 1 not in quoted
        and (not lines[k - 1].strip() or lines[k - 1].lstrip().startswith("#"))
    ):
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


def add_papers(
    path: Path,
    papers: Sequence[Paper] | Callable[[Catalog], Sequence[Paper]],
    *,
    create: tuple[str, str] | tuple[str, str, str] | None = None,
    venues: Sequence[Venue] = (),
    today: dt.date | None = None,
) -> Catalog:
    """Insert ``papers`` into the catalog at ``path`` and return the new catalog.

    Each paper without an ``added`` date gets ``today`` (default: the local date), the
    day it entered the catalog, whichever command added it (the feed orders by it).
    ``create`` is the (title, description[, footer]) of a new file when ``path`` does not exist.
    ``papers`` may be a function of the catalog as it is under the lock: that is where
    a caller decides ids and refuses duplicates when other writers may run at once
    (it may raise). This re-validates the whole file before writing, so a write can
    never leave an invalid catalog behind.
    """
    from speechcompress.catalog import parse_catalog, parse_toml, read_text

    path = Path(path)
    check_writable(path)
    with locked(path):
        if path.exists():
            text = read_text(path)
        elif create is not None:
            title, description, *footer = create
            text = new_catalog_text(title, description, venues, footer[0] if footer else "")
        else:
            raise FileProblem(f"catalog not found: {path}")
        if callable(papers):
            papers = papers(parse_catalog(text, path))
        stamp = today or dt.date.today()
        papers = [p if p.added else dataclasses.replace(p, added=stamp) for p in papers]
        old = parse_toml(text, path)
        new_text, records = _insert(text, old, papers)
        expected = {**old, "papers": records} if records or "papers" in old else old
        _same_or_refuse(new_text, expected, path)
        catalog = parse_catalog(new_text, path)
        atomic_write(path, new_text, sweep_age=0)  # the lock is ours: no other temp is live
    return catalog


def _same_or_refuse(new_text: str, expected: dict[str, Any], path: Path) -> None:
    """Raise unless ``new_text`` parses to ``expected``: a textual edit never goes astray."""
    from speechcompress.catalog import parse_toml
    from speechcompress.errors import CatalogError

    try:
        same = parse_toml(new_text, path) == expected
    except CatalogError:
        same = False
    if not same:
        raise FileProblem(
            f"could not add the papers without changing other entries of {path}; "
            "nothing was written",
            hint="this is a bug in scc: please report it with the catalog file",
        )


_ANY_TABLE = re.compile(r"^\s*\[\[?\s*[A-Za-z0-9_.\"' -]+\s*\]\]?\s*(?:#.*)?$")


def set_paper_fields(text: str, paper_id: str, changes: Mapping[str, Any]) -> str:
    """``text`` with scalar fields of one ``[[papers]]`` table set, edited line by line.

    An existing key keeps its line and trailing comment; a new key goes before the next
    key in catalog order (or after the table's last line). Nothing else changes.
    """
    import tomlkit

    from speechcompress.catalog import LineMap, parse_toml

    papers = parse_toml(text, _NOWHERE).get("papers", [])
    index = next(
        (i for i, p in enumerate(papers) if isinstance(p, dict) and p.get("id") == paper_id), None
    )
    # Split at "\n" only: str.splitlines would also split inside a string holding U+2028.
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    where = LineMap(text)
    headers, quoted = where.papers, where.quoted
    if index is None or len(headers) != len(papers):
        raise FileProblem(f"cannot find the [[papers]] table of {paper_id!r} to update it")
    newline = "\r\n" if "\r\n" in text else "\n"
    start = headers[index]
    end = next(
        (i for i in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[i]) and i not in quoted),
        len(lines),
    )

    def key_line(name: str) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
        return next(
            (i for i in range(start + 1, end) if pattern.match(lines[i]) and i not in quoted),
            None,
        )

    for name in sorted(changes, key=PAPER_FIELDS.index):
        value = changes[name]
        found = key_line(name)
        if isinstance(value, (list, tuple)) and not value:
            # An emptied list leaves the table, as a paper without it is written.
            if found is not None:
                del lines[found]
                end -= 1
                quoted = frozenset(q - 1 if q > found else q for q in quoted)
            continue
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
            while (
                position > start + 1
                and position - 1 not in quoted
                and (
                    not lines[position - 1].strip() or lines[position - 1].lstrip().startswith("#")
                )
            ):
                position -= 1
            if position > 0 and not lines[position - 1].endswith("\n"):
                lines[position - 1] += newline
        lines.insert(position, f"{name} = {tomlkit.item(value).as_string()}{newline}")
        end += 1
        quoted = frozenset(q + 1 if q >= position else q for q in quoted)
    return "".join(lines)


def update_paper_fields(path: Path, paper_id: str, changes: Mapping[str, Any]) -> Catalog:
    """Set scalar fields (venue, year, doi...) of one paper in place and return the new catalog.

    Locked, validated and atomic like :func:`add_papers`; a one-field change is a one-line diff.
    """
    from speechcompress.catalog import parse_catalog, parse_toml, read_text

    path = Path(path)
    check_writable(path)
    with locked(path):
        text = read_text(path)
        new_text = set_paper_fields(text, paper_id, changes)
        # Every other table, and every other key of this one, must parse as before.
        old, new = parse_toml(text, path), parse_toml(new_text, path)
        index = next(
            (
                i
                for i, p in enumerate(old.get("papers", []))
                if isinstance(p, dict) and p.get("id") == paper_id
            ),
            -1,
        )
        if _without_keys(old, index, changes) != _without_keys(new, index, changes):
            raise FileProblem(f"could not update {paper_id!r} in place; nothing was changed")
        catalog = parse_catalog(new_text, path)
        paper = next((p for p in catalog.papers if p.id == paper_id), None)
        if paper is None or any(getattr(paper, k) != v for k, v in changes.items()):
            raise FileProblem(f"could not update {paper_id!r} in place; nothing was changed")
        atomic_write(path, new_text, sweep_age=0)
    return catalog


def _without_keys(data: dict[str, Any], index: int, keys: Collection[str]) -> dict[str, Any]:
    """``data`` with ``keys`` left out of paper ``index``: what an update must not touch."""
    papers = list(data.get("papers", []))
    if 0 <= index < len(papers):
        papers[index] = {k: v for k, v in papers[index].items() if k not in keys}
    return {**data, "papers": papers}


def update_papers(path: Path, changes: Mapping[str, Mapping[str, Any]]) -> Catalog:
    """Set fields of several papers (id -> field -> value) in one locked, validated,
    atomic write; list fields (methods, models, tags) too. Nothing else changes."""
    from speechcompress.catalog import parse_catalog, parse_toml, read_text

    path = Path(path)
    check_writable(path)
    with locked(path):
        text = read_text(path)
        new_text = text
        for paper_id, fields in changes.items():
            new_text = set_paper_fields(new_text, paper_id, fields)
        old, new = parse_toml(text, path), parse_toml(new_text, path)
        wanted = dict(old)
        papers = [dict(p) if isinstance(p, dict) else p for p in old.get("papers", [])]
        for record in papers:
            if isinstance(record, dict) and record.get("id") in changes:
                record.update(changes[record["id"]])
                for key in [k for k, v in record.items() if v == []]:
                    del record[key]
        wanted["papers"] = papers
        if _plain(new) != _plain(wanted):
            raise FileProblem(
                f"could not update the papers of {path} in place; nothing was changed"
            )
        catalog = parse_catalog(new_text, path)
        atomic_write(path, new_text, sweep_age=0)
    return catalog


def _plain(data: Any) -> Any:
    """Parsed TOML as plain dicts and lists, to compare with what was asked for."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data
