"""Filter and sort papers: pure functions over records, no I/O.

Repeating a filter ORs its values (``--year 2021 --year 2023``); different filters AND.
Values are checked against the catalog's vocabularies, so a typo is a usage error
with a "did you mean" hint rather than an empty result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from speechcompress.errors import UsageError
from speechcompress.paper import MAX_YEAR, MIN_YEAR, Catalog, Paper
from speechcompress.text import fold, words
from speechcompress.vocab import METHODS, Vocabulary, suggest

SORT_KEYS = ("year", "title", "venue")
_YEAR_RANGE = re.compile(r"^(?P<lo>\d{4})?(?P<dots>\.\.)?(?P<hi>\d{4})?$")


@dataclass(frozen=True, slots=True)
class YearRange:
    """An inclusive range of years; ``None`` leaves that end open."""

    low: int | None
    high: int | None

    def __contains__(self, year: object) -> bool:
        return (
            isinstance(year, int)
            and (self.low is None or year >= self.low)
            and (self.high is None or year <= self.high)
        )


def parse_year_range(text: str) -> YearRange:
    """``2022``, ``2021..2023``, ``2022..`` or ``..2022``."""
    match = _YEAR_RANGE.match(text.strip())
    if not match or not (match["lo"] or match["hi"]) or (not match["dots"] and not match["lo"]):
        raise UsageError(
            f"invalid year {text!r}",
            hint="use a year (2022) or a range (2021..2023, 2022.., ..2022)",
        )
    low = int(match["lo"]) if match["lo"] else None
    high = int(match["hi"]) if match["hi"] else None
    if not match["dots"]:
        high = low
    for year in (low, high):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise UsageError(f"year {year} is out of range ({MIN_YEAR}..{MAX_YEAR})")
    if low is not None and high is not None and low > high:
        raise UsageError(f"empty year range {text!r}", hint=f"did you mean {high}..{low}?")
    return YearRange(low, high)


def _squash(text: str) -> str:
    return "".join(words(text))


@dataclass(frozen=True)
class Filters:
    """What ``scc list`` keeps. Empty fields filter nothing."""

    years: tuple[YearRange, ...] = ()
    venues: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    models: tuple[str, ...] = ()  # squashed prefixes: "wav2vec" keeps "wav2vec 2.0"
    authors: tuple[str, ...] = ()  # folded substrings of an author's name
    has_code: bool = False

    def keeps(self, paper: Paper) -> bool:
        if self.years and not any(paper.year in r for r in self.years):
            return False
        if self.venues and paper.venue not in self.venues:
            return False
        if self.methods and self.methods.isdisjoint(paper.methods):
            return False
        if self.models and not any(
            _squash(m).startswith(want) for m in paper.models for want in self.models
        ):
            return False
        if self.authors and not any(
            want in fold(name) for name in paper.authors for want in self.authors
        ):
            return False
        return not (self.has_code and not paper.code)


def build_filters(
    catalog: Catalog,
    *,
    model_names: Sequence[str] | None = None,
    years: Sequence[str] = (),
    venues: Sequence[str] = (),
    methods: Sequence[str] = (),
    models: Sequence[str] = (),
    authors: Sequence[str] = (),
    has_code: bool = False,
) -> Filters:
    """Check raw option values against ``catalog`` and build :class:`Filters`.

    Models are checked against ``model_names`` (default: those the catalog's papers name).
    """
    vocab = catalog.vocabulary
    return Filters(
        years=tuple(parse_year_range(y) for y in years),
        venues=frozenset(resolve_venue(v, vocab) for v in venues),
        methods=frozenset(resolve_method(m) for m in methods),
        models=tuple(
            resolve_model(m, known_models(catalog.papers) if model_names is None else model_names)
            for m in models
        ),
        authors=tuple(fold(a).strip() for a in authors),
        has_code=has_code,
    )


def resolve_venue(value: str, vocab: Vocabulary) -> str:
    venue = vocab.venue(value)
    if venue is None:
        guess = suggest(value, vocab.venue_names())
        raise UsageError(
            f"unknown venue {value!r}",
            hint=f"did you mean {guess!r}?"
            if guess
            else f"known: {', '.join(vocab.venue_names())}",
        )
    return venue.name


def resolve_method(value: str) -> str:
    method = Vocabulary.method(value)
    if method is None:
        guess = suggest(value, METHODS)
        raise UsageError(
            f"unknown method {value!r}",
            hint=f"did you mean {guess!r}?" if guess else f"known: {', '.join(METHODS)}",
        )
    return method


def known_models(papers: Iterable[Paper]) -> list[str]:
    return sorted({m for p in papers for m in p.models}, key=str.casefold)


def resolve_model(value: str, names: Sequence[str]) -> str:
    want = _squash(value)
    if not want or not any(_squash(m).startswith(want) for m in names):
        guess = suggest(value, names)
        raise UsageError(
            f"no paper in the catalog names the model {value!r}",
            hint=f"did you mean {guess!r}?" if guess else "see `scc stats` for the models listed",
        )
    return want


def filter_papers(papers: Iterable[Paper], filters: Filters) -> list[Paper]:
    return [p for p in papers if filters.keeps(p)]


def sort_papers(papers: Sequence[Paper], key: str = "year", reverse: bool = False) -> list[Paper]:
    """Sort, keeping catalog order among equals. ``year`` is newest first."""
    if key not in SORT_KEYS:
        raise UsageError(f"unknown sort key {key!r}", hint=f"use one of {', '.join(SORT_KEYS)}")
    order = {id(p): i for i, p in enumerate(papers)}
    if key == "year":
        result = sorted(papers, key=lambda p: (-p.year, order[id(p)]))
    elif key == "title":
        result = sorted(papers, key=lambda p: (fold(p.title), order[id(p)]))
    else:
        result = sorted(papers, key=lambda p: (fold(p.venue), -p.year, order[id(p)]))
    return result[::-1] if reverse else result
