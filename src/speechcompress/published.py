"""From records a source returned to proposals for a catalog paper: pure rules, no I/O.

A record is taken as the paper only by strict rules (:func:`match`): the normalised
titles are equal, or nearly equal (:data:`MIN_SIMILARITY`) with a shared author
surname; an author surname is shared whenever the record lists authors; the year fits;
and the record is not itself a preprint. What a taken record says becomes
:class:`Proposal` s (:func:`propose`): venue (mapped to the catalog's vocabulary), year,
DOI and ``venue_url`` (the official page, or the DOI link). A field the catalog has
empty is *filled*; one that holds a different value is a *diff*, written only when the
maintainer asks to overwrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from speechcompress.net.sources.base import ARXIV_DOI_PREFIX, Record
from speechcompress.paper import Paper
from speechcompress.text import fold, normalized_title, words
from speechcompress.venue_infer import infer_venue, plausible_venue_year
from speechcompress.vocab import Vocabulary

#: Titles this similar (0..1, on normalised titles) match when an author surname is shared.
MIN_SIMILARITY = 0.95

#: Hosts of publishers' and proceedings' own pages. A catalog adds its own under
#: ``[catalog] official_hosts``; ``proceedings.*`` hosts count too.
OFFICIAL_HOSTS = (
    "doi.org",
    "isca-archive.org",
    "isca-speech.org",
    "ieeexplore.ieee.org",
    "aclanthology.org",
    "openreview.net",
    "dl.acm.org",
    "link.springer.com",
    "sciencedirect.com",
    "papers.nips.cc",
    "jmlr.org",
)

#: Venue spellings of the sources that name no catalog venue by its name or full name.
SOURCE_VENUES = {
    "ieee acm trans audio speech lang process": "TASLP",
    "ieee signal process lett": "SPL",
    "ieee j sel top signal process": "JSTSP",
    "comput speech lang": "CSL",
    "nips": "NeurIPS",
    "iwslt": "IWSLT",
    "isca interspeech": "INTERSPEECH",
}

#: Venue names that mean a preprint server, whatever kind the source says.
PREPRINT_VENUES = frozenset({"corr", "arxiv", "arxivorg", "arxiv preprint", "biorxiv", "ssrn"})


@dataclass(frozen=True, slots=True)
class Match:
    """A record taken as the paper, with the evidence in words."""

    record: Record
    evidence: str


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record not taken, and why."""

    record: Record
    reason: str


@dataclass(frozen=True, slots=True)
class Proposal:
    """One field of one paper that a source says should change."""

    paper_id: str
    #: "venue", "year", "doi" or "venue_url".
    field: str
    old: Any
    new: Any
    source: str
    evidence: str
    #: "fill" (the field is empty or the paper is still a preprint), "diff" (it holds
    #: another value: written only with overwrite) or "manual" (never written: e.g. a
    #: venue the catalog must declare first).
    action: str = "fill"

    def writable(self, overwrite: bool) -> bool:
        return self.action == "fill" or (self.action == "diff" and overwrite)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.paper_id,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "source": self.source,
            "evidence": self.evidence,
            "action": self.action,
        }


# --- matching ----------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1, after normalisation (case, accents, punctuation)."""
    from rapidfuzz import fuzz  # C-speed edit distance; already scc's fuzzy-search library

    left, right = " ".join(words(a)), " ".join(words(b))
    if not left or not right:
        return 0.0
    return float(fuzz.ratio(left, right)) / 100.0


def surnames(authors: Iterable[str]) -> set[str]:
    """The folded last word of each name ("Heitor R. Guimarães" -> "guimaraes")."""
    found = set()
    for name in authors:
        parts = words(name)
        if parts:
            found.add(parts[-1])
    return found


def shared_surname(paper: Paper, record: Record) -> str | None:
    """A catalog author's surname that appears among the record's author names.

    Any word of the record's names counts, so "Shakeel Muhammad" and "Muhammad Shakeel"
    meet; two one-letter initials never do.
    """
    theirs = {w for name in record.authors for w in words(name) if len(w) > 1}
    common = sorted(s for s in surnames(paper.authors) if len(s) > 1 and s in theirs)
    return common[0] if common else None


