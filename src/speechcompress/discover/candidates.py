"""From search results to proposals: leave out what is known, rank, propose fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from speechcompress.discover.query import catalog_models
from speechcompress.discover.rank import Document, Scored, rank
from speechcompress.discover.triage import Rejection
from speechcompress.errors import UsageError
from speechcompress.paper import Catalog

if TYPE_CHECKING:
    from speechcompress.arxiv import ArxivEntry
    from speechcompress.drafting import Draft
    from speechcompress.paper import Paper


@dataclass(frozen=True)
class Candidate:
    """A paper the catalog lacks, with its score and proposed catalog fields."""

    entry: ArxivEntry
    score: float
    methods: tuple[str, ...]
    models: tuple[str, ...]
    venue: str
    year: int
    scored: Scored
    #: Titles of the nearest catalogued papers, by catalog id.
    neighbour_titles: tuple[tuple[str, str, float], ...] = ()

    @property
    def why(self) -> str:
        """One line: the nearest catalogued papers, then the terms that weighed most."""
        near = ", ".join(f"{pid} ({sim:.2f})" for pid, _, sim in self.neighbour_titles)
        terms = ", ".join(self.scored.terms[:8])
        parts = [f"near {near}" if near else "", f"terms: {terms}" if terms else ""]
        return "; ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        """Stable field names for ``--format json``."""
        e = self.entry
        return {
            "arxiv": e.arxiv_id,
            "title": e.title,
            "score": self.score,
            "methods": list(self.methods),
            "models": list(self.models),
            "venue": self.venue,
            "year": self.year,
            "authors": list(e.authors),
            "published": e.published.isoformat(),
            "url": e.url,
            "why": self.why,
            "nearest": [
                {"id": pid, "title": title, "similarity": sim}
                for pid, title, sim in self.neighbour_titles
            ],
            "terms": list(self.scored.terms),
            "facets": {
                "speech": self.scored.speech,
                "compression": self.scored.compression,
                "similarity": self.scored.similarity,
            },
        }


def _document(key: str, title: str, text: str, categories: Sequence[str] = ()) -> Document:
    return Document(key=key, title=title, text=text, categories=tuple(categories))


def catalogued_document(paper: Paper) -> Document:
    text = " ".join(t for t in (paper.summary, paper.abstract) if t)
    return _document(paper.id, paper.title, text)


def propose_models(entry: ArxivEntry, models: Sequence[str]) -> tuple[str, ...]:
    """The catalog's model names that the title or abstract mentions, in catalog order."""
    text = f"{entry.title} {entry.abstract}"
    found = []
    for name in models:
        # "Whisper-large-v2" mentions Whisper; "DistilHuBERT" is not HuBERT.
        pattern = r"(?<![\w-])" + r"[\s-]*".join(map(re.escape, name.split())) + r"(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            found.append(name)
    return tuple(found)


def unknown_entries(
    catalog: Catalog, entries: Sequence[ArxivEntry], rejected: Sequence[Rejection]
) -> list[ArxivEntry]:
    """``entries`` less the catalog's papers (arXiv id, DOI, title) and rejected ones."""
    from speechcompress.duplicates import DuplicateIndex
    from speechcompress.paper import Paper

    index = DuplicateIndex(catalog.papers)
    refused = {r.arxiv for r in rejected}
    out = []
    for entry in entries:
        if entry.arxiv_id in refused or entry.withdrawn:
            continue
        probe = Paper(
            id="candidate",
            title=entry.title,
            year=entry.year,
            venue="arXiv",
            arxiv=entry.arxiv_id,
            doi=entry.doi,
        )
        if index.find(probe) is None:
            index.add(probe)  # the same paper twice in the results is proposed once
            out.append(entry)
    return out


def refuse_empty(catalog: Catalog) -> None:
    """A :class:`UsageError` for a catalog with no papers: nothing to learn relevance from."""
    if not catalog.papers:
        raise UsageError(
            "the catalog has no papers to learn from",
            hint="add a few with `scc add ARXIV_ID` first",
        )


def find_candidates(
    catalog: Catalog,
    entries: Sequence[ArxivEntry],
    *,
    rejected: Sequence[Rejection] = (),
    limit: int | None = None,
) -> list[Candidate]:
    """The papers of ``entries`` the catalog lacks, most relevant first.

    Raises :class:`UsageError` for a catalog with no papers: there is nothing to learn
    relevance from.
    """
    from speechcompress.venue_infer import infer_venue, propose_methods

    refuse_empty(catalog)
    fresh = unknown_entries(catalog, entries, rejected)
    models = catalog_models(catalog.papers)
    known = [catalogued_document(p) for p in catalog.papers]
    negatives = [_document(r.arxiv, r.title, r.abstract) for r in rejected]
    docs = [
        _document(e.arxiv_id, e.title, e.abstract, (*e.categories, e.primary_category or ""))
        for e in fresh
    ]
    scored = rank(docs, known, rejected=negatives, models=models)
    by_id = {e.arxiv_id: e for e in fresh}
    titles = {p.id: p.title for p in catalog.papers}
    vocabulary = catalog.vocabulary
    out: list[Candidate] = []
    for s in scored[:limit] if limit is not None else scored:
        entry = by_id[s.key]
        guess = infer_venue(
            entry.journal_ref, entry.comment, vocabulary, first_version_year=entry.year
        )
        out.append(
            Candidate(
                entry=entry,
                score=s.score,
                methods=propose_methods(entry.title, entry.abstract),
                models=propose_models(entry, models),
                venue=guess.venue if guess else "arXiv",
                year=guess.year if guess and guess.year else entry.year,
                scored=s,
                neighbour_titles=tuple((pid, titles[pid], sim) for pid, sim in s.neighbours),
            )
        )
    return out


def draft_accepted(catalog: Catalog, entries: Sequence[ArxivEntry]) -> list[Draft]:
    """Catalog papers for accepted ``entries``, as ``scc add`` drafts them, with the
    catalog's model names the paper mentions. Raises :class:`DuplicateError` for a
    paper already catalogued."""
    from speechcompress.drafting import draft_paper, new_drafts

    models = catalog_models(catalog.papers)
    return new_drafts(
        catalog,
        entries,
        lambda entry, pid: draft_paper(
            entry, catalog.vocabulary, paper_id=pid, models=propose_models(entry, models)
        ),
    )
