"""Write and prune the catalog indexes in the user cache (``cache_dir()/catalogs``).

Why an index: parsing a large TOML file costs seconds (10,000 papers with abstracts
take ~1.4 s here) and importing tomli plus pydantic ~70 ms, while shell completion runs
scc on every Tab. So the first load of a catalog validates it and writes its index;
later commands read only the rows they need (:mod:`speechcompress.index_query`).

An index file is written once and never changed in place: it is built beside its
target through :func:`speechcompress.fs.replacing`, stamped with the CRC-32 of its bytes
(:func:`~speechcompress.index_codec.stamp`) and renamed into place. Filling the word
table for the first search writes a new stamped copy the same way. So a process killed
at any point leaves the old index or the new one (no hot journal, no half file), and a
reader that finds the stamp wrong does not use the file.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from speechcompress import index_codec as codec
from speechcompress.errors import FileProblem
from speechcompress.fs import replacing
from speechcompress.paper import Catalog, Paper


def search_fields() -> tuple[str, ...]:
    from speechcompress.search import FIELD_WEIGHTS

    return tuple(FIELD_WEIGHTS)


def build_index(path: Path, catalog: Catalog) -> None:
    """Write the index of ``catalog`` (read from ``path``); failing to cache is not an error.

    The word index for search is left empty here and filled by the first search.
    """
    identity = codec.identity(path)
    target = codec.index_file(path)
    if identity is None or target is None:
        return
    if _write(target, lambda conn: _fill_papers(conn, path, catalog, identity)):
        prune(target.parent)


def fill_words(file: Path, papers: Sequence[Paper] | None) -> bool:
    """Replace the index ``file`` by a copy whose word table is filled; False on failure.

    ``papers`` are the catalog's papers in order when the caller has them in memory;
    otherwise they are read back from the copy.
    """
    # On failure (a read-only cache, say) search runs in memory.
    return _write(file, lambda conn: _fill_words(conn, papers), copy=True)


def _write(target: Path, fill: Callable[[sqlite3.Connection], None], *, copy: bool = False) -> bool:
    """Write the index ``target`` anew, ``fill`` adding its rows to an empty database (or,
    with ``copy``, to a copy of ``target``); stamped, then renamed into place. False on failure.
    """
    try:
        with replacing(target, mode=0o600, sweep_age=3600.0, private=True) as tmp:
            if copy:
                shutil.copyfile(target, tmp)
            conn = sqlite3.connect(tmp)
            try:
                conn.execute("PRAGMA journal_mode = OFF")  # a cache, made whole by the rename
                conn.execute("PRAGMA synchronous = OFF")
                fill(conn)
                conn.commit()
            finally:
                conn.close()
            codec.stamp(tmp)
    except (OSError, sqlite3.Error, FileProblem):
        return False
    _forget_journal(target)
    return True


def _fill_papers(conn: sqlite3.Connection, path: Path, catalog: Catalog, identity: str) -> None:
    """A new index's tables: meta, papers and texts (the word table stays empty)."""
    header = {
        "title": catalog.title,
        "description": catalog.description,
        "footer": catalog.footer,
        "venues": [[v.name, v.kind, v.full_name, list(v.aliases)] for v in catalog.venues],
        "official_hosts": list(catalog.official_hosts),
    }
    conn.executescript(codec.schema(search_fields()))
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("identity", identity),
            ("catalog", codec.path_text(path.resolve())),
            ("header", json.dumps(header)),
            ("header_crc", codec.header_crc(json.dumps(header))),
            ("count", str(len(catalog.papers))),
            ("words", "0"),
        ],
    )
    width = len(codec.LIGHT) + 2
    conn.executemany(
        f"INSERT INTO papers VALUES ({', '.join('?' * width)})",
        (codec.papers_row(pos, p) for pos, p in enumerate(catalog.papers)),
    )
    conn.executemany(
        f"INSERT INTO texts VALUES ({', '.join('?' * (len(codec.HEAVY) + 1))})",
        (codec.texts_row(pos, p) for pos, p in enumerate(catalog.papers)),
    )


def _fill_words(conn: sqlite3.Connection, papers: Sequence[Paper] | None = None) -> None:
    from speechcompress.search import field_texts
    from speechcompress.text import words

    if papers is None:
        rows = conn.execute(f"SELECT {codec.select_from(True)} ORDER BY pos").fetchall()
        papers = [codec.decode_paper(row) for row in rows]
    # FTS5 flushes its in-memory terms to a new segment past 1 MB by default, then merges
    # segments; 16 MB makes far fewer of both (100,000 papers: 8.0 s -> 4.9 s).
    conn.execute("INSERT INTO words (words, rank) VALUES ('hashsize', ?)", (16 << 20,))
    names = search_fields()
    conn.executemany(
        f"INSERT INTO words (rowid, {', '.join(names)}) VALUES (?{', ?' * len(names)})",
        (
            (pos, *(t if t.isascii() else " ".join(words(t)) for t in field_texts(paper).values()))
            for pos, paper in enumerate(papers)
        ),
    )
    conn.execute("INSERT INTO terms SELECT term FROM vocabulary")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('words', '1')")


def _forget_journal(target: Path) -> None:
    # A rollback journal beside an index is left by an scc older than this one, killed
    # mid-write; indexes are opened immutable and never written in place now.
    with contextlib.suppress(OSError):
        Path(f"{target}-journal").unlink()


def prune(folder: Path) -> None:
    """Remove what no catalog will read again: indexes of catalogs that are gone, ones
    under another name (older scc versions named them otherwise), and temp files of
    builds that died more than a day ago."""
    for file in folder.glob(f"*{codec.SUFFIX}"):
        with contextlib.suppress(OSError):
            if file.name.startswith(".tmp-"):  # older scc versions' temp files
                if file.stat().st_mtime < time.time() - 86_400:
                    file.unlink()
                continue
            catalog = catalog_of(file)
            if catalog is None or not catalog.is_file() or codec.file_name(catalog) != file.name:
                file.unlink()


def catalog_of(file: Path) -> Path | None:
    """The catalog an index file was built from, or None if it is not a readable index."""
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro&immutable=1", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    try:
        return Path(json.loads(meta["catalog"]))
    except (KeyError, ValueError, TypeError):
        return None