def is_preprint(record: Record) -> bool:
    """Whether the record is a preprint server's copy, not a published version."""
    venue = " ".join(words(record.venue or ""))
    return (
        record.kind == "preprint"
        or venue in PREPRINT_VENUES
        or (record.doi or "").lower().startswith(ARXIV_DOI_PREFIX)
    )


def year_fits(paper: Paper, record: Record, vocabulary: Vocabulary) -> bool:
    """Within one year of the catalog's; for a preprint, a year its venue can have."""
    if record.year is None:
        return True
    if _is_catalog_preprint(paper, vocabulary):
        first = paper.published.year if paper.published else paper.year
        return plausible_venue_year(record.year, first)
    return abs(record.year - paper.year) <= 1


def match(paper: Paper, record: Record, vocabulary: Vocabulary) -> Match | Rejection:
    """Whether ``record`` is ``paper``'s published version, and why (or why not)."""
    if is_preprint(record):
        return Rejection(record, "a preprint, not a published version")
    same = normalized_title(record.title) == normalized_title(paper.title)
    score = 1.0 if same else similarity(record.title, paper.title)
    if score < MIN_SIMILARITY:
        return Rejection(record, f"title differs ({score:.0%} similar): {record.title!r}")
    surname = shared_surname(paper, record)
    if record.authors and surname is None:
        return Rejection(record, f"no author in common ({', '.join(record.authors[:3])})")
    if not same and surname is None:
        return Rejection(record, "title only similar and no authors to compare")
    if not year_fits(paper, record, vocabulary):
        return Rejection(record, f"year {record.year} too far from {paper.year}")
    parts = ["same title" if same else f"title {score:.0%} similar"]
    if surname:
        parts.append(f"shared author {surname!r}")
    if record.year is not None:
        parts.append(f"year {record.year}")
    parts.append(f"found by {record.found_by}")
    where = f" ({record.record_url})" if record.record_url else ""
    return Match(record, ", ".join(parts) + where)


# --- venues and pages --------------------------------------------------------------------


def map_venue(record: Record, vocabulary: Vocabulary) -> str | None:
    """The catalog's name for the record's venue, or None when it names none."""
    text = record.venue or ""
    if text:
        direct = vocabulary.venue(text)
        if direct is not None:
            return direct.name
        key = " ".join(words(text))
        if key in SOURCE_VENUES and vocabulary.venue(SOURCE_VENUES[key]) is not None:
            return SOURCE_VENUES[key]
        guess = infer_venue(text, None, vocabulary)
        if guess is not None:
            return guess.venue
        by_name = _by_full_name(key, vocabulary)
        if by_name is not None:
            return by_name
    # ISCA's DOIs name the conference: 10.21437/Interspeech.2023-1213.
    if (record.doi or "").lower().startswith("10.21437/interspeech."):
        return "INTERSPEECH"
    return None


def _by_full_name(key: str, vocabulary: Vocabulary) -> str | None:
    """A venue whose full name, punctuation aside, holds ``key`` or is held by it.

    "IEEE International Conference on Acoustics, Speech, and Signal Processing" (with
    the serial comma) meets ICASSP's full name; "Spoken Language Technology Workshop"
    meets SLT's. Three words at least, so "Workshop" alone names nothing.
    """
    if len(key.split()) < 3:
        return None
    for venue in vocabulary.venues:
        full = " ".join(words(venue.full_name))
        if venue.kind != "preprint" and full and (full in key or key in full):
            return venue.name
    return None


def _is_catalog_preprint(paper: Paper, vocabulary: Vocabulary) -> bool:
    venue = vocabulary.venue(paper.venue)
    return venue is None or venue.kind == "preprint"


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def is_official(url: str | None, extra_hosts: Sequence[str] = ()) -> bool:
    """Whether ``url`` is a publisher's or proceedings' page (or a DOI link)."""
    if not url:
        return False
    host = host_of(url)
    hosts = (*OFFICIAL_HOSTS, *(h.lower().removeprefix("www.") for h in extra_hosts))
    return host.startswith("proceedings.") or any(
        host == h or host.endswith("." + h) for h in hosts
    )


