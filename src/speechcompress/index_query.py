"""Read-only queries over a catalog's index (see :mod:`speechcompress.index_build`).

Search through the index ranks exactly as :func:`speechcompress.search.search_papers`:
FTS5 holds each field's words as :mod:`speechcompress.search` splits them, and each
query word is expanded over the index's vocabulary with the same prefix and typo tests
the in-memory matcher uses (``tests/test_store.py`` compares the two).

An index answers only once its stamp proves every byte is as scc wrote it and its
identity names the catalog file as it is now, CRC-32 included (:func:`open_index`).
Those two CRCs (~0.2 s over a 100,000-paper catalog and its index) run in a thread while
the query runs; no answer leaves this module before they agree, and when they do not,
the answer comes from the parsed file instead. Should SQLite fail to read an index
mid-command, the command's remaining questions go to the parsed file too.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from speechcompress import index_codec as codec
from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import Venue

if TYPE_CHECKING:
    from speechcompress.query import Filters
    from speechcompress.search import Hit, Term
    from speechcompress.source import PaperSource

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: A set of catalog positions passed as one JSON array: one query, whatever its size.
_POSITIONS = "(SELECT value FROM json_each(?))"
#: Most decompositions of a joined query word ("selfsupervised") the index expands.
_MAX_SPLITS = 64
_SEP = codec.SEP
_paper = codec.decode_paper
_select_from = codec.select_from


def _brief(pid: str, title: str, year: int, venue: str, methods: str) -> Paper:
    """A paper with only what a listing shows, from its ``papers`` columns."""
    return Paper(id=pid, title=title, year=year, venue=venue, methods=codec.split_methods(methods))


#: SQLite's words for a damaged file, and for one it could not read this time.
_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_UNREADABLE = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN"})


def _file_failure(exc: sqlite3.Error) -> str | None:
    """``"damaged"`` or ``"unreadable"`` when the index file failed, None for anything
    else (a mistake in scc's own SQL must surface, not be answered around)."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    primary = "_".join(name.split("_")[:2])  # SQLITE_CORRUPT_VTAB is SQLITE_CORRUPT
    if primary in _DAMAGED:
        return "damaged"
    if primary in _UNREADABLE:
        return "unreadable"
    return None


def _or_from_file(
    query: Callable[Concatenate[CatalogIndex, _P], _R],
) -> Callable[Concatenate[CatalogIndex, _P], _R]:
    """Answer from the catalog file itself when SQLite cannot read the index.

    Every answer waits for the index's CRCs (see :class:`_Proof`); a failure before they
    are done is the file's when they disagree. With them agreeing, a page damaged since
    surfaces in whichever query reads it. A damaged index is removed, so the next
    command builds a new one; one that was only busy or unreadable is left in place.
    Once a command has fallen back, the rest of its questions go to the file too.
    """

    def guarded(self: CatalogIndex, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self._fallback is None:
            try:
                result = query(self, *args, **kwargs)
            except Exception as exc:
                # Bytes not yet proven whole can fail in any way (text that is not UTF-8,
                # a date that is not one): the CRCs say whether the file is to blame.
                if self._trusted():
                    failure = _file_failure(exc) if isinstance(exc, sqlite3.Error) else None
                    if failure is None:
                        raise
                    self._fall_back(remove=failure == "damaged")
            else:
                if self._trusted():  # never an answer from an index not yet proven whole
                    return result
        assert self._fallback is not None
        answer: Callable[_P, _R] = getattr(self._fallback, query.__name__)
        return answer(*args, **kwargs)

    functools.update_wrapper(guarded, query)
    return guarded


class CatalogIndex:
    """Read-only queries over one catalog's index.

    Each query that a :class:`~speechcompress.source.PaperSource` answers falls back to
    the parsed file if the index turns out to be damaged (:func:`_or_from_file`).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        header: Catalog,
        file: Path,
        parsed: Catalog | None = None,
        *,
        fallback: Callable[[Catalog | None], PaperSource],
        proof: _Proof | None = None,
    ) -> None:
        self._conn = conn
        self._file = file
        self._header = header
        #: The CRCs still being checked (None once they agreed).
        self._proof = proof
        # The catalog this process just parsed and indexed, if it did: no need to read
        # back and decode what is already in memory.
        self._parsed = parsed
        #: Makes the source that answers once the index failed (given what was parsed).
        self._make_fallback = fallback
        #: Where questions go once the index failed mid-command (see _or_from_file).
        self._fallback: PaperSource | None = None

    @property
    def header(self) -> Catalog:
        """The catalog's title, text and venues (its ``papers`` are not loaded).

        Checked by a CRC of its own when opened, so a query can be parsed with it while
        the whole file's CRCs are still running.
        """
        return self._header if self._fallback is None else self._fallback.header

    @header.setter
    def header(self, value: Catalog) -> None:
        self._header = value

    def _trusted(self) -> bool:
        """Wait for the CRCs; when they disagree, answer from the file from now on (the
        index is replaced by one built from it). False once the index is not used."""
        if self._proof is not None:
            whole = self._proof.holds()
            self._proof = None
            if not whole:
                self._fall_back(remove=True)
        return self._fallback is None

    def identity(self) -> str | None:
        """The identity of the catalog this index answers for (None once it does not)."""
        if not self._trusted():
            return None
        try:
            return self._meta("identity")
        except sqlite3.Error:
            return None

    @_or_from_file
    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    @_or_from_file
    def papers(self, *, full: bool = True) -> list[Paper]:
        """Every paper in catalog order; ``full=False`` leaves out abstract and summary."""
        rows = self._conn.execute(f"SELECT {_select_from(full)} ORDER BY pos")
        return [_paper(row) for row in rows]

    def _papers_at(self, positions: Sequence[int], *, full: bool = True) -> list[Paper]:
        """The papers at these catalog positions, in the order given."""
        sql = f"SELECT pos, {_select_from(full)} WHERE pos IN {_POSITIONS}"
        rows = self._conn.execute(sql, (json.dumps(list(positions)),))
        found = {row[0]: _paper(row[1:]) for row in rows}
        return [found[p] for p in positions]

    @_or_from_file
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
        rows = self._conn.execute(f"SELECT {_select_from(full)} {where} ORDER BY pos", args)
        return [p for p in (_paper(row) for row in rows) if filters.keeps(p)]

    @_or_from_file
    def model_names(self) -> list[str]:
        """Every model name the papers give, as :func:`speechcompress.query.known_models`."""
        cells = self._conn.execute("SELECT models FROM papers WHERE models != ''")
        return sorted({m for (cell,) in cells for m in cell.split(_SEP)}, key=str.casefold)

    @_or_from_file
    def find(self, key: str) -> Paper | None:
        """The first paper whose id or arXiv id is ``key`` (as :meth:`Catalog.find`)."""
        from speechcompress.ids import normalize_arxiv_id

        sql = f"SELECT {_select_from(True)} WHERE id = ? OR arxiv = ? ORDER BY pos LIMIT 1"
        row = self._conn.execute(sql, (key, normalize_arxiv_id(key) or "\0")).fetchone()
        return _paper(row) if row else None

    @_or_from_file
    def catalog(self) -> Catalog:
        """The whole catalog, every paper loaded."""
        if self._parsed is not None:
            return self._parsed
        h = self.header
        return Catalog(
            h.title,
            h.description,
            h.footer,
            h.venues,
            tuple(self.papers()),
            h.path,
            h.official_hosts,
        )

    # --- search ----------------------------------------------------------------------------

    @_or_from_file
    def search(
        self, terms: Sequence[Term], *, full: bool = True, limit: int | None = None
    ) -> list[Hit]:
        """Ranked hits, identical to ``search_papers`` over the whole catalog.

        One SQL statement scores and orders the hits: each term is the best
        ``tier * 100 + field weight`` among its FTS5 matches, a hit must match every
        term, and ties go as :func:`speechcompress.search.ranking_key` says.
        ``full=False`` gives papers with only what a listing shows (id, title, year,
        venue, methods): decoding whole records was most of a large search's time.
        """
        from speechcompress.search import search_papers

        if not self._ensure_words():  # the cache folder is read-only: search in memory
            return search_papers(self.papers(), terms, limit)
        try:
            return self._search_sql(terms, full=full, limit=limit)
        except _TooManySplits:
            return search_papers(self.papers(), terms, limit)

    def _search_sql(self, terms: Sequence[Term], *, full: bool, limit: int | None) -> list[Hit]:
        from speechcompress.search import Hit

        ctes, params = [], []
        for i, term in enumerate(terms):
            parts, args = self._term_sql(term)
            if not parts:
                return []
            ctes.append(
                f"t{i}(pos, s) AS (SELECT pos, max(s) FROM"
                f" ({' UNION ALL '.join(parts)}) GROUP BY pos)"
            )
            params += args
        total = " + ".join(f"t{i}.s" for i in range(len(terms)))
        joins = " ".join(f"JOIN t{i} ON t{i}.pos = p.pos" for i in range(len(terms)))
        sql = (
            f"WITH {', '.join(ctes)} SELECT p.pos, {total}, p.id, p.title, p.year, p.venue,"
            f" p.methods FROM papers p {joins} ORDER BY 2 DESC, p.year DESC, p.pos LIMIT ?"
        )
        rows = self._conn.execute(sql, [*params, -1 if limit is None else limit]).fetchall()
        query = tuple(terms)
        if full:
            papers = self._papers_at([row[0] for row in rows])
        else:
            papers = [_brief(*row[2:]) for row in rows]
        return [Hit(paper, row[1], query) for paper, row in zip(papers, rows, strict=True)]

    def _term_sql(self, term: Term) -> tuple[list[str], list[object]]:
        """SELECTs of (pos, score) for every paper one term matches, and their parameters."""
        from speechcompress.search import EXACT, FIELD_WEIGHTS, FUZZY, PREFIX, term_fields

        if not term.words:
            return self._field_term_sql(term)
        tiers = self._expand(term.words)
        parts: list[str] = []
        args: list[object] = []
        for tier in (EXACT, PREFIX, FUZZY):
            expression = " OR ".join(tiers[tier])
            if not expression:
                continue
            for name in term_fields(term):
                parts.append("SELECT rowid AS pos, ? AS s FROM words WHERE words MATCH ?")
                args += [tier * 100 + FIELD_WEIGHTS[name], f"{name} : ({expression})"]
        return parts, args

    def _field_term_sql(self, term: Term) -> tuple[list[str], list[object]]:
        from speechcompress.search import EXACT, FIELD_WEIGHTS

        args: list[object]
        if term.field == "year":
            assert term.years is not None
            low = term.years.low if term.years.low is not None else -1
            high = term.years.high if term.years.high is not None else 10_000
            where, args, score = "year BETWEEN ? AND ?", [low, high], EXACT * 100
        elif term.field == "venue":
            where, args = "venue = ?", [term.value]
            score = EXACT * 100 + FIELD_WEIGHTS["venue"]
        else:
            where, args = "methods LIKE ?", [f"%|{term.value}|%"]
            score = EXACT * 100 + FIELD_WEIGHTS["methods"]
        return [f"SELECT pos, ? AS s FROM papers WHERE {where}"], [score, *args]

    def _ensure_words(self) -> bool:
        """Fill the word index on first use; False if it can't be written.

        Filling it costs about as much as parsing the TOML file, and only search needs
        it, so the first load of a catalog leaves it empty and the first search fills it,
        in a new copy of the index that replaces this one (which stays as it was).
        """
        if self._meta("words") == "1":
            return True
        if not self._trusted():  # never copy an index not proven whole
            return False
        from speechcompress.index_build import fill_words

        if not fill_words(self._file, self._parsed.papers if self._parsed else None):
            return False  # a read-only cache folder, say: search in memory
        conn = _connect(self._file)
        if conn is None:
            return False
        self._conn.close()
        self._conn = conn
        return self._meta("words") == "1"

    def _fall_back(self, *, remove: bool) -> None:
        """Answer from now on from the parsed file; ``remove`` replaces a damaged index by
        one built from the file."""
        self._proof = None  # whatever the CRCs say, the index is no longer used
        self._conn.close()
        if remove:
            with contextlib.suppress(OSError):
                self._file.unlink()
        self._fallback = self._make_fallback(self._parsed)
        if remove and self._header.path:
            from speechcompress.index_build import build_index

            build_index(Path(self._header.path), self._fallback.catalog())

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _terms(self, sql: str, *args: object) -> list[str]:
        return [t for (t,) in self._conn.execute(f"SELECT term FROM terms WHERE {sql}", args)]

    def _expand(self, words: Sequence[str]) -> dict[int, list[str]]:
        """FTS5 expressions for each tier of a term, from the index's vocabulary.

        Each tier asks the ``terms`` table only for its candidates (a key range, a
        substring scan in C, a length band) and keeps those the matcher's own tests
        accept, so the expansion is exactly what the in-memory search would match.
        """
        from speechcompress.search import (
            EXACT,
            FUZZY,
            PREFIX,
            _fuzzy_budget,
            fuzzy_match,
            prefix_match,
        )

        joined = "".join(words)
        pieces = {joined[a:b] for a in range(len(joined)) for b in range(a + 1, len(joined) + 1)}
        known = set(
            self._terms("term IN (SELECT value FROM json_each(?))", json.dumps(list(pieces)))
        )
        phrases = {_phrase(words)} | {_phrase(split) for split in _splits(joined, known)}
        tiers: dict[int, list[str]] = {EXACT: sorted(phrases), PREFIX: [], FUZZY: []}
        if len(words) == 1:
            word = words[0]
            near = self._terms("term >= ? AND term < ?", word, word + "\U0010ffff")
            tiers[PREFIX] = [_phrase([v]) for v in near if prefix_match(word, v)]
            # fuzzy_match's candidates, in one scan of the vocabulary: words holding the
            # query word, and words close enough in length to be a typo of it.
            clauses: list[str] = []
            args: list[object] = []
            if len(word) >= 4:
                clauses.append("instr(term, ?) > 0")
                args.append(word)
            if budget := _fuzzy_budget(word):
                clauses.append("length(term) BETWEEN ? AND ?")
                args += [len(word) - budget, len(word) + budget]
            candidates = self._terms(" OR ".join(clauses), *args) if clauses else []
            tiers[FUZZY] = [_phrase([v]) for v in sorted(candidates) if fuzzy_match(word, v)]
        # A word a higher tier has ("pruning" is its own prefix and its own typo) scores
        # higher there in every field it is found in: asking again only costs time.
        asked = set(tiers[EXACT])
        for tier in (PREFIX, FUZZY):
            tiers[tier] = [p for p in tiers[tier] if p not in asked]
            asked.update(tiers[tier])
        return tiers


def _phrase(words: Iterable[str]) -> str:
    return '"' + " ".join(words) + '"'


class _TooManySplits(Exception):
    """A query word splits into vocabulary words in too many ways to expand in SQL."""


def _splits(joined: str, vocabulary: Set[str]) -> list[list[str]]:
    """Every way to write ``joined`` as consecutive vocabulary words.

    Raises :class:`_TooManySplits` past ``_MAX_SPLITS``: the search then runs in memory
    rather than miss a match.
    """
    found: list[list[str]] = []

    def walk(start: int, acc: list[str]) -> None:
        if len(found) > _MAX_SPLITS:
            raise _TooManySplits(joined)
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


def _connect(file: Path) -> sqlite3.Connection | None:
    """A read-only connection to an index file whose stamp is right, else None.

    ``immutable=1``: scc never writes an index in place, so SQLite need not lock it or
    look for a journal (one left by a killed older scc would make it refuse to read).
    """
    if not codec.verify(file):
        return None
    try:
        uri = Path(file).resolve().as_uri()
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return None


class _Proof:
    """The two CRCs an index must pass, checked in a thread of their own.

    ``zlib.crc32`` and file reads release the GIL, so they run beside the query.
    """

    def __init__(self, file: Path, catalog_fd: int, size: int, crc: str) -> None:
        self._whole = False
        self._thread = threading.Thread(
            target=self._check, args=(file, catalog_fd, size, crc), daemon=True
        )
        self._thread.start()

    def _check(self, file: Path, catalog_fd: int, size: int, crc: str) -> None:
        try:
            self._whole = codec.verify(file) and f"{codec.crc_of_fd(catalog_fd, size):08x}" == crc
        except (OSError, ValueError):
            self._whole = False
        finally:
            os.close(catalog_fd)

    def holds(self) -> bool:
        self._thread.join()
        return self._whole


def open_index(
    path: Path,
    file: Path,
    fallback: Callable[[Catalog | None], PaperSource],
    parsed: Catalog | None = None,
) -> CatalogIndex | None:
    """The index ``file`` of the catalog at ``path`` if its identity is current.

    The CRCs of both files are checked while the first query runs (see :class:`_Proof`);
    until they agree, nothing the index says is returned. ``parsed`` is that catalog
    when the caller has just parsed it (and built the index); ``fallback`` makes the
    source that answers if the index fails mid-command.
    """
    opened = codec.open_catalog(path)
    if opened is None:
        return None
    stated, fd, size = opened
    conn = None
    try:
        uri = Path(file).resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        prefix, _, crc = str(meta.get("identity", "")).rpartition("|")
        if prefix != stated:
            raise ValueError("another catalog, or this one as it was")
        if codec.header_crc(meta["header"]) != meta["header_crc"]:
            raise ValueError("a damaged header")
        head = json.loads(meta["header"])
        header = Catalog(
            title=head["title"],
            description=head["description"],
            footer=head["footer"],
            venues=tuple(Venue(v[0], v[1], v[2], tuple(v[3])) for v in head["venues"]),
            path=str(path),
            official_hosts=tuple(head.get("official_hosts", ())),
        )
        proof = _Proof(file, fd, size, crc)
    except (sqlite3.Error, ValueError, KeyError, TypeError, IndexError, OSError):
        os.close(fd)
        if conn is not None:
            conn.close()
        return None
    return CatalogIndex(conn, header, file, parsed, fallback=fallback, proof=proof)
