"""What every bibliographic source gives back, and the shape a source has.

A source answers a :class:`Query` (a catalog paper's title, first author, year and arXiv
id) with :class:`Record` candidates, as the source wrote them. Deciding whether a
candidate *is* the paper is not a source's business: :mod:`speechcompress.published`
does that, with the same strict rules for every source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Query:
    """What scc knows about a paper when it asks a source about it."""

    title: str
    first_author: str | None = None
    year: int | None = None
    arxiv: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One publication as a source describes it (nothing mapped or judged yet)."""

    #: The source's name: ``dblp``, ``crossref``, ``openalex``, ``semanticscholar``.
    source: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    #: The venue as the source writes it ("INTERSPEECH", "ICASSP 2023 - 2023 IEEE ...").
    venue: str | None = None
    #: A publisher DOI, bare (``10.21437/...``), lower or mixed case as given.
    doi: str | None = None
    #: The paper's page the source links to (DBLP's ``ee``, OpenAlex's landing page).
    url: str | None = None
    #: "conference", "journal", "preprint" or None when the source does not say.
    kind: str | None = None
    #: Where a person can see the record itself.
    record_url: str | None = None
    #: How the record was found: "arXiv id", "title" or "DOI".
    found_by: str = "title"


class Source(Protocol):
    """A bibliographic service scc can ask about a paper."""

    #: The name used on the command line and in reports.
    name: str

    def lookup(self, query: Query) -> list[Record]:
        """Candidates for ``query``: by arXiv id where the source maps ids, else by title."""
        ...

    def by_doi(self, doi: str) -> Record | None:
        """The record for ``doi``, or None when the source does not know it."""
        ...


#: DOIs that name an arXiv preprint (DataCite's arXiv prefix), never a published version.
ARXIV_DOI_PREFIX = "10.48550/"


def bare_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1/X`` or ``doi:10.1/X`` -> ``10.1/X``; None for anything else."""
    if not value:
        return None
    text = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    return text if text.startswith("10.") and "/" in text else None
