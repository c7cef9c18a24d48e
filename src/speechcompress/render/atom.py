"""An Atom feed (RFC 4287) of the catalog's papers, newest additions first.

A paper's date in the feed is when it entered the catalog (its ``added`` field, which
every write that adds a paper sets); for a paper without one, the first arXiv version's
date stands in for it, else 1 January of the paper's year. Entry ids are ``urn:uuid:``
names derived from the paper id, so they survive a move of the site.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from speechcompress.paper import Catalog, Paper

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f1c2e0a-5d0b-4c61-9a55-2b8f4a7e3c11")  # scc's own, fixed forever


def added_date(paper: Paper) -> dt.date:
    """When the paper entered the catalog, or the best stand-in for it we have."""
    return paper.added or paper.published or dt.date(paper.year, 1, 1)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _urn(name: str) -> str:
    return uuid.uuid5(_NAMESPACE, name).urn


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """Newest addition first; equal dates keep catalog order."""
    order = sorted(range(len(papers)), key=lambda i: (-added_date(papers[i]).toordinal(), i))
    return [papers[i] for i in order]


def render_atom(
    papers: Sequence[Paper],
    catalog: Catalog,
    *,
    site_url: str | None = None,
    limit: int | None = None,
) -> str:
    """The feed of ``papers`` (at most ``limit``, newest first). With ``site_url`` (the
    published site's address) entries link to their permalinks there."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    entries = newest_first(papers)[:limit]
    _sub(feed, "id", site_url or _urn("catalog:" + catalog.title))
    _sub(feed, "title", catalog.title)
    if catalog.description:
        _sub(feed, "subtitle", catalog.description)
    updated = max((added_date(p) for p in entries), default=dt.date(1970, 1, 1))
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", catalog.title)
    _sub(feed, "generator", "scc")
    if site_url:
        _sub(feed, "link", rel="alternate", type="text/html", href=site_url)
        _sub(feed, "link", rel="self", href=site_url.rstrip("/") + "/feed.xml")
    for paper in entries:
        _entry(feed, paper, site_url)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def _entry(feed: ET.Element, paper: Paper, site_url: str | None) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", _urn("paper:" + paper.id))
    _sub(entry, "title", paper.title)
    _sub(entry, "updated", _stamp(added_date(paper)))
    if paper.published:
        _sub(entry, "published", _stamp(paper.published))
    for name in paper.authors:
        _sub(_sub(entry, "author"), "name", name)
    links = paper.links()
    home = f"{site_url.rstrip('/')}/#{paper.id}" if site_url else None
    main = home or (links[0][1] if links else None)
    if main:
        _sub(entry, "link", rel="alternate", type="text/html", href=main)
    for title, url in links:
        if url != main:
            _sub(entry, "link", rel="related", href=url, title=title)
    for method in paper.methods:
        _sub(entry, "category", term=method, label=method)
    for model in paper.models:
        _sub(entry, "category", term=model, label=model)
    text = f"{paper.venue} {paper.year}." + (f" {paper.summary}" if paper.summary else "")
    _sub(entry, "summary", text, type="text")
    if paper.abstract:
        _sub(entry, "content", paper.abstract, type="text")
