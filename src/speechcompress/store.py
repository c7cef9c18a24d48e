"""The catalog's derived index: SQLite in the user cache directory.

Why: parsing a large TOML file costs seconds (10,000 papers with abstracts take
~1.4 s to parse here) and importing tomli plus pydantic costs ~70 ms, while shell
completion runs scc on every Tab. So the first load of a catalog validates it and
writes this index; later commands read only the rows they need, and search narrows
the papers with SQLite's FTS5 before scoring them.

The TOML file stays the one source of truth. The index is never trusted:

* It records an identity made of scc's version, the validating code's mtimes and the
  catalog's resolved path, size, mtime, ctime and inode, and is used only when that
  identity matches exactly, so an edited file, another scc version or another path
  never reuses it. A file that is not a readable index is ignored and rebuilt.
* There is one index per catalog path, named by a CRC of the path (zlib is loaded
  anyway; hashlib's OpenSSL costs ~10 ms of start-up), so old ones are replaced.
* It is built in a temp file and renamed into place: two scc processes building it at
  once each leave a whole file, and a reader never sees half of one.

Search through the index ranks exactly as :func:`speechcompress.search.search_papers`:
FTS5 holds each field's words as :mod:`speechcompress.search` splits them, and each
query word is expanded over the index's vocabulary with the same prefix and typo tests
the in-memory matcher uses (``tests/test_store.py`` compares the two).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechcompress import __version__
from speechcompress.locate import cache_dir
from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import Venue

if TYPE_CHECKING:
    from speechcompress.query import Filters
    from speechcompress.search import Hit, Term

_FORMAT = 8
_SUFFIX = ".sqlite"
#: Fields left out of "light" rows: what listing, filtering and the README don't need.
_HEAVY = ("abstract", "summary")
#: A set of catalog positions passed as one JSON array: one query, whatever its size.
_POSITIONS = "(SELECT value FROM json_each(?))"
#: Most decompositions of a joined query word ("selfsupervised") the index expands.
_MAX_SPLITS = 64

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE papers (
    pos INTEGER PRIMARY KEY,   -- catalog order
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    arxiv TEXT,
    year INTEGER NOT NULL,
    venue TEXT NOT NULL,
    methods TEXT NOT NULL,     -- "|pruning|distillation|"
    models TEXT NOT NULL,      -- the names joined by U+001F (which no name may hold)
    light TEXT NOT NULL,       -- the record without abstract and summary, JSON
    summary TEXT,
    abstract TEXT
);
CREATE INDEX papers_id ON papers (id);
CREATE INDEX papers_arxiv ON papers (arxiv);
-- unicode61's token characters are Unicode letters and numbers (categories L*, N*, Co):
-- on ASCII text it splits exactly as text.words() does, so ASCII fields go in as they
-- are and only the others are split in Python first.
CREATE VIRTUAL TABLE words USING fts5 (
    title, authors, methods, models, venue, summary, abstract,
    content = '', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE vocabulary USING fts5vocab (words, 'row');
-- A plain copy of the vocabulary: scanning fts5vocab costs ~10 us a term, this ~0.5 us.
CREATE TABLE terms (term TEXT NOT NULL);
"""


def _code_mtimes() -> str:
    # In a development checkout an edited schema or vocabulary must not be served data
    # validated by the old one.
    here = Path(__file__).parent
    try:
        return "|".join(str((here / m).stat().st_mtime_ns) for m in ("models.py", "vocab.py"))
    except OSError:
        return ""


def _identity(path: Path) -> tuple[Path, str] | None:
    """(index file, identity of the catalog as it is now), or None if it can't be read."""
    try:
        st = path.stat()
        real = path.resolve()
    except OSError:
        return None
    key = f"{_FORMAT}|{__version__}|{real}"
    identity = f"{key}|{_code_mtimes()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}"
    return cache_dir() / "catalogs" / f"{zlib.crc32(key.encode()):08x}{_SUFFIX}", identity


def _light_record(paper: Paper) -> str:
    record: dict[str, Any] = paper.to_dict()
    for heavy in _HEAVY:
        del record[heavy]
    record["line"] = paper.line
    return json.dumps(record, ensure_ascii=False)


def _paper(light: str, summary: str | None = None, abstract: str | None = None) -> Paper:
    data = json.loads(light)
    data["summary"], data["abstract"] = summary, abstract
    return Paper.from_dict(data, data.get("line", 0))