def official_url(record: Record, extra_hosts: Sequence[str] = ()) -> str | None:
    """The record's own page if it is official, else its DOI link, else None."""
    if record.url and is_official(record.url, extra_hosts):
        return record.url
    doi = record.doi
    return (
        f"https://doi.org/{doi}" if doi and not doi.lower().startswith(ARXIV_DOI_PREFIX) else None
    )


# --- proposals ---------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return fold(_SPACES.sub(" ", a.strip())) == fold(_SPACES.sub(" ", b.strip()))
    return bool(a == b)


def propose(
    paper: Paper,
    found: Match,
    vocabulary: Vocabulary,
    extra_hosts: Sequence[str] = (),
) -> list[Proposal]:
    """What ``found`` says about ``paper`` that the catalog does not (or says otherwise)."""
    record = found.record
    out: list[Proposal] = []

    def add(field: str, old: Any, new: Any, action: str, note: str = "") -> None:
        evidence = found.evidence + (f"; {note}" if note else "")
        out.append(Proposal(paper.id, field, old, new, record.source, evidence, action))

    preprint = _is_catalog_preprint(paper, vocabulary)
    venue = map_venue(record, vocabulary)
    if venue is None and record.venue and preprint:
        kind = record.kind or "conference"
        add(
            "venue",
            paper.venue,
            record.venue,
            "manual",
            f"not a venue of this catalog: declare it under [catalog.venues] (kind {kind!r})",
        )
    elif venue is not None and venue != paper.venue:
        note = f"{record.source} names {record.venue!r}" if record.venue else ""
        add("venue", paper.venue, venue, "fill" if preprint else "diff", note)
        if record.year is not None and record.year != paper.year:
            add("year", paper.year, record.year, "fill" if preprint else "diff")
    elif venue is not None and record.year is not None and record.year != paper.year:
        add("year", paper.year, record.year, "diff", f"{record.source} dates it {record.year}")

    doi = record.doi
    if doi and not doi.lower().startswith(ARXIV_DOI_PREFIX):
        if not paper.doi:
            add("doi", None, doi, "fill")
        elif not _same(paper.doi, doi):
            add("doi", paper.doi, doi, "diff")

    url = official_url(record, extra_hosts)
    if url and not paper.venue_url and preprint and venue is None:
        # A venue page on a paper still listed as arXiv would read as an arXiv link.
        add("venue_url", None, url, "manual", "set the venue first")
    elif url and not paper.venue_url:
        add("venue_url", None, url, "fill")
    elif url and paper.venue_url and not is_official(paper.venue_url, extra_hosts):
        add("venue_url", paper.venue_url, url, "diff", "the catalog links a secondary page")
    return out


def merge(proposals: Sequence[Proposal]) -> list[Proposal]:
    """One proposal per (paper, field): the first source's, with agreeing sources named.

    When sources disagree on a value, the field is left for a person ("manual").
    """
    merged: dict[tuple[str, str], Proposal] = {}
    for proposal in proposals:
        key = (proposal.paper_id, proposal.field)
        first = merged.get(key)
        if first is None:
            merged[key] = proposal
        elif _same(first.new, proposal.new):
            if proposal.source not in first.source.split("+"):
                merged[key] = _with(first, source=f"{first.source}+{proposal.source}")
        elif first.action != "manual":
            merged[key] = _with(
                first,
                action="manual",
                evidence=f"{first.evidence}; {proposal.source} says {proposal.new!r} instead",
            )
    return list(merged.values())


def _with(proposal: Proposal, **changes: Any) -> Proposal:
    from dataclasses import replace

    return replace(proposal, **changes)


def updates(proposals: Iterable[Proposal], overwrite: bool) -> dict[str, dict[str, Any]]:
    """The writable changes, merged per paper id, in report order."""
    out: dict[str, dict[str, Any]] = {}
    for proposal in proposals:
        if proposal.writable(overwrite):
            out.setdefault(proposal.paper_id, {})[proposal.field] = proposal.new
    return out
