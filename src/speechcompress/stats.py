"""Counts of papers per year, venue, method and model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from speechcompress.paper import Paper


@dataclass(frozen=True)
class Stats:
    total: int
    by_year: list[tuple[str, int]]
    by_venue: list[tuple[str, int]]
    by_method: list[tuple[str, int]]
    by_model: list[tuple[str, int]]

    def sections(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [
            ("Papers per year", self.by_year),
            ("Papers per venue", self.by_venue),
            ("Papers per method", self.by_method),
            ("Papers per model", self.by_model),
        ]


def _most_common(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def compute_stats(papers: Sequence[Paper]) -> Stats:
    """Years newest first; everything else most frequent first (a paper counts once per value)."""
    years = Counter(str(p.year) for p in papers)
    return Stats(
        total=len(papers),
        by_year=sorted(years.items(), reverse=True),
        by_venue=_most_common(Counter(p.venue for p in papers)),
        by_method=_most_common(Counter(m for p in papers for m in p.methods)),
        by_model=_most_common(Counter(m for p in papers for m in p.models)),
    )
