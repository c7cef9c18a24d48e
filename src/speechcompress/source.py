"""Where a command's papers come from: the catalog's index, or the parsed file itself.

This is the module that decides; it sits above both. Parsing and validation
(:mod:`speechcompress.catalog`) are pure and know nothing of caches, and the index
(:mod:`speechcompress.index_build`, :mod:`speechcompress.index_query`) knows nothing of
parsing: the arrows point down. Both kinds of source answer the same questions with the
same results (``tests/test_store.py`` compares them); the index just answers without
loading every paper.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from speechcompress.paper import Catalog, Paper

if TYPE_CHECKING:
    from speechcompress.query import Filters
    from speechcompress.search import Hit, Term


class PaperSource(Protocol):
    #: The catalog's title, text and venues (its papers may not be loaded).
    header: Catalog

    def count(self) -> int: ...

    def papers(self, *, full: bool = True) -> list[Paper]: ...

    def find(self, key: str) -> Paper | None: ...

    def filtered(self, filters: Filters, *, full: bool = True) -> list[Paper]: ...

    def model_names(self) -> list[str]: ...

    def catalog(self) -> Catalog: ...

    def search(
        self, terms: Sequence[Term], *, full: bool = True, limit: int | None = None
    ) -> list[Hit]: ...


class MemorySource:
    """A catalog parsed from its TOML file, every paper in memory."""

    def __init__(self, catalog: Catalog) -> None:
        self.header = catalog

    def count(self) -> int:
        return len(self.header.papers)

    def papers(self, *, full: bool = True) -> list[Paper]:
        return list(self.header.papers)

    def find(self, key: str) -> Paper | None:
        return self.header.find(key)

    def filtered(self, filters: Filters, *, full: bool = True) -> list[Paper]:
        from speechcompress.query import filter_papers

        return filter_papers(self.header.papers, filters)

    def model_names(self) -> list[str]:
        from speechcompress.query import known_models

        return known_models(self.header.papers)

    def catalog(self) -> Catalog:
        return self.header

    def search(
        self, terms: Sequence[Term], *, full: bool = True, limit: int | None = None
    ) -> list[Hit]:
        from speechcompress.search import search_papers

        return search_papers(self.header.papers, terms, limit)


def require_paper(source: PaperSource, key: str) -> Paper:
    """The paper ``key`` names (its id or arXiv id); a UsageError with a guess otherwise."""
    paper = source.find(key)
    if paper is None:
        from speechcompress.errors import UsageError
        from speechcompress.vocab import suggest

        guess = suggest(key, [p.id for p in source.papers(full=False)])
        raise UsageError(
            f"no paper with id or arXiv id {key!r}",
            hint=f"did you mean {guess!r}?" if guess else "see `scc list`",
        )
    return paper


def load_catalog(path: str | os.PathLike[str], *, use_cache: bool = True) -> Catalog:
    """Read and validate the catalog at ``path``; the library's entry point.

    Raises :class:`~speechcompress.errors.FileProblem` when it cannot be read and
    :class:`~speechcompress.errors.CatalogError` (listing every problem at once, each
    with its ``path:line``) when it is not a valid catalog.

    With ``use_cache`` (the default) an unchanged catalog is read back from its index,
    and a first load *writes* that index into the user's cache folder
    (``$SCC_CACHE_DIR``, else the platform's cache folder, e.g. ``~/.cache/scc``).
    Pass ``use_cache=False`` to read the file only and write nothing.
    """
    return open_source(Path(path), use_cache=use_cache).catalog()


def parse_file(path: Path) -> Catalog:
    """The catalog at ``path``, parsed and validated from its TOML (no cache involved)."""
    from speechcompress.catalog import parse_catalog, read_text

    return parse_catalog(read_text(path), path)


def read_indexed(path: Path) -> tuple[str, Catalog] | None:
    """The catalog's text and its papers (without abstracts and summaries) read from its
    index, when that index is current: scc validated these exact bytes. None otherwise;
    never writes an index (except to replace one found damaged)."""
    from speechcompress import index_codec as codec
    from speechcompress.catalog import read_text
    from speechcompress.errors import SccError
    from speechcompress.index_codec import index_file

    file = index_file(path)
    if file is None or not file.is_file():
        return None  # never indexed (a fresh clone): no need to load SQLite
    from speechcompress.index_query import open_index

    try:
        index = open_index(path, file, lambda parsed: MemorySource(parsed or parse_file(path)))
        if index is None:
            return None
        papers = index.papers(full=False)  # proven whole (or read from the file) by now
        header = index.header
        identity = index.identity()
    except SccError:  # the index was damaged and the file does not validate
        return None
    text = read_text(path)
    if identity is None or codec.identity(path) != identity:
        return None  # changed since, or answered from the file: check the text itself
    h = header
    return text, Catalog(h.title, h.description, h.footer, h.venues, tuple(papers), h.path)


def open_source(path: Path, *, use_cache: bool = True) -> PaperSource:
    """The catalog at ``path``: its index when whole and current, else parsed (and indexed).

    An index is used only when every byte of it is as scc wrote it and it was built from
    the catalog file's exact bytes; anything else is answered from the file.
    """
    if not use_cache:
        return MemorySource(parse_file(path))
    from speechcompress.index_codec import index_file
    from speechcompress.index_query import open_index

    def fallback(parsed: Catalog | None) -> PaperSource:
        return MemorySource(parsed if parsed is not None else parse_file(path))

    file = index_file(path)
    if file is not None:
        index = open_index(path, file, fallback)
        if index is not None:
            return index
    catalog = parse_file(path)
    if file is not None:
        from speechcompress.index_build import build_index  # the first run after an edit

        build_index(path, catalog)
        index = open_index(path, file, fallback, parsed=catalog)
        if index is not None:
            # Even a first run searches through the index: scoring every paper in
            # memory costs far more than filling the index's word table.
            return index
    return MemorySource(catalog)
