"""Semantic Scholar: maps arXiv ids to the published version's venue and DOI.

Looked up by arXiv id: ``GET /graph/v1/paper/arXiv:<id>?fields=...`` answers one paper
with ``title``, ``authors[].name``, ``year``, ``venue``, ``publicationVenue`` (``name``,
``type``), ``externalIds`` (``DOI``, ``ArXiv``, ...) and ``publicationTypes``; 404 when
unknown. Without an arXiv id: ``GET /graph/v1/paper/search/match?query=<title>``.

Pace: one request every 3 s. Unauthenticated callers share one pool of 100 requests per
5 minutes; with a key (``$SCC_S2_API_KEY``, sent as ``x-api-key``) the introductory
limit is one request a second, so the pace drops to 1 s.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from speechcompress.net.sources.base import Query, Record, bare_doi
from speechcompress.net.sources.fetch import Fetcher, SourceSettings

ENV_API = "SCC_S2_API"
ENV_KEY = "SCC_S2_API_KEY"
DEFAULT_API_URL = "https://api.semanticscholar.org"
FIELDS = "title,authors,year,venue,publicationVenue,externalIds,publicationTypes"

_KINDS = {"conference": "conference", "journal": "journal"}


def settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """Semantic Scholar's defaults: 3 s apart, or 1 s with an API key."""
    environ = os.environ if environ is None else environ
    key = environ.get(ENV_KEY, "").strip()
    return SourceSettings(
        name="semanticscholar",
        label="Semantic Scholar",
        api_url=DEFAULT_API_URL,
        env_api=ENV_API,
        min_interval=1.0 if key else 3.0,
        backoff=3.0,
        headers=(("x-api-key", key),) if key else (),
    )


def parse_paper(paper: Mapping[str, Any], found_by: str = "arXiv id") -> Record | None:
    """One Graph API paper as a :class:`Record` (None without a title)."""
    title = paper.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    raw_ids = paper.get("externalIds")
    ids: Mapping[str, Any] = raw_ids if isinstance(raw_ids, dict) else {}
    venue_info = paper.get("publicationVenue")
    venue_info = venue_info if isinstance(venue_info, dict) else {}
    venue = paper.get("venue") if isinstance(paper.get("venue"), str) else None
    venue = venue or venue_info.get("name")
    kind = _KINDS.get(str(venue_info.get("type") or "").lower())
    if not kind and venue and venue.strip().lower() in ("arxiv", "arxiv.org"):
        kind = "preprint"
    year = paper.get("year")
    paper_id = paper.get("paperId")
    return Record(
        source="semanticscholar",
        title=" ".join(title.split()),
        authors=tuple(
            a["name"]
            for a in paper.get("authors") or []
            if isinstance(a, dict) and isinstance(a.get("name"), str)
        ),
        year=year if isinstance(year, int) else None,
        venue=venue.strip() if venue and venue.strip() else None,
        doi=bare_doi(ids.get("DOI") if isinstance(ids.get("DOI"), str) else None),
        url=None,
        kind=kind,
        record_url=f"https://www.semanticscholar.org/paper/{paper_id}" if paper_id else None,
        found_by=found_by,
    )


@dataclass
class SemanticScholarSource:
    """The Graph API's paper lookup by arXiv id, DOI or title match."""

    fetcher: Fetcher
    name: str = "semanticscholar"

    def lookup(self, query: Query) -> list[Record]:
        if query.arxiv:
            data = self.fetcher.get_json(
                f"/graph/v1/paper/arXiv:{quote(query.arxiv, safe='')}", {"fields": FIELDS}
            )
            record = parse_paper(data) if isinstance(data, dict) else None
            return [record] if record else []
        data = self.fetcher.get_json(
            "/graph/v1/paper/search/match", {"query": query.title, "fields": FIELDS}
        )
        found = data.get("data") if isinstance(data, dict) else None
        records = [parse_paper(p, "title") for p in found or [] if isinstance(p, dict)]
        return [r for r in records if r]

    def by_doi(self, doi: str) -> Record | None:
        data = self.fetcher.get_json(
            f"/graph/v1/paper/DOI:{quote(doi, safe='/')}", {"fields": FIELDS}
        )
        return parse_paper(data, "DOI") if isinstance(data, dict) else None


SOURCE = SemanticScholarSource
__all__ = ["ENV_API", "ENV_KEY", "SOURCE", "SemanticScholarSource", "parse_paper", "settings"]
