"""The site's ``index.html``: the page's frame, filters and charts, with the papers'
data embedded for the script (``assets/app.js``), which draws, searches and sorts them.

The script draws each paper as an ``<article>`` carrying ``id`` and ``data-paper-id``
(the permalink is ``#ID``) and sets all catalog text with ``textContent``, never as
HTML. The page's own element ids start with a capital letter (``UI-...``): paper ids
are lower-case slugs, so the two can never collide. Catalog text in the frame (title,
description, facet values) is HTML-escaped here.

The cards are drawn by the script rather than written here because the text would
otherwise travel twice (as HTML and as search data): 104 papers must weigh under 200 KB,
and 10,000 papers draw only what is on screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from speechcompress.paper import Catalog, Paper
from speechcompress.query import known_models
from speechcompress.stats import compute_stats
from speechcompress.vocab import METHODS

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_FACET_LABELS = {
    "year": "Year",
    "venue": "Venue",
    "method": "Method",
    "model": "Model",
}


@dataclass(frozen=True)
class PageSection:
    """An extra section of the page, below the papers (e.g. compression results).

    ``body`` is trusted HTML: whoever builds a section escapes its own text (use
    :func:`html.escape`). This is the hook for ``speechcompress.results``: a function
    ``results_section(results) -> PageSection`` passed to :func:`render_page`.
    """

    id: str  # an element id; start it with a capital letter (see the module docstring)
    heading: str
    body: str


def _e(text: str) -> str:
    return escape(text, quote=True)


def _facet(key: str, values: Sequence[tuple[str, int]]) -> str:
    items = "".join(
        f'<li><label><input type="checkbox" name="{key}" value="{_e(value)}">'
        f' {_e(value)} <span class="n">{count}</span></label>'
        for value, count in values
    )
    return (
        f'<fieldset class="facet"><legend>{_FACET_LABELS[key]}</legend><ul>{items}</ul></fieldset>'
    )


def _facets(papers: Sequence[Paper]) -> str:
    stats = compute_stats(papers)
    by_method = dict(stats.by_method)
    by_model = dict(stats.by_model)
    code = sum(1 for p in papers if p.code)
    return "".join(
        [
            _facet("year", stats.by_year),
            _facet("venue", stats.by_venue),
            _facet("method", [(m, by_method[m]) for m in METHODS if m in by_method]),
            _facet("model", [(m, by_model[m]) for m in known_models(papers)]),
            '<fieldset class="facet"><legend>Code</legend>'
            '<label><input type="checkbox" name="code" value="1"> has code'
            f' <span class="n">{code}</span></label></fieldset>',
        ]
    )


def _chart(caption: str, key: str, rows: Sequence[tuple[str, int]]) -> str:
    top = max((n for _, n in rows), default=0) or 1
    body = "".join(
        f'<tr><th scope="row"><a href="{_e("?" + urlencode({key: value}))}">{_e(value)}</a></th>'
        f'<td><span class="bar" style="width:{100 * n / top:.1f}%"></span>'
        f' <span class="bar-count">{n}</span></td></tr>'
        for value, n in rows
    )
    return (
        f'<figure class="chart"><figcaption>{_e(caption)}</figcaption>'
        f'<table><thead><tr><th scope="col">{key.capitalize()}</th>'
        f'<th scope="col">Papers</th></tr></thead><tbody>{body}</tbody></table></figure>'
    )


def _stats(papers: Sequence[Paper]) -> str:
    stats = compute_stats(papers)
    return _chart("Papers per year", "year", stats.by_year) + _chart(
        "Papers per method", "method", stats.by_method
    )


def render_page(
    catalog: Catalog,
    template: str,
    data_json: str,
    *,
    asset_version: str = "",
    feed: bool = True,
    sections: Sequence[PageSection] = (),
) -> str:
    """Fill ``template`` (``assets/index.html``) with the catalog; ``data_json`` is the
    already script-safe JSON of :func:`speechcompress.site.data.site_data`."""
    papers = catalog.papers
    extra = "".join(
        f'<section id="{_e(s.id)}" aria-labelledby="{_e(s.id)}-h">'
        f'<h2 id="{_e(s.id)}-h">{_e(s.heading)}</h2>{s.body}</section>'
        for s in sections
    )
    feed_link = (
        '<link rel="alternate" type="application/atom+xml" title="New papers" href="feed.xml">'
        if feed
        else ""
    )
    feed_anchor = '<a href="feed.xml">Atom feed of new papers</a>' if feed else ""
    values = {
        "TITLE": _e(catalog.title),
        "DESCRIPTION": _e(catalog.description),
        "FOOTER": _e(catalog.footer),
        "FEED_LINK": feed_link,
        "FEED_ANCHOR": feed_anchor,
        "TOTAL": str(len(papers)),
        "FACETS": _facets(papers),
        "STATS": _stats(papers),
        "SECTIONS": extra,
        "DATA": data_json,
        "VERSION": _e(asset_version),
    }
    # One pass, so that a title reading "{{DATA}}" stays text.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
