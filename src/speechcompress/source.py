"""Where a command's papers come from: the catalog's index, or the parsed file itself.

Both kinds answer the same questions with the same results (``tests/test_store.py``
compares them); the index just answers without loading every paper.
"""

from __future__ import annotations

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


def open_source(path: Path, *, use_cache: bool = True) -> PaperSource:
    """The catalog at ``path``: its index when current, else parsed (and indexed)."""
    from speechcompress.catalog import parse_catalog, read_text

    if use_cache:
        from speechcompress import store

        index = store.open_index(path)
        if index is not None:
            return index
    catalog = parse_catalog(read_text(path), path)
    if use_cache:
        from speechcompress import store

        store.build_index(path, catalog)
        index = store.open_index(path, parsed=catalog)
        if index is not None:
            # Even a first run searches through the index: scoring every paper in
            # memory costs far more than filling the index's word table.
            return index
    return MemorySource(catalog)
