"""DBLP: computer-science proceedings and journals, with DOIs and ``ee`` links.

Looked up by title (DBLP maps no arXiv ids to published versions): ``GET
/search/publ/api?q=<title>&format=json&h=10``; each hit's ``info`` holds ``title``
(ending in "."), ``authors.author`` (one object or a list of ``{"@pid", "text"}``),
``venue``, ``year``, ``type``, ``doi``, ``ee`` and ``url``.

Pace: one request every 2 s. DBLP's FAQ ("Am I allowed to crawl the dblp website?")
asks scripts to wait "at least one or two seconds between two consecutive requests" and
answers 429 with Retry-After past its limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from speechcompress.errors import NetworkError
from speechcompress.net.sources.base import Query, Record, bare_doi
from speechcompress.net.sources.fetch import Fetcher, SourceSettings

ENV_API = "SCC_DBLP_API"
DEFAULT_API_URL = "https://dblp.org"

#: DBLP's publication types, as scc's venue kinds.
_KINDS = {
    "Conference and Workshop Papers": "conference",
    "Journal Articles": "journal",
    "Informal and Other Publications": "preprint",
    "Informal Publications": "preprint",
}
# DBLP tells namesakes apart with a four-digit suffix: "Yifan Peng 0001".
_HOMONYM = re.compile(r"\s+\d{4}$")


def settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """DBLP's defaults (before the environment is read)."""
    del environ
    return SourceSettings(
        name="dblp", label="DBLP", api_url=DEFAULT_API_URL, env_api=ENV_API, min_interval=2.0
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("text")
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_hit(info: Mapping[str, Any]) -> Record | None:
    """One search hit's ``info`` as a :class:`Record` (None without a title)."""
    title = _text(info.get("title"))
    if not title:
        return None
    authors = tuple(
        _HOMONYM.sub("", name)
        for name in (_text(a) for a in _list((info.get("authors") or {}).get("author")))
        if name
    )
    year_text = _text(info.get("year"))
    venues = [v for v in (_text(x) for x in _list(info.get("venue"))) if v]
    links = [u for u in (_text(x) for x in _list(info.get("ee"))) if u]
    from_links = [d for d in (bare_doi(u) for u in links) if d]
    doi = bare_doi(_text(info.get("doi"))) or (from_links[0] if from_links else None)
    official = next((u for u in links if "arxiv.org" not in u), None)
    return Record(
        source="dblp",
        title=title.removesuffix("."),
        authors=authors,
        year=int(year_text) if year_text and year_text.isdigit() else None,
        venue=venues[0] if venues else None,
        doi=doi,
        url=official,
        kind=_KINDS.get(_text(info.get("type")) or ""),
        record_url=_text(info.get("url")),
    )


def parse_search(data: Any) -> list[Record]:
    """Every usable hit of a ``/search/publ/api`` JSON answer."""
    if not isinstance(data, dict):
        return []
    hits = ((data.get("result") or {}).get("hits") or {}).get("hit")
    records = []
    for hit in _list(hits):
        info = hit.get("info") if isinstance(hit, dict) else None
        if isinstance(info, dict):
            record = parse_hit(info)
            if record is not None:
                records.append(record)
    return records


def parse_record_xml(body: bytes) -> Record | None:
    """A record page's XML (``/rec/<key>.xml``): ``<dblp><inproceedings|article ...>``
    with ``author``, ``title``, ``year``, ``booktitle`` or ``journal`` and ``ee``."""
    # defusedxml ships no type hints (types-defusedxml is not a dependency).
    from defusedxml import ElementTree  # type: ignore[import-untyped]

    root = ElementTree.fromstring(body)
    item = next(iter(root), None) if root.tag == "dblp" else root
    if item is None:
        return None

    def texts(tag: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in item.findall(tag)]

    title = next(iter(texts("title")), "")
    if not title:
        return None
    year = next(iter(texts("year")), "")
    venue = next(iter(texts("booktitle") + texts("journal")), None)
    links = texts("ee")
    from_links = [d for d in (bare_doi(u) for u in links) if d]
    preprint = item.get("publtype") == "informal" or venue == "CoRR"
    kind = "preprint" if preprint else {"article": "journal"}.get(item.tag, "conference")
    key = item.get("key")
    return Record(
        source="dblp",
        title=title.removesuffix("."),
        authors=tuple(_HOMONYM.sub("", a) for a in texts("author")),
        year=int(year) if year.isdigit() else None,
        venue=venue,
        doi=from_links[0] if from_links else None,
        url=next((u for u in links if "arxiv.org" not in u), None),
        kind=kind,
        record_url=f"https://dblp.org/rec/{key}" if key else None,
        found_by="DBLP key",
    )


@dataclass
class DblpSource:
    """DBLP's publication search."""

    fetcher: Fetcher
    name: str = "dblp"

    def lookup(self, query: Query) -> list[Record]:
        # Words only: "|" and a leading "-" are operators in DBLP's query syntax.
        words = " ".join(re.findall(r"\w+", query.title))
        data = self.fetcher.get_json("/search/publ/api", {"q": words, "format": "json", "h": "10"})
        return parse_search(data)

    def by_key(self, key: str) -> Record | None:
        """The record ``key`` (``conf/interspeech/...``), read from its XML page."""
        from urllib.parse import quote

        def decode(body: bytes, url: str) -> Record | None:
            try:
                return parse_record_xml(body)
            except Exception as exc:  # defusedxml and expat raise several kinds
                raise NetworkError(
                    f"DBLP at {self.fetcher.settings.api_url} sent a record that is not "
                    f"XML ({type(exc).__name__})",
                    hint=f"check ${ENV_API}, or try again later",
                ) from None

        result: Record | None = self.fetcher.get(f"/rec/{quote(key)}.xml", {}, decode)
        return result

    def by_doi(self, doi: str) -> Record | None:
        # DBLP's search indexes DOIs as words; the strict matching happens upstream.
        data = self.fetcher.get_json("/search/publ/api", {"q": doi, "format": "json", "h": "5"})
        return next((r for r in parse_search(data) if (r.doi or "").lower() == doi.lower()), None)


SOURCE = DblpSource
__all__ = ["ENV_API", "SOURCE", "DblpSource", "parse_search", "settings"]
