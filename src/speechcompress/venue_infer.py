"""Infer a paper's venue (and its year) and compression methods from its arXiv entry.

The venue comes from ``journal_ref`` (where arXiv says the paper appeared) or from the
comment ("Accepted to ICASSP 2023", "INTERSPEECH 2022"), matched against the catalog's
vocabulary; a comment that only says "Submitted to ..." proposes nothing. Methods come
from keywords in the title and abstract. Everything here is a proposal: ``scc add`` shows
it before writing, and its options override each part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechcompress.paper import MAX_YEAR, MIN_YEAR
from speechcompress.text import fold
from speechcompress.vocab import METHODS, Vocabulary

if TYPE_CHECKING:
    pass

# Words that, before a venue in a comment, mean the paper is not (yet) published there.
_NOT_PUBLISHED = re.compile(
    r"\b(?:submitted|submission|under review|in review|for review|rejected|extension of|"
    r"extended version|extends)\b",
    re.IGNORECASE,
)
_ACCEPTED = re.compile(
    r"\b(?:accepted|to appear|appears?|appeared|published|presented|proceedings|proc|"
    r"camera[- ]ready|oral|poster)\b",
    re.IGNORECASE,
)
# A number followed by one of these counts pages, figures or tables, not a year ("10 pp"
# does, "2023 pp. 1-5" does not).
_NOT_A_YEAR = r"(?![\s\-]*(?:pages?|figures?|figs?|tables?|tabs?|pp(?!\.))\b)"
# "ICASSP 2023", "Interspeech-2022", "SustaiNLP workshop 2021", "Interspeech2023", and two
# digits only after an apostrophe ("ICASSP'23", also U+2019) or glued on ("ICASSP23"):
# "INTERSPEECH, 10 pages" has no year.
_YEAR_AFTER = re.compile(
    r"^(?:[\s\-,:'\u2019]{0,3}(?:[A-Za-z]+\s+){0,2}?(?P<year>(?:19|20)\d{2})"
    r"|(?:[\s\-,:]{0,2}['\u2019]|(?=\d))(?P<short>\d{2}))(?!\d)" + _NOT_A_YEAR
)
_YEAR_BEFORE = re.compile(r"(?P<year>(?:19|20)\d{2})[\s\-,:]{1,3}$")
# Anywhere in a journal ref, but not a page range ("pp. 2019-2023") or a page count.
_ANY_YEAR = re.compile(
    r"(?<!\d)(?<!\d[\-\u2013])(?P<year>(?:19|20)\d{2})(?!\d|[\-\u2013]\d{3})" + _NOT_A_YEAR
)
_CLAUSE_START = re.compile(r"[;.()\[\]]\s")
#: How far a venue's year may lie from the first arXiv version's (a paper is posted up to a
#: year before its venue's year, and published within two years); a number further off is
#: not the venue's year.
YEAR_WINDOW = (-1, 2)

_METHOD_KEYWORDS: dict[str, str] = {
    "pruning": r"\bprun(?:e|ed|es|ing)\b|\bsparsi(?:ty|fication|fied|fy)\b|\blottery tickets?\b",
    "distillation": r"\bdistil\w*|\bteacher[- ]student\b",
    "quantization": r"\bquanti[sz](?:ation|ed|e|es|ing)\b|\b[1-8][- ]bits?\b|\blow[- ]bit\b|"
    r"\bbinari[sz](?:ation|ed|e)\b",
    "low-rank": r"\blow[- ]rank\b|\bsingular value decomposition\b|\bsvd\b|"
    r"\bmatrix factori[sz]ation\b|\btensor decomposition\b",
    "architecture-search": r"\barchitecture search\b|\bnas\b|\bonce[- ]for[- ]all\b|\bsupernets?\b",
    "dynamic-inference": r"\bearly[- ]exit\w*|\blayer[- ]skipping\b|\bskip(?:s|ping)? layers\b|"
    r"\bdynamic inference\b|\badaptive (?:depth|computation)\b",
    "parameter-sharing": r"\b(?:parameter|weight)[- ]sharing\b|"
    r"\bshar(?:e|es|ed|ing) (?:the )?(?:parameters|weights)\b",
}
_METHOD_PATTERNS = {m: re.compile(p, re.IGNORECASE) for m, p in _METHOD_KEYWORDS.items()}


@dataclass(frozen=True, slots=True)
class VenueGuess:
    """A venue read from an entry's ``journal_ref`` or comment."""

    venue: str
    year: int | None
    #: "journal_ref" or "comment".
    source: str
    #: The text it was read from.
    text: str
    #: A year written by the venue but too far from the first version's to be the venue's.
    ignored_year: int | None = None

    def describe(self) -> str:
        at = f"{self.venue} {self.year}" if self.year else self.venue
        ignored = (
            f"; {self.ignored_year} ignored, too far from the first version's year"
            if self.ignored_year
            else ""
        )
        return f"{at} (from the arXiv {self.source.replace('_', ' ')}: {self.text!r}{ignored})"