def _columns(full: bool) -> str:
    return "light, summary, abstract" if full else "light"


def _fts_text(text: str) -> str:
    from speechcompress.text import words

    return text if text.isascii() else " ".join(words(text))


class CatalogIndex:
    """Read-only queries over one catalog's index."""

    def __init__(self, conn: sqlite3.Connection, header: Catalog, file: Path) -> None:
        self._conn = conn
        self._file = file
        #: The catalog's title, text and venues (its ``papers`` are not loaded).
        self.header = header

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    def papers(self, *, full: bool = True) -> list[Paper]:
        """Every paper in catalog order; ``full=False`` leaves out abstract and summary."""
        rows = self._conn.execute(f"SELECT {_columns(full)} FROM papers ORDER BY pos")
        return [_paper(*row) for row in rows]

    def papers_at(self, positions: Sequence[int], *, full: bool = True) -> list[Paper]:
        """The papers at these catalog positions, in the order given."""
        sql = f"SELECT pos, {_columns(full)} FROM papers WHERE pos IN {_POSITIONS}"
        rows = self._conn.execute(sql, (json.dumps(list(positions)),))
        found = {row[0]: _paper(*row[1:]) for row in rows}
        return [found[p] for p in positions]

    def filtered(self, filters: Filters, *, full: bool = True) -> list[Paper]:
        """The papers ``filters`` keeps, in catalog order.

        Year, venue and method narrow the rows in SQL; ``filters.keeps`` then decides,
        so the result is exactly :func:`speechcompress.query.filter_papers`'s.
        """
        clauses: list[str] = []
        args: list[object] = []
        if filters.years:
            ranges = []
            for r in filters.years:
                ranges.append("year BETWEEN ? AND ?")
                args += [-1 if r.low is None else r.low, 10_000 if r.high is None else r.high]
            clauses.append("(" + " OR ".join(ranges) + ")")
        if filters.venues:
            clauses.append(f"venue IN ({','.join('?' * len(filters.venues))})")
            args += sorted(filters.venues)
        if filters.methods:
            clauses.append("(" + " OR ".join("methods LIKE ?" for _ in filters.methods) + ")")
            args += [f"%|{m}|%" for m in sorted(filters.methods)]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(f"SELECT {_columns(full)} FROM papers {where} ORDER BY pos", args)
        return [p for p in (_paper(*row) for row in rows) if filters.keeps(p)]

    def model_names(self) -> list[str]:
        """Every model name the papers give, as :func:`speechcompress.query.known_models`."""
        cells = self._conn.execute("SELECT models FROM papers WHERE models != ''")
        return sorted({m for (cell,) in cells for m in cell.split("\x1f")}, key=str.casefold)

    def find(self, key: str) -> Paper | None:
        """The first paper whose id or arXiv id is ``key`` (as :meth:`Catalog.find`)."""
        from speechcompress.ids import normalize_arxiv_id

        sql = f"SELECT {_columns(True)} FROM papers WHERE id = ? OR arxiv = ? ORDER BY pos LIMIT 1"
        row = self._conn.execute(sql, (key, normalize_arxiv_id(key) or "\0")).fetchone()
        return _paper(*row) if row else None

    def catalog(self) -> Catalog:
        """The whole catalog, every paper loaded."""
        h = self.header
        return Catalog(h.title, h.description, h.footer, h.venues, tuple(self.papers()), h.path)

    # --- search ----------------------------------------------------------------------------

    def search(
        self, terms: Sequence[Term], *, full: bool = True, limit: int | None = None
    ) -> list[Hit]:
        """Ranked hits, identical to ``search_papers`` over the whole catalog.

        ``full=False`` gives papers with only what a listing shows (id, title, year,
        venue, methods): decoding whole records was most of a large search's time.
        """
        from speechcompress.search import Hit, ranking_key, search_papers

        if not self._ensure_words():  # the cache folder is read-only: search in memory
            return search_papers(self.papers(), terms, limit)
        totals: dict[int, int] | None = None
        for term in terms:
            scores = self._term_scores(term)
            if totals is None:
                totals = scores
            else:
                totals = {pos: s + scores[pos] for pos, s in totals.items() if pos in scores}
            if not totals:
                return []
        assert totals is not None
        years = self._years(sorted(totals))
        order = sorted(totals, key=lambda pos: ranking_key(totals[pos], years[pos], pos))[:limit]
        papers = self.papers_at(order) if full else self._briefs(order)
        query = tuple(terms)
        return [Hit(paper, totals[pos], query) for paper, pos in zip(papers, order, strict=True)]

    def _briefs(self, positions: Sequence[int]) -> list[Paper]:
        """The papers at these positions with only id, title, year, venue and methods."""
        sql = f"SELECT pos, id, title, year, venue, methods FROM papers WHERE pos IN {_POSITIONS}"
        found = {
            pos: Paper(
                id=pid,
                title=title,
                year=year,
                venue=venue,
                methods=tuple(methods.strip("|").split("|")) if methods != "||" else (),
            )
            for pos, pid, title, year, venue, methods in self._conn.execute(
                sql, (json.dumps(list(positions)),)
            )
        }
        return [found[p] for p in positions]

    def _ensure_words(self) -> bool:
        """Fill the word index on first use; False if it can't be written.

        Filling it costs about as much as parsing the TOML file, and only search needs
        it, so the first load of a catalog leaves it empty and the first search fills it.
        ``BEGIN IMMEDIATE`` makes two processes that search at once fill it only once.
        """
        if self._meta("words") == "1":
            return True
        try:
            writer = sqlite3.connect(self._file, timeout=60)
            try:
                writer.execute("BEGIN IMMEDIATE")
                done = writer.execute("SELECT value FROM meta WHERE key = 'words'").fetchone()
                if not done or done[0] != "1":
                    _fill_words(writer)
                writer.commit()
            finally:
                writer.close()
        except sqlite3.Error:
            return False
        return self._meta("words") == "1"

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _years(self, positions: Sequence[int]) -> dict[int, int]:
        """The year of the paper at each of these catalog positions."""
        sql = f"SELECT pos, year FROM papers WHERE pos IN {_POSITIONS}"
        return dict(self._conn.execute(sql, (json.dumps(list(positions)),)))

    def _term_scores(self, term: Term) -> dict[int, int]:
        """Catalog position -> score of one term, for every paper it matches."""
        from speechcompress.search import EXACT, FIELD_WEIGHTS, FUZZY, PREFIX, term_fields

        if not term.words:
            return self._field_term_scores(term)
        tiers = self._expand(term.words)
        best: dict[int, int] = {}
        for tier in (EXACT, PREFIX, FUZZY):
            expression = " OR ".join(tiers[tier])
            if not expression:
                continue
            for name in term_fields(term):
                score = tier * 100 + FIELD_WEIGHTS[name]
                query = f"{name} : ({expression})"
                for (pos,) in self._conn.execute(
                    "SELECT rowid FROM words WHERE words MATCH ?", (query,)
                ):
                    if best.get(pos, 0) < score:
                        best[pos] = score
        return best

    def _field_term_scores(self, term: Term) -> dict[int, int]:
        from speechcompress.search import EXACT, FIELD_WEIGHTS

        args: tuple[object, ...]
        if term.field == "year":
            assert term.years is not None
            low = term.years.low if term.years.low is not None else -1
            high = term.years.high if term.years.high is not None else 10_000
            sql, args, score = "year BETWEEN ? AND ?", (low, high), EXACT * 100
        elif term.field == "venue":
            sql, args, score = "venue = ?", (term.value,), EXACT * 100 + FIELD_WEIGHTS["venue"]
        else:
            sql, args = "methods LIKE ?", (f"%|{term.value}|%",)
            score = EXACT * 100 + FIELD_WEIGHTS["methods"]
        rows = self._conn.execute(f"SELECT pos FROM papers WHERE {sql}", args)
        return {pos: score for (pos,) in rows}

    def _vocabulary(self) -> list[str]:
        """The index's words, read once per command (query expansion needs them all)."""
        if not hasattr(self, "_terms"):
            # In fts5vocab's order, which is sorted: prefix matches are a bisect away.
            rows = self._conn.execute("SELECT term FROM terms ORDER BY rowid")
            self._terms = [t for (t,) in rows]
            self._term_set = frozenset(self._terms)
        return self._terms

    def _expand(self, words: Sequence[str]) -> dict[int, list[str]]:
        """FTS5 expressions for each tier of a term, from the index's vocabulary."""
        from speechcompress.search import EXACT, FUZZY, PREFIX, fuzzy_match, prefix_match

        vocabulary = self._vocabulary()
        phrases = {_phrase(words)}
        phrases.update(_phrase(split) for split in _splits("".join(words), self._term_set))
        tiers: dict[int, list[str]] = {EXACT: sorted(phrases), PREFIX: [], FUZZY: []}
        if len(words) == 1:
            word = words[0]
            start = bisect.bisect_left(vocabulary, word)
            stop = bisect.bisect_left(vocabulary, word + "\U0010ffff", start)
            tiers[PREFIX] = [_phrase([v]) for v in vocabulary[start:stop] if prefix_match(word, v)]
            tiers[FUZZY] = [
                _phrase([v]) for v in _fuzzy_candidates(word, vocabulary) if fuzzy_match(word, v)
            ]
        return tiers


