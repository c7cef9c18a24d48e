"""Ask bibliographic sources about catalog papers and collect what they propose.

This module decides which papers to ask about and which source to ask, in what order;
the sources (:mod:`speechcompress.net.sources`) only fetch and parse, and the rules that
take or refuse a record live in :mod:`speechcompress.published`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechcompress.paper import Paper
from speechcompress.published import (
    Match,
    Proposal,
    Rejection,
    is_official,
    match,
    merge,
    propose,
    updates,
)
from speechcompress.vocab import Vocabulary

if TYPE_CHECKING:
    from speechcompress.net.sources.base import Query, Source


@dataclass
class Findings:
    """What the sources said about the papers asked about."""

    checked: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    #: (paper id, rejection) for each candidate a source offered and the rules refused.
    rejected: list[tuple[str, Rejection]] = field(default_factory=list)

    def pending(self, overwrite: bool) -> list[Proposal]:
        return [p for p in self.proposals if p.writable(overwrite)]


def needs_lookup(paper: Paper, vocabulary: Vocabulary, extra_hosts: Sequence[str] = ()) -> bool:
    """Whether a source could still add something: a preprint venue, no DOI, or no
    official page."""
    venue = vocabulary.venue(paper.venue)
    return (
        venue is None
        or venue.kind == "preprint"
        or not paper.doi
        or not is_official(paper.venue_url, extra_hosts)
    )


def _complete(
    paper: Paper, proposals: Sequence[Proposal], vocabulary: Vocabulary, hosts: Sequence[str]
) -> bool:
    """Whether ``paper`` plus ``proposals`` has a published venue, a DOI and an official page."""
    fields = {p.field for p in proposals if p.action != "manual"}
    venue = vocabulary.venue(paper.venue)
    published = "venue" in fields or (venue is not None and venue.kind != "preprint")
    page = "venue_url" in fields or is_official(paper.venue_url, hosts)
    return published and page and ("doi" in fields or bool(paper.doi))


def query_for(paper: Paper) -> Query:
    from speechcompress.net.sources.base import Query

    return Query(
        title=paper.title,
        first_author=paper.authors[0] if paper.authors else None,
        year=paper.year,
        arxiv=paper.arxiv,
    )


def best_match(
    paper: Paper, records: Iterable[Any], vocabulary: Vocabulary
) -> tuple[Match | None, list[Rejection]]:
    """The record to take for ``paper`` among ``records``, and those refused.

    Two taken records with different DOIs make the answer ambiguous: none is taken.
    """
    taken: list[Match] = []
    refused: list[Rejection] = []
    for record in records:
        verdict = match(paper, record, vocabulary)
        if isinstance(verdict, Match):
            taken.append(verdict)
        else:
            refused.append(verdict)
    dois = {(m.record.doi or "").lower() for m in taken if m.record.doi}
    if len(dois) > 1:
        refused += [Rejection(m.record, "ambiguous: several matching records") for m in taken]
        return None, refused
    taken.sort(key=lambda m: not m.evidence.startswith("same title"))
    return (taken[0] if taken else None), refused


def find_published(
    papers: Sequence[Paper],
    sources: Sequence[Source],
    vocabulary: Vocabulary,
    extra_hosts: Sequence[str] = (),
    *,
    every_paper: bool = False,
) -> Findings:
    """Ask each source about each paper that needs it (all with ``every_paper``).

    A source that fails raises its :class:`~speechcompress.errors.NetworkError`, which
    names it.
    """
    findings = Findings()
    raw: list[Proposal] = []
    for paper in papers:
        if not every_paper and not needs_lookup(paper, vocabulary, extra_hosts):
            continue
        findings.checked.append(paper.id)
        query = query_for(paper)
        mine: list[Proposal] = []
        for source in sources:
            found, refused = best_match(paper, source.lookup(query), vocabulary)
            findings.rejected += [(paper.id, r) for r in refused]
            if found is not None:
                mine += propose(paper, found, vocabulary, extra_hosts)
            # Politeness: once venue, DOI and page are known, the next sources are spared.
            if _complete(paper, mine, vocabulary, extra_hosts):
                break
        raw += mine
    findings.proposals = merge(raw)
    return findings


def write_proposals(path: Path, proposals: Sequence[Proposal], overwrite: bool) -> Iterator[str]:
    """Write the writable proposals, one locked atomic write per paper; yields each id."""
    from speechcompress.writer import update_paper_fields

    for paper_id, fields in updates(proposals, overwrite).items():
        update_paper_fields(path, paper_id, fields)
        yield paper_id


#: Every source ``scc refresh --source`` accepts, arXiv first.
ALL_SOURCES = ("arxiv", "dblp", "crossref", "openalex", "semanticscholar")
#: The sources used when ``--source`` is not given (comma-separated); default: all.
ENV_SOURCES = "SCC_SOURCES"
_SOURCE_ALIASES = {"s2": "semanticscholar", "semantic-scholar": "semanticscholar"}


def choose_sources(value: str | None, environ: Mapping[str, str] | None = None) -> list[str]:
    """The sources named in ``value`` ("arxiv,dblp"), else ``$SCC_SOURCES``, else all.

    Unknown names are a :class:`~speechcompress.errors.UsageError` with a suggestion.
    """
    import os

    from speechcompress.errors import UsageError
    from speechcompress.vocab import suggest

    environ = os.environ if environ is None else environ
    origin = "--source"
    if value is None:
        value, origin = environ.get(ENV_SOURCES) or ",".join(ALL_SOURCES), f"${ENV_SOURCES}"
    chosen: list[str] = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        name = _SOURCE_ALIASES.get(name, name)
        if name not in ALL_SOURCES:
            guess = suggest(name, ALL_SOURCES)
            raise UsageError(
                f"{origin}: unknown source {part.strip()!r}",
                hint=f"did you mean {guess!r}?" if guess else f"use {', '.join(ALL_SOURCES)}",
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UsageError(f"{origin} names no source", hint=f"use {', '.join(ALL_SOURCES)}")
    return chosen


def make_sources(names: Sequence[str], *, use_cache: bool = True) -> list[Source]:
    """The bibliographic sources among ``names`` (``arxiv`` is not one: it has its own client)."""
    from speechcompress.net.sources import make_source

    return [make_source(n, use_cache=use_cache) for n in names if n != "arxiv"]