def _venue_patterns(vocabulary: Vocabulary) -> list[tuple[re.Pattern[str], str]]:
    names: list[tuple[str, str]] = []
    for venue in vocabulary.venues:
        if venue.kind == "preprint":
            continue
        for name in (venue.name, *venue.aliases, venue.full_name):
            if name:
                names.append((name, venue.name))
    # Longest first, so "ICML ML4Audio" wins over "ICML" at the same place.
    names.sort(key=lambda item: -len(item[0]))
    return [
        (
            re.compile(
                r"(?<![A-Za-z0-9])"
                + r"\s+".join(map(re.escape, name.split()))
                # A year may be glued on: "ICASSP23", "Interspeech2023".
                + r"(?=[^A-Za-z0-9]|$|(?:(?:19|20)\d{2}|\d{2})(?![A-Za-z0-9]))",
                re.IGNORECASE,
            ),
            canonical,
        )
        for name, canonical in names
    ]


def _year(value: str) -> int | None:
    year = int(value) + 2000 if len(value) == 2 else int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _year_near(text: str, start: int, end: int, *, anywhere: bool) -> int | None:
    after = _YEAR_AFTER.match(text[end : end + 30])
    if after:
        return _year(after["year"] or after["short"])
    before = _YEAR_BEFORE.search(text[max(0, start - 8) : start])
    if before:
        return _year(before["year"])
    if anywhere:
        found = _ANY_YEAR.search(text)
        return _year(found["year"]) if found else None
    return None


def plausible_venue_year(year: int, first_version_year: int) -> bool:
    """Whether ``year`` can be the venue's year of a paper first posted in that other year."""
    low, high = YEAR_WINDOW
    return first_version_year + low <= year <= first_version_year + high


def _clause_before(text: str, start: int) -> str:
    head = text[:start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(head)), default=0)
    cut = max(cut, head.rfind(",") + 1)
    return head[cut:]


def infer_venue(
    journal_ref: str | None,
    comment: str | None,
    vocabulary: Vocabulary,
    *,
    only: str | None = None,
    first_version_year: int | None = None,
) -> VenueGuess | None:
    """The venue (and its year, if written) that ``journal_ref`` or ``comment`` names.

    ``journal_ref`` wins over the comment. In a comment, a venue preceded by "submitted
    to" or "under review at" is skipped. With ``only``, look for that venue alone (to find
    its year). With ``first_version_year``, a year outside :data:`YEAR_WINDOW` around it
    is ignored (kept as ``ignored_year``).
    """
    patterns = [(p, v) for p, v in _venue_patterns(vocabulary) if only in (None, v)]
    for source, text in (("journal_ref", journal_ref), ("comment", comment)):
        if not text:
            continue
        hits: list[tuple[int, int, int, str]] = []
        for pattern, venue in patterns:
            for match in pattern.finditer(text):
                hits.append((match.start(), -(match.end() - match.start()), match.end(), venue))
        for start, _, end, venue in sorted(hits):
            year = _year_near(text, start, end, anywhere=source == "journal_ref")
            ignored = None
            if year and first_version_year and not plausible_venue_year(year, first_version_year):
                year, ignored = None, year
            if source == "comment":
                before = _clause_before(text, start)
                if _NOT_PUBLISHED.search(before):
                    continue
                if year is None and not _ACCEPTED.search(before):
                    continue
            return VenueGuess(venue, year, source, text, ignored)
    return None


def propose_methods(title: str, abstract: str = "") -> tuple[str, ...]:
    """Compression methods whose keywords appear in the title or abstract, in vocabulary order."""
    text = fold(f"{title}\n{abstract}")
    return tuple(m for m in METHODS if m in _METHOD_PATTERNS and _METHOD_PATTERNS[m].search(text))
