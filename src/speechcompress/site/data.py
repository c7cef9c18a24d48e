"""What the site's script needs to search and filter exactly as ``scc`` does.

The matching rules are ported to JavaScript (``assets/app.js``); the folding of text
into words is not, wherever it is more than lower-casing ASCII: those words are computed
here with the CLI's own functions (:func:`speechcompress.text.words` over
:func:`speechcompress.search.field_texts`), so accents, case and hyphens fold the same
way in the page and in ``scc search``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from speechcompress.paper import MAX_YEAR, MIN_YEAR, Catalog, Paper
from speechcompress.query import known_models, sort_papers
from speechcompress.render.bibtex import citation_keys, render_entry
from speechcompress.search import FIELD_WEIGHTS, PREFIX_FIELDS, field_texts
from speechcompress.text import fold, words
from speechcompress.vocab import METHOD_ALIASES, METHODS

#: The searchable fields, in the order each paper's word lists are written.
FIELDS = tuple(FIELD_WEIGHTS)


def _squash(text: str) -> str:
    return "".join(words(text))


def site_data(catalog: Catalog) -> dict[str, Any]:
    """The JSON the page embeds: per paper its text, filter values, sort rank and BibTeX
    entry (exactly as ``scc export --format bibtex`` writes it for the whole catalog).

    The script splits ASCII text into words itself: for ASCII, ``words`` lower-cases and
    splits on anything but letters and digits, which JavaScript does identically. For
    a field holding other characters the words computed here come along (``w``, by
    field index), as do folded author names (``fa``) and squashed models (``ms``).
    """
    papers = catalog.papers
    vocab = catalog.vocabulary
    keys = citation_keys(papers)
    title_rank = _ranks(papers)
    records = []
    for position, (paper, key) in enumerate(zip(papers, keys, strict=True)):
        record: dict[str, Any] = {
            "id": paper.id,
            "ti": paper.title,
            "a": list(paper.authors),
            "y": paper.year,
            "v": paper.venue,
            "vu": paper.venue_url,
            "ax": paper.arxiv,
            "c": paper.code,
            "d": paper.doi,
            "m": list(paper.methods),
            "mo": list(paper.models),
            "s": paper.summary,
            "ab": paper.abstract,
            "t": title_rank[position],
            "b": render_entry(paper, key, vocab),
        }
        texts = field_texts(paper)
        special = {
            str(i): " ".join(words(texts[name]))
            for i, name in enumerate(FIELDS)
            if not texts[name].isascii()
        }
        if special:
            record["w"] = special
        if not all(a.isascii() for a in paper.authors):
            record["fa"] = [fold(a) for a in paper.authors]
        if not all(m.isascii() for m in paper.models):
            record["ms"] = [_squash(m) for m in paper.models]
        records.append({k: v for k, v in record.items() if v is not None})
    return {
        "fields": list(FIELDS),
        "weights": [FIELD_WEIGHTS[name] for name in FIELDS],
        "prefixFields": {k: list(v) for k, v in PREFIX_FIELDS.items()},
        "years": [MIN_YEAR, MAX_YEAR],
        "venues": [[name, v.name] for v in vocab.venues for name in (v.name, *v.aliases)],
        "methods": [[m, m] for m in METHODS] + [[a, m] for a, m in METHOD_ALIASES.items()],
        "models": known_models(papers),
        "papers": records,
    }


def _ranks(papers: Sequence[Paper]) -> list[int]:
    """Each paper's place in ``scc list --sort title`` order."""
    rank = {id(p): i for i, p in enumerate(sort_papers(papers, "title"))}
    return [rank[id(p)] for p in papers]


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
