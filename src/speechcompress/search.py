"""Ranked search over the catalog: a small query language and a forgiving matcher.

Query: words AND together; ``"quoted phrases"``; field prefixes ``author:``, ``title:``,
``venue:``, ``method:``, ``model:`` and ``year:`` (``year:2021..2023``). Matching folds case
and accents (Guimaraes finds Guimarães), ignores hyphens (self-supervised, self supervised
and selfsupervised meet) and forgives a small typo (prunning). Exact matches always
rank above prefix matches, which rank above fuzzy ones.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

from speechcompress.errors import UsageError
from speechcompress.paper import Catalog, Paper
from speechcompress.query import YearRange, parse_year_range, resolve_method, resolve_venue
from speechcompress.text import fold

FIELD_PREFIXES = ("author", "title", "venue", "method", "model", "year")
# How much a match in each field weighs; any better match tier outweighs all of these.
FIELD_WEIGHTS = {
    "title": 10,
    "authors": 8,
    "methods": 6,
    "models": 6,
    "venue": 5,
    "summary": 3,
    "abstract": 1,
}
PREFIX_FIELDS = {"author": ("authors",), "title": ("title",), "model": ("models",)}
EXACT, PREFIX, FUZZY = 3, 2, 1
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One AND-ed part of a query."""

    words: tuple[str, ...]  # folded
    field: str | None = None
    years: YearRange | None = None
    value: str | None = None  # canonical venue or method for those prefixes


@dataclass(frozen=True)
class Hit:
    paper: Paper
    score: int
    #: (start, end) character spans of the title that matched, for highlighting.
    title_spans: tuple[tuple[int, int], ...] = ()


def parse_query(query: str, catalog: Catalog) -> list[Term]:
    """Split a query into terms; raises :class:`UsageError` on a bad field value."""
    # Only double quotes make phrases: an apostrophe (don't, Whisper's) is part of a word.
    lexer = shlex.shlex(query, posix=True)
    lexer.whitespace_split, lexer.commenters, lexer.quotes, lexer.escape = True, "", '"', ""
    try:
        parts = list(lexer)
    except ValueError:
        raise UsageError(f"unbalanced quotes in {query!r}") from None
    terms: list[Term] = []
    for part in parts:
        prefix, sep, rest = part.partition(":")
        prefix = prefix.lower()
        if sep and prefix in FIELD_PREFIXES and rest:
            terms.append(_fielded(prefix, rest, catalog))
        else:
            found = tuple(_TOKEN.findall(fold(part)))
            if found:
                terms.append(Term(found))
    if not terms:
        raise UsageError("empty query", hint="try `scc search pruning` or `scc search author:lee`")
    return terms


def _fielded(prefix: str, value: str, catalog: Catalog) -> Term:
    if prefix == "year":
        return Term((), "year", years=parse_year_range(value))
    if prefix == "venue":
        return Term((), "venue", value=resolve_venue(value, catalog.vocabulary))
    if prefix == "method":
        return Term((), "method", value=resolve_method(value))
    found = tuple(_TOKEN.findall(fold(value)))
    if not found:
        raise UsageError(f"nothing to search for in {prefix}:{value}")
    return Term(found, prefix)


@dataclass
class _Field:
    words: list[str]
    spans: list[tuple[int, int]]
    squashed: str = ""
    starts: set[int] = field(default_factory=set)  # squashed offsets where a word starts

    @classmethod
    def of(cls, text: str) -> _Field:
        words, spans = [], []
        for m in _TOKEN.finditer(text):
            for w in _TOKEN.findall(fold(m.group())):
                words.append(w)
                spans.append(m.span())
        starts, offset = set(), 0
        for w in words:
            starts.add(offset)
            offset += len(w)
        return cls(words, spans, "".join(words), starts)


def _document(paper: Paper) -> dict[str, _Field]:
    return {
        "title": _Field.of(paper.title),
        "authors": _Field.of(" ; ".join(paper.authors)),
        "methods": _Field.of(" ".join(paper.methods)),
        "models": _Field.of(" ; ".join(paper.models)),
        "venue": _Field.of(paper.venue),
        "summary": _Field.of(paper.summary or ""),
        "abstract": _Field.of(paper.abstract or ""),
    }


def _fuzzy_budget(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def _match(words: Sequence[str], fld: _Field) -> tuple[int, list[tuple[int, int]]]:
    """(tier, matched word indexes as spans) of a term's words in one field."""
    n = len(words)
    if not fld.words:
        return 0, []
    # Exact: the words appear consecutively.
    for i in range(len(fld.words) - n + 1):
        if fld.words[i : i + n] == list(words):
            return EXACT, fld.spans[i : i + n]
    # Hyphens and spaces don't matter: "selfsupervised" meets "self-supervised".
    joined = "".join(words)
    pos = fld.squashed.find(joined)
    while pos != -1:
        if pos in fld.starts and (
            pos + len(joined) in fld.starts or pos + len(joined) == len(fld.squashed)
        ):
            return EXACT, _spans_between(fld, pos, pos + len(joined))
        pos = fld.squashed.find(joined, pos + 1)
    if n == 1:
        word = words[0]
        if len(word) >= 3:
            hits = [fld.spans[i] for i, w in enumerate(fld.words) if w.startswith(word)]
            if hits:
                return PREFIX, hits
        # "self supervised" (two terms) against "selfsupervised": each is part of a word.
        if len(word) >= 4:
            hits = [fld.spans[i] for i, w in enumerate(fld.words) if word in w]
            if hits:
                return FUZZY, hits
        budget = _fuzzy_budget(word)
        if budget:
            from rapidfuzz.distance import Levenshtein

            hits = [
                fld.spans[i]
                for i, w in enumerate(fld.words)
                if abs(len(w) - len(word)) <= budget
                and Levenshtein.distance(word, w, score_cutoff=budget) <= budget
            ]
            if hits:
                return FUZZY, hits
    return 0, []


def _spans_between(fld: _Field, start: int, end: int) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for w, span in zip(fld.words, fld.spans, strict=True):
        if start <= offset < end:
            spans.append(span)
        offset += len(w)
    return spans


def _score(paper: Paper, doc: dict[str, _Field], term: Term) -> tuple[int, list[tuple[int, int]]]:
    if term.field == "year":
        return (EXACT * 100 if term.years and paper.year in term.years else 0), []
    if term.field == "venue":
        return (EXACT * 100 + FIELD_WEIGHTS["venue"] if paper.venue == term.value else 0), []
    if term.field == "method":
        return (EXACT * 100 + FIELD_WEIGHTS["methods"] if term.value in paper.methods else 0), []
    fields = PREFIX_FIELDS.get(term.field or "", tuple(FIELD_WEIGHTS))
    best, spans = 0, []
    for name in fields:
        tier, found = _match(term.words, doc[name])
        if tier:
            score = tier * 100 + FIELD_WEIGHTS[name]
            if score > best:
                best = score
            if name == "title":
                spans = found
    return best, spans


def search_papers(papers: Sequence[Paper], terms: Sequence[Term]) -> list[Hit]:
    """Papers matching every term, best first; ties keep year-newest-first catalog order."""
    hits: list[tuple[int, int, int, Hit]] = []
    for order, paper in enumerate(papers):
        doc = _document(paper)
        total, spans = 0, []
        for term in terms:
            score, found = _score(paper, doc, term)
            if not score:
                break
            total += score
            spans.extend(found)
        else:
            hit = Hit(paper, total, tuple(sorted(set(spans))))
            hits.append((-total, -paper.year, order, hit))
    hits.sort(key=lambda h: h[:3])
    return [h[3] for h in hits]
