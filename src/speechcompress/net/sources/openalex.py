"""OpenAlex: works merged across arXiv, Crossref and publishers.

Looked up by arXiv id. OpenAlex's ``ids`` object holds no arXiv id (its documented
filters list ``doi``, ``ids.pmid``, ``ids.mag`` ... but no ``ids.arxiv``), so the lookup
filters on the arXiv landing page among a work's locations:
``GET /works?filter=locations.landing_page_url:https://arxiv.org/abs/<id>|http://...``.
Each result holds ``display_name``, ``authorships[].author.display_name``,
``publication_year``, ``doi`` (a URL), ``type`` and ``primary_location``
(``landing_page_url``, ``source.display_name``, ``source.type``). Without an arXiv id the
title is searched (``filter=title.search:<title>``). ``scc add`` with a publisher's page
(an ISCA archive URL) uses the same landing-page filter with every spelling of that page,
and takes only a work one of whose locations is that page.

Pace: one request a second, with ``mailto`` (``$SCC_MAILTO``) for the polite pool.
OpenAlex allows at most 10 requests a second and a daily budget per user; a catalog
refresh needs one request per paper, so a slow steady pace costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from speechcompress.net.sources.base import Query, Record, bare_doi
from speechcompress.net.sources.fetch import Fetcher, SourceSettings

ENV_API = "SCC_OPENALEX_API"
DEFAULT_API_URL = "https://api.openalex.org"

_KINDS = {"journal": "journal", "conference": "conference", "repository": "preprint"}


def settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """OpenAlex's defaults (before the environment is read)."""
    del environ
    return SourceSettings(
        name="openalex", label="OpenAlex", api_url=DEFAULT_API_URL, env_api=ENV_API
    )


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        mapping = mapping.get(key) if isinstance(mapping, dict) else None
    return mapping


def parse_work(work: Mapping[str, Any], found_by: str = "title") -> Record | None:
    """One OpenAlex work as a :class:`Record` (None without a title)."""
    title = work.get("display_name") or work.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    primary = work.get("primary_location")
    source_type = _get(primary, "source", "type")
    kind = "preprint" if work.get("type") == "preprint" else _KINDS.get(source_type or "")
    year = work.get("publication_year")
    return Record(
        source="openalex",
        title=" ".join(title.split()),
        authors=tuple(
            name
            for name in (_get(a, "author", "display_name") for a in work.get("authorships") or [])
            if isinstance(name, str) and name.strip()
        ),
        year=year if isinstance(year, int) else None,
        venue=_get(primary, "source", "display_name"),
        doi=bare_doi(work.get("doi") if isinstance(work.get("doi"), str) else None),
        url=_get(primary, "landing_page_url"),
        kind=kind,
        record_url=work.get("id") if isinstance(work.get("id"), str) else None,
        found_by=found_by,
    )


def parse_works(data: Any, found_by: str = "title") -> list[Record]:
    """The works of a ``/works`` list answer."""
    results = data.get("results") if isinstance(data, dict) else None
    records = []
    for work in results if isinstance(results, list) else []:
        if isinstance(work, dict):
            record = parse_work(work, found_by)
            if record is not None:
                records.append(record)
    return records


def _locations(work: Mapping[str, Any]) -> list[Any]:
    """The work's primary location, then all its locations (``landing_page_url``, ``source``)."""
    return [work.get("primary_location"), *(work.get("locations") or [])]


@dataclass
class OpenAlexSource:
    """OpenAlex's works list, filtered by arXiv landing page or title."""

    fetcher: Fetcher
    name: str = "openalex"

    def lookup(self, query: Query) -> list[Record]:
        if query.arxiv:
            pages = "|".join(f"{s}://arxiv.org/abs/{query.arxiv}" for s in ("https", "http"))
            params = {"filter": f"locations.landing_page_url:{pages}", "per-page": "5"}
            found = self.fetcher.get_json("/works", self.fetcher.with_contact(params))
            return parse_works(found, "arXiv id")
        # Words only: a comma ends a filter value, a pipe means OR.
        title = " ".join(re.findall(r"\w+", query.title))
        params = {"filter": f"title.search:{title}", "per-page": "5"}
        return parse_works(self.fetcher.get_json("/works", self.fetcher.with_contact(params)))

    def by_doi(self, doi: str) -> Record | None:
        data = self.fetcher.get_json(f"/works/doi:{doi}", self.fetcher.with_contact({}))
        return parse_work(data, "DOI") if isinstance(data, dict) else None

    def by_landing_page(self, pages: Sequence[str]) -> list[Record]:
        """The works with a location whose landing page is one of ``pages`` (spellings of
        one page), each with that page as its ``url``. Exact matches only (case aside)."""
        wanted = {p.lower() for p in pages}
        # A comma ends a filter value: no page spelling may hold one.
        spellings = "|".join(p for p in pages if "," not in p)
        params = {"filter": f"locations.landing_page_url:{spellings}", "per-page": "5"}
        data = self.fetcher.get_json("/works", self.fetcher.with_contact(params))
        results = data.get("results") if isinstance(data, dict) else None
        found = []
        for work in results if isinstance(results, list) else []:
            if not isinstance(work, dict):
                continue
            place = next(
                (
                    p
                    for p in _locations(work)
                    if str(_get(p, "landing_page_url") or "").lower() in wanted
                ),
                None,
            )
            record = parse_work(work, "landing page") if place is not None else None
            if record is None:
                continue
            # The venue of that page's location, where OpenAlex names one.
            venue = _get(place, "source", "display_name")
            kind = _KINDS.get(_get(place, "source", "type") or "")
            found.append(
                replace(
                    record,
                    url=_get(place, "landing_page_url"),
                    venue=venue if isinstance(venue, str) and venue.strip() else record.venue,
                    kind=kind or record.kind,
                )
            )
        return found


SOURCE = OpenAlexSource
__all__ = ["ENV_API", "SOURCE", "OpenAlexSource", "parse_works", "settings"]