def _fuzzy_candidates(word: str, vocabulary: Sequence[str]) -> Iterator[str]:
    """A cheap superset of the vocabulary words ``fuzzy_match`` may accept."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from speechcompress.search import _fuzzy_budget

    if len(word) >= 4:
        yield from (v for v in vocabulary if word in v)
    budget = _fuzzy_budget(word)
    if budget:
        matches = process.extract(
            word, vocabulary, scorer=Levenshtein.distance, score_cutoff=budget, limit=None
        )
        yield from (m[0] for m in matches)


def _phrase(words: Iterable[str]) -> str:
    return '"' + " ".join(words) + '"'


def _splits(joined: str, vocabulary: frozenset[str]) -> list[list[str]]:
    """Every way to write ``joined`` as consecutive vocabulary words (capped)."""
    found: list[list[str]] = []

    def walk(start: int, acc: list[str]) -> None:
        if len(found) >= _MAX_SPLITS:
            return
        if start == len(joined):
            found.append(list(acc))
            return
        for end in range(start + 1, len(joined) + 1):
            if joined[start:end] in vocabulary:
                acc.append(joined[start:end])
                walk(end, acc)
                acc.pop()

    walk(0, [])
    return found


def _fill_words(conn: sqlite3.Connection) -> None:
    """Index every paper's searchable words (inside the caller's transaction)."""
    from speechcompress.search import field_texts

    rows = conn.execute(f"SELECT pos, {_columns(True)} FROM papers ORDER BY pos").fetchall()
    conn.executemany(
        "INSERT INTO words (rowid, title, authors, methods, models, venue, summary,"
        " abstract) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (row[0], *(_fts_text(text) for text in field_texts(_paper(*row[1:])).values()))
            for row in rows
        ),
    )
    conn.execute("INSERT INTO terms SELECT term FROM vocabulary")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('words', '1')")


def open_index(path: Path) -> CatalogIndex | None:
    """The index of the catalog at ``path`` if a valid, current one exists."""
    found = _identity(path)
    if found is None:
        return None
    target, identity = found
    if not target.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("identity") != identity:
            conn.close()
            return None
        head = json.loads(meta["header"])
        header = Catalog(
            title=head["title"],
            description=head["description"],
            footer=head["footer"],
            venues=tuple(Venue(v[0], v[1], v[2], tuple(v[3])) for v in head["venues"]),
            path=str(path),
        )
        return CatalogIndex(conn, header, target)
    except (sqlite3.Error, ValueError, KeyError, TypeError, IndexError):
        return None


def build_index(path: Path, catalog: Catalog) -> None:
    """Write the index of ``catalog`` (read from ``path``); failing to cache is not an error.

    The word index for search is left empty here and filled by the first search.
    """
    found = _identity(path)
    if found is None:
        return
    target, identity = found
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=_SUFFIX)
        os.close(fd)
    except OSError:
        return
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a cache, made whole by the rename
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            header = {
                "title": catalog.title,
                "description": catalog.description,
                "footer": catalog.footer,
                "venues": [[v.name, v.kind, v.full_name, list(v.aliases)] for v in catalog.venues],
            }
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("identity", identity), ("header", json.dumps(header)), ("words", "0")],
            )
            conn.executemany(
                "INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        pos,
                        p.id,
                        p.title,
                        p.arxiv,
                        p.year,
                        p.venue,
                        "|" + "|".join(p.methods) + "|",
                        "\x1f".join(p.models),
                        _light_record(p),
                        p.summary,
                        p.abstract,
                    )
                    for pos, p in enumerate(catalog.papers)
                ),
            )
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
