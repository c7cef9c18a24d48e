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
from speechcompress.paper import Catalog, Paper, record
from speechcompress.query import YearRange, parse_year_range, resolve_method, resolve_venue
from speechcompress.text import words

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
_EXAMPLES = {
    "author": "author:watanabe",
    "title": "title:hubert",
    "venue": "venue:icassp",
    "method": "method:pruning",
    "model": "model:wavlm",
    "year": "year:2021..2023",
}
PREFIX_FIELDS = {"author": ("authors",), "title": ("title",), "model": ("models",)}
EXACT, PREFIX, FUZZY = 3, 2, 1
#: Bounds on a query: each word becomes part of one SQL statement (SQLite caps its depth)
#: and a long word is split into indexed words recursively. Real queries stay far below.
MAX_QUERY_WORDS = 32
MAX_TERM_CHARS = 100
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One AND-ed part of a query."""

    words: tuple[str, ...]  # folded
    field: str | None = None
    years: YearRange | None = None
    value: str | None = None  # canonical venue or method for those prefixes


@record
class Hit:
    paper: Paper
    score: int
    #: The query, kept to work out :attr:`title_spans` only when they are shown.
    terms: tuple[Term, ...] = field(default=(), compare=False, repr=False)

    @property
    def title_spans(self) -> tuple[tuple[int, int], ...]:
        """(start, end) character spans of the title that matched, for highlighting."""
        return title_spans(self.paper.title, self.terms)


_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def identifier_in(query: str) -> tuple[str, str] | None:
    """``("arxiv", id)`` or ``("doi", doi)`` when the whole query is one identifier.

    An arXiv id in any form users paste (``2305.17651v2``, an abs or pdf URL) or a DOI
    (``10.21437/...``, ``doi:...``, a doi.org URL) names a paper rather than words in it.
    """
    from urllib.parse import unquote

    from speechcompress.ids import DOI, normalize_arxiv_id

    text = query.strip()
    if not text or len(text.split()) != 1:
        return None
    arxiv = normalize_arxiv_id(text)
    if arxiv:
        return ("arxiv", arxiv)
    doi = unquote(_DOI_PREFIX.sub("", text))
    return ("doi", doi) if DOI.match(doi) else None


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
        if sep and prefix in FIELD_PREFIXES:
            if not rest:
                raise UsageError(
                    f"nothing to search for after {prefix}:",
                    hint=f"write the value right after the colon, e.g. {_EXAMPLES[prefix]}",
                )
            terms.append(_fielded(prefix, rest, catalog))
        else:
            found = tuple(words(part))
            if found:
                terms.append(Term(found))
    if not terms:
        raise UsageError("empty query", hint="try `scc search pruning` or `scc search author:lee`")
    _check_size(terms)
    return terms


def _check_size(terms: Sequence[Term]) -> None:
    count = sum(len(t.words) or 1 for t in terms)
    if count > MAX_QUERY_WORDS:
        raise UsageError(
            f"too many words in the query ({count}; at most {MAX_QUERY_WORDS})",
            hint="search for the few words that matter most",
        )
    longest = max(len("".join(t.words)) for t in terms)
    if longest > MAX_TERM_CHARS:
        raise UsageError(
            f"a search word or phrase of {longest} characters is too long "
            f"(at most {MAX_TERM_CHARS})",
            hint="search for a shorter word",
        )


def _fielded(prefix: str, value: str, catalog: Catalog) -> Term:
    if prefix == "year":
        return Term((), "year", years=parse_year_range(value))
    if prefix == "venue":
        return Term((), "venue", value=resolve_venue(value, catalog.vocabulary))
    if prefix == "method":
        return Term((), "method", value=resolve_method(value))
    found = tuple(words(value))
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
        found, spans = [], []
        for m in _TOKEN.finditer(text):
            for w in words(m.group()):
                found.append(w)
                spans.append(m.span())
        starts, offset = set(), 0
        for w in found:
            starts.add(offset)
            offset += len(w)
        return cls(found, spans, "".join(found), starts)


def field_texts(paper: Paper) -> dict[str, str]:
    """The searchable text of each field (the index stores exactly these, as words)."""
    return {
        "title": paper.title,
        "authors": " ; ".join(paper.authors),
        "methods": " ".join(paper.methods),
        "models": " ; ".join(paper.models),
        "venue": paper.venue,
        "summary": paper.summary or "",
        "abstract": paper.abstract or "",
    }


def _document(paper: Paper) -> dict[str, _Field]:
    return {name: _Field.of(text) for name, text in field_texts(paper).items()}


def _fuzzy_budget(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


# The word-level tests behind the PREFIX and FUZZY tiers; the index expands a query word
# over its vocabulary with these same functions, so both paths rank alike.


def prefix_match(term_word: str, word: str) -> bool:
    return len(term_word) >= 3 and word.startswith(term_word)


def fuzzy_match(term_word: str, word: str) -> bool:
    """Part of a longer word ("supervised" in "selfsupervised") or within a typo or two."""
    if len(term_word) >= 4 and term_word in word:
        return True
    budget = _fuzzy_budget(term_word)
    return bool(budget) and within_edits(term_word, word, budget)


def within_edits(a: str, b: str, k: int) -> bool:
    """Whether at most ``k`` single-character edits (Levenshtein) turn ``a`` into ``b``.

    Pure Python for the short words and small ``k`` of search: importing rapidfuzz cost
    ~50 ms of every search's start-up. Most words fail the two cheap tests first.
    """
    if abs(len(a) - len(b)) > k:
        return False
    # Cut a into k + 1 pieces: k edits leave one of them whole, so it occurs in b.
    size = len(a) // (k + 1)
    if size and not any(a[i * size : (i + 1) * size] in b for i in range(k + 1)):
        return False
    # The edit distance row by row, given up once every cell of a row exceeds k.
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > k:
            return False
        previous = current
    return previous[-1] <= k


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
        for tier, test in ((PREFIX, prefix_match), (FUZZY, fuzzy_match)):
            hits = [fld.spans[i] for i, w in enumerate(fld.words) if test(words[0], w)]
            if hits:
                return tier, hits
    return 0, []


def _spans_between(fld: _Field, start: int, end: int) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for w, span in zip(fld.words, fld.spans, strict=True):
        if start <= offset < end:
            spans.append(span)
        offset += len(w)
    return spans


def term_fields(term: Term) -> tuple[str, ...]:
    """The fields a text term looks in: all of them, or the one its prefix names."""
    return PREFIX_FIELDS.get(term.field or "", tuple(FIELD_WEIGHTS))


def field_term_score(paper: Paper, term: Term) -> int:
    """The score of a ``year:``, ``venue:`` or ``method:`` term (0: no match)."""
    if term.field == "year":
        return EXACT * 100 if term.years and paper.year in term.years else 0
    if term.field == "venue":
        return EXACT * 100 + FIELD_WEIGHTS["venue"] if paper.venue == term.value else 0
    return EXACT * 100 + FIELD_WEIGHTS["methods"] if term.value in paper.methods else 0


def _score(paper: Paper, doc: dict[str, _Field], term: Term) -> int:
    """The best (tier, field) match of one term: tier * 100 + the field's weight."""
    if not term.words:
        return field_term_score(paper, term)
    best = 0
    for name in term_fields(term):
        tier, _ = _match(term.words, doc[name])
        if tier:
            best = max(best, tier * 100 + FIELD_WEIGHTS[name])
    return best


def title_spans(title: str, terms: Sequence[Term]) -> tuple[tuple[int, int], ...]:
    """The parts of ``title`` that the query's text terms matched, for highlighting."""
    fld = _Field.of(title)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if term.words and "title" in term_fields(term):
            spans.extend(_match(term.words, fld)[1])
    return tuple(sorted(set(spans)))


def ranking_key(score: int, year: int, position: int) -> tuple[int, int, int]:
    """Best score first; equal scores newest first, then in catalog order."""
    return (-score, -year, position)


def search_papers(
    papers: Sequence[Paper], terms: Sequence[Term], limit: int | None = None
) -> list[Hit]:
    """Papers matching every term, best first (see :func:`ranking_key`), at most ``limit``."""
    scored: list[tuple[Paper, int]] = []
    for paper in papers:
        doc = _document(paper)
        total = 0
        for term in terms:
            score = _score(paper, doc, term)
            if not score:
                break
            total += score
        else:
            scored.append((paper, total))
    order = sorted(
        range(len(scored)), key=lambda i: ranking_key(scored[i][1], scored[i][0].year, i)
    )
    terms = tuple(terms)
    return [Hit(scored[i][0], scored[i][1], terms) for i in order[:limit]]
