"""When two papers are the same paper: same arXiv id, same DOI, or the same title.

Used by ``scc import`` and ``scc add`` (refuse a duplicate) and ``scc check`` (report).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from speechcompress.ids import normalize_arxiv_id
from speechcompress.paper import Paper
from speechcompress.text import normalized_title


@dataclass(frozen=True)
class Duplicate:
    new: Paper
    existing: Paper
    #: "arXiv id", "DOI" or "title".
    reason: str

    def describe(self) -> str:
        return f"same {self.reason} as '{self.existing.id}'"


def _keys(paper: Paper, title: str | None = None) -> list[tuple[str, str]]:
    """What makes a paper the same as another; ``title``: its title normalized, if known."""
    keys = []
    if paper.arxiv:
        keys.append(("arXiv id", normalize_arxiv_id(paper.arxiv) or paper.arxiv))
    if paper.doi:
        keys.append(("DOI", paper.doi.casefold()))
    if title is None:
        title = normalized_title(paper.title)
    if title:
        keys.append(("title", title))
    return keys


class DuplicateIndex:
    """Answers "is this paper already here?" in constant time per paper."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._seen: dict[tuple[str, str], Paper] = {}
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper) -> None:
        for key in _keys(paper):
            self._seen.setdefault(key, paper)

    def find(self, paper: Paper) -> Duplicate | None:
        for key in _keys(paper):
            existing = self._seen.get(key)
            if existing is not None:
                return Duplicate(paper, existing, key[0])
        return None


def duplicate_pairs(
    papers: Sequence[Paper], titles: Sequence[str] | None = None
) -> list[Duplicate]:
    """Every paper that repeats an earlier one, in catalog order (``titles``: each
    paper's title normalized, when the caller has them)."""
    # DuplicateIndex's find-then-add, with each paper's keys worked out once, not twice.
    seen: dict[tuple[str, str], Paper] = {}
    found = []
    for i, paper in enumerate(papers):
        keys = _keys(paper, None if titles is None else titles[i])
        for key in keys:
            existing = seen.get(key)
            if existing is not None:
                found.append(Duplicate(paper, existing, key[0]))
                break
        for key in keys:
            seen.setdefault(key, paper)
    return found
