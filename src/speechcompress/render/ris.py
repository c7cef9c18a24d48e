"""RIS, the tagged format every reference manager imports (EndNote, Zotero, Mendeley).

Types: ``CPAPER`` (conference and workshop papers), ``JOUR`` (journals), ``RPRT``
(reports) and ``UNPB`` (preprints). Each line is ``TAG  - value``; a record ends with
``ER  -``. Values are single lines: the catalog forbids line breaks in short fields,
and abstracts are folded onto one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from speechcompress.paper import Catalog, Paper
from speechcompress.render.bibtex import citation_keys
from speechcompress.render.names import split_name

RIS_TYPES = {
    "conference": "CPAPER",
    "workshop": "CPAPER",
    "journal": "JOUR",
    "report": "RPRT",
    "preprint": "UNPB",
}


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris_record(paper: Paper, key: str, catalog: Catalog) -> str:
    """One paper as an RIS record (its lines, ending with ``ER  -``)."""
    venue = catalog.vocabulary.venue(paper.venue)
    kind = venue.kind if venue else "preprint"
    venue_name = (venue.full_name or venue.name) if venue else paper.venue
    lines = [_line("TY", RIS_TYPES[kind]), _line("ID", key), _line("TI", paper.title)]
    for name in paper.authors:
        split = split_name(name)
        lines.append(_line("AU", f"{split[1]}, {split[0]}" if split else name))
    lines.append(_line("PY", str(paper.year)))
    if paper.published:
        lines.append(_line("DA", paper.published.strftime("%Y/%m/%d")))
    if kind == "journal":
        lines.append(_line("JO", venue_name))
    elif kind == "preprint":
        lines.append(_line("PB", venue_name))
    else:
        lines.append(_line("T2", venue_name))
    if paper.doi:
        lines.append(_line("DO", paper.doi))
    for url in (paper.venue_url, paper.arxiv_url, paper.code):
        if url:
            lines.append(_line("UR", url))
    if paper.arxiv:
        lines.append(_line("N1", f"arXiv:{paper.arxiv}"))
    for keyword in (*paper.methods, *paper.models):
        lines.append(_line("KW", keyword))
    if paper.abstract:
        lines.append(_line("AB", paper.abstract))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def render_ris(
    papers: Sequence[Paper], catalog: Catalog, universe: Sequence[Paper] | None = None
) -> str:
    """RIS records of ``papers``, in the order given, separated by blank lines.

    Ids are the BibTeX keys, decided over ``universe`` (pass the whole catalog), so a
    filtered export names each paper as ``scc export --format bibtex`` and ``scc cite`` do.
    """
    keys = citation_keys(papers, universe)
    return "\n".join(ris_record(p, k, catalog) for p, k in zip(papers, keys, strict=True))
