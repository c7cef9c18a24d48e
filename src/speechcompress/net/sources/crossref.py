"""Crossref: the DOI registry for IEEE, ISCA, ACL and most publishers.

Looked up by title and first author (Crossref maps no arXiv ids):
``GET /works?query.bibliographic=<title>&query.author=<name>&rows=5``; the answer's
``message.items`` each hold ``DOI``, ``title`` and ``container-title`` (lists),
``author`` (``given``/``family``), ``issued.date-parts``, ``type`` and ``URL``.
A DOI is read with ``GET /works/<doi>`` (404 when Crossref never registered it).

Pace: one request a second, with ``mailto`` (``$SCC_MAILTO``) so requests join the
polite pool, as Crossref's "Access and authentication" page recommends. Both pools allow
more than that per second; one at a time keeps well inside the concurrency limit too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from speechcompress.net.sources.base import Query, Record, bare_doi
from speechcompress.net.sources.fetch import Fetcher, SourceSettings

ENV_API = "SCC_CROSSREF_API"
DEFAULT_API_URL = "https://api.crossref.org"

_KINDS = {
    "proceedings-article": "conference",
    "journal-article": "journal",
    "posted-content": "preprint",
}


def settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """Crossref's defaults (before the environment is read)."""
    del environ
    return SourceSettings(
        name="crossref", label="Crossref", api_url=DEFAULT_API_URL, env_api=ENV_API
    )


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _year(item: Mapping[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online"):
        parts = (item.get(key) or {}).get("date-parts") if isinstance(item.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, int):
                return first
    return None


def _author(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return None
    name = " ".join(p for p in (entry.get("given"), entry.get("family")) if isinstance(p, str))
    return name.strip() or _first(entry.get("name"))


def parse_item(item: Mapping[str, Any], found_by: str = "title") -> Record | None:
    """One work of a Crossref answer as a :class:`Record` (None without a title)."""
    title = _first(item.get("title"))
    if not title:
        return None
    doi = bare_doi(_first(item.get("DOI")))
    event = item.get("event")
    venue = _first(item.get("container-title")) or (
        _first(event.get("name")) if isinstance(event, dict) else None
    )
    return Record(
        source="crossref",
        title=" ".join(title.split()),
        authors=tuple(a for a in (_author(x) for x in item.get("author") or []) if a),
        year=_year(item),
        venue=venue,
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else None,
        kind=_KINDS.get(_first(item.get("type")) or ""),
        record_url=f"{DEFAULT_API_URL}/works/{doi}" if doi else None,
        found_by=found_by,
    )


def parse_works(data: Any) -> list[Record]:
    """The works of a ``/works`` search answer."""
    message = data.get("message") if isinstance(data, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    records = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            record = parse_item(item)
            if record is not None:
                records.append(record)
    return records


@dataclass
class CrossrefSource:
    """Crossref's works search and DOI lookup."""

    fetcher: Fetcher
    name: str = "crossref"

    def lookup(self, query: Query) -> list[Record]:
        params = {"query.bibliographic": query.title, "rows": "5"}
        if query.first_author:
            params["query.author"] = query.first_author
        return parse_works(self.fetcher.get_json("/works", self.fetcher.with_contact(params)))

    def by_doi(self, doi: str) -> Record | None:
        path = f"/works/{quote(doi, safe='/')}"
        data = self.fetcher.get_json(path, self.fetcher.with_contact({}))
        message = data.get("message") if isinstance(data, dict) else None
        return parse_item(message, "DOI") if isinstance(message, dict) else None


SOURCE = CrossrefSource
__all__ = ["ENV_API", "SOURCE", "CrossrefSource", "parse_works", "settings"]
