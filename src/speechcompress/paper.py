"""The in-memory records every command works on: plain dataclasses, read-only to mypy.

Pydantic (``models.py``) validates a catalog at the edge; what it accepts becomes these
records. Keeping them free of pydantic is what lets a warm start skip importing it
(~65 ms, most of the start-up budget); ``tests/test_models.py`` keeps the two in step.
The records are not frozen at run time, only to the type checker: see :func:`record`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar, dataclass_transform

from speechcompress.vocab import Venue, Vocabulary

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """A dataclass that is frozen to the type checker and cheap to build at run time.

    ``frozen=True`` sets every field through ``object.__setattr__``: building a Paper
    took ~4.7 us instead of ~0.7 us, and a search that prints 20,000 papers builds
    20,000 of them. So the class is a plain slotted dataclass, hashed like a frozen one,
    and mypy (which reads ``frozen_default``) rejects any assignment to a field.
    """
    return dataclass(slots=True, unsafe_hash=True)(cls)


#: The sane range of publication years.
MIN_YEAR, MAX_YEAR = 1950, 2100

#: The fields of a paper, in the order they are written to TOML and JSON.
PAPER_FIELDS = (
    "id",
    "title",
    "authors",
    "year",
    "venue",
    "venue_url",
    "arxiv",
    "doi",
    "code",
    "methods",
    "models",
    "summary",
    "published",
    "abstract",
)


@record
class Paper:
    """One paper of the catalog, validated."""

    id: str
    title: str
    year: int
    venue: str
    authors: tuple[str, ...] = ()
    venue_url: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    code: str | None = None
    methods: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    summary: str | None = None
    published: dt.date | None = None
    abstract: str | None = None
    #: 1-based line of the paper's ``[[papers]]`` header in its file (0 when unknown).
    line: int = field(default=0, compare=False)

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    def to_dict(self) -> dict[str, Any]:
        """The record with stable field names, JSON-ready (dates as ISO strings)."""
        data = {name: getattr(self, name) for name in PAPER_FIELDS}
        data["authors"] = list(self.authors)
        data["methods"] = list(self.methods)
        data["models"] = list(self.models)
        data["published"] = self.published.isoformat() if self.published else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], line: int = 0) -> Paper:
        """Rebuild a record written by :meth:`to_dict` (already validated)."""
        published = data.get("published")
        return cls(
            id=data["id"],
            title=data["title"],
            year=data["year"],
            venue=data["venue"],
            authors=tuple(data.get("authors") or ()),
            venue_url=data.get("venue_url"),
            arxiv=data.get("arxiv"),
            doi=data.get("doi"),
            code=data.get("code"),
            methods=tuple(data.get("methods") or ()),
            models=tuple(data.get("models") or ()),
            summary=data.get("summary"),
            published=dt.date.fromisoformat(published) if published else None,
            abstract=data.get("abstract"),
            line=line,
        )


@dataclass(frozen=True)
class Catalog:
    """A whole catalog: its header table, its extra venues and its papers in file order."""

    title: str
    description: str = ""
    footer: str = ""
    venues: tuple[Venue, ...] = ()
    papers: tuple[Paper, ...] = ()
    #: The file it was read from (None for one built in memory).
    path: str | None = None
    #: Hosts of official venue pages beyond :data:`speechcompress.published.OFFICIAL_HOSTS`.
    official_hosts: tuple[str, ...] = ()

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.with_extra_venues(self.venues)

    def find(self, key: str) -> Paper | None:
        """The paper with this id or arXiv id (a version suffix is ignored)."""
        from speechcompress.ids import normalize_arxiv_id

        wanted_arxiv = normalize_arxiv_id(key)
        for paper in self.papers:
            if paper.id == key or (wanted_arxiv and paper.arxiv == wanted_arxiv):
                return paper
        return None
