"""CSL-JSON (the Citation Style Language's input format) for Zotero, Pandoc and citeproc.

Item types follow CSL 1.0.2: ``paper-conference`` (conferences, workshops),
``article-journal`` (journals), ``article`` (preprints, as the spec advises) and
``report``. Ids and ``citation-key`` are the BibTeX keys ``scc export --format bibtex``
gives, so a document can switch between the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from speechcompress.paper import Catalog, Paper
from speechcompress.render.bibtex import citation_keys
from speechcompress.render.names import split_name

CSL_TYPES = {
    "conference": "paper-conference",
    "workshop": "paper-conference",
    "journal": "article-journal",
    "report": "report",
    "preprint": "article",
}


def csl_item(paper: Paper, key: str, catalog: Catalog) -> dict[str, Any]:
    """One paper as a CSL-JSON item."""
    venue = catalog.vocabulary.venue(paper.venue)
    kind = venue.kind if venue else "preprint"
    item: dict[str, Any] = {"id": key, "citation-key": key, "type": CSL_TYPES[kind]}
    item["title"] = paper.title
    authors = []
    for name in paper.authors:
        split = split_name(name)
        authors.append({"given": split[0], "family": split[1]} if split else {"literal": name})
    if authors:
        item["author"] = authors
    venue_name = (venue.full_name or venue.name) if venue else paper.venue
    if kind == "preprint":
        item["publisher"] = venue_name
    elif kind == "report":
        item["collection-title"] = venue_name
    else:
        item["container-title"] = venue_name
        if kind != "journal":
            item["event-title"] = venue_name
    parts = [paper.year]
    if kind == "preprint" and paper.published and paper.published.year == paper.year:
        parts = [paper.year, paper.published.month, paper.published.day]
    item["issued"] = {"date-parts": [parts]}
    if paper.arxiv:
        item["number" if kind == "preprint" else "note"] = f"arXiv:{paper.arxiv}"
    if paper.doi:
        item["DOI"] = paper.doi
    url = paper.venue_url or paper.arxiv_url
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract
    keywords = [*paper.methods, *paper.models]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def render_csljson(
    papers: Sequence[Paper], catalog: Catalog, universe: Sequence[Paper] | None = None
) -> str:
    """A JSON array of CSL items, one per paper, in the order given.

    Ids are the BibTeX keys, decided over ``universe`` (pass the whole catalog), so a
    filtered export names each paper as ``scc export --format bibtex`` and ``scc cite`` do.
    """
    keys = citation_keys(papers, universe)
    items = [csl_item(p, k, catalog) for p, k in zip(papers, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
