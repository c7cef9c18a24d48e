"""The awesome-list README: ``scc export`` (Markdown is the default format).

One line a paper, in the seed list's format::

    - [[VENUE](venue_url)] [[arXiv](https://arxiv.org/abs/ID)] [[code](url)] Title

A missing venue URL falls back to the DOI link; with neither, it renders as ``()``, as
hand-written lists do. A missing arXiv id or code link leaves its group out. A preprint
(venue arXiv) without a venue URL shows its arXiv link as its only venue group. Text is
escaped so that no title, label or URL can break the link syntax or inject HTML;
:mod:`speechcompress.importers.markdown` reads exactly this back.

Normal form (what round trips byte for byte): no trailing spaces, one blank line
between blocks, a single newline at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import METHODS

START_MARKER = "<!-- scc:start -->"
END_MARKER = "<!-- scc:end -->"
GROUPINGS = ("year", "venue", "method")
UNCLASSIFIED = "unclassified"

# Backslash-escapable characters that could open a link, emphasis, code or HTML.
_TEXT_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_URL_SPECIAL = re.compile(r"([\\()<> ])")


def escape_text(text: str) -> str:
    """Escape a title or label for Markdown; whitespace runs become one space."""
    return _TEXT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def escape_url(url: str) -> str:
    return _URL_SPECIAL.sub(r"\\\1", url)


def paper_line(paper: Paper) -> str:
    """The list item of one paper."""
    groups: list[str] = []
    if not (paper.venue == "arXiv" and paper.arxiv and not paper.venue_url):
        link = paper.venue_url or paper.doi_url or ""
        groups.append(f"[[{escape_text(paper.venue)}]({escape_url(link)})]")
    if paper.arxiv_url:
        groups.append(f"[[arXiv]({escape_url(paper.arxiv_url)})]")
    if paper.code:
        groups.append(f"[[code]({escape_url(paper.code)})]")
    return f"- {' '.join(groups)} {escape_text(paper.title)}"


@dataclass(frozen=True)
class ExportOptions:
    group_by: str = "year"
    toc: bool = False
    counts: bool = False
    chart: bool = False


def group_papers(papers: Sequence[Paper], group_by: str) -> list[tuple[str, list[Paper]]]:
    """Sections in display order. Years newest first; venues A-Z; methods in vocabulary
    order. A paper with several methods is listed under each of them."""
    by_year = sorted(enumerate(papers), key=lambda ip: (-ip[1].year, ip[0]))
    ordered = [p for _, p in by_year]
    sections: dict[str, list[Paper]] = {}
    if group_by == "year":
        for p in ordered:
            sections.setdefault(str(p.year), []).append(p)
        return list(sections.items())
    if group_by == "venue":
        for p in ordered:
            sections.setdefault(p.venue, []).append(p)
        return sorted(sections.items(), key=lambda kv: kv[0].casefold())
    if group_by == "method":
        for p in ordered:
            for m in p.methods or (UNCLASSIFIED,):
                sections.setdefault(m, []).append(p)
        rank = {m: i for i, m in enumerate((*METHODS, UNCLASSIFIED))}
        return sorted(sections.items(), key=lambda kv: rank[kv[0]])
    raise ValueError(f"unknown grouping {group_by!r}")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def _chart(papers: Sequence[Paper]) -> str:
    years = sorted({p.year for p in papers})
    counts = [sum(1 for p in papers if p.year == y) for y in years]
    top = max(counts, default=0)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta",
            '    title "Papers per year"',
            f"    x-axis [{', '.join(str(y) for y in years)}]",
            f'    y-axis "Papers" 0 --> {top}',
            f"    bar [{', '.join(str(c) for c in counts)}]",
            "```",
        ]
    )


def render_list(papers: Sequence[Paper], options: ExportOptions = ExportOptions()) -> str:
    """The list itself (chart, contents, sections): what sits between the scc markers."""
    sections = group_papers(papers, options.group_by)
    headings = [f"{name} ({len(items)})" if options.counts else name for name, items in sections]
    blocks: list[str] = []
    if options.chart and papers:
        blocks.append(_chart(papers))
    if options.toc and sections:
        blocks.append(
            "## Contents\n\n" + "\n".join(f"- [{escape_text(h)}](#{anchor(h)})" for h in headings)
        )
    for heading, (_, items) in zip(headings, sections, strict=True):
        blocks.append(f"## {escape_text(heading)}\n\n" + "\n".join(paper_line(p) for p in items))
    return "\n\n".join(blocks)


def render_markdown(
    catalog: Catalog,
    papers: Sequence[Paper] | None = None,
    options: ExportOptions = ExportOptions(),
) -> str:
    """The whole README: title, description, the list, footer; in normal form."""
    papers = catalog.papers if papers is None else papers
    blocks = [f"# {catalog.title.strip()}"]
    if catalog.description.strip():
        blocks.append(catalog.description.strip())
    body = render_list(papers, options)
    if body:
        blocks.append(body)
    if catalog.footer.strip():
        blocks.append(catalog.footer.strip())
    return normal_form("\n\n".join(blocks))


def normal_form(text: str) -> str:
    """Trailing spaces trimmed, blank-line runs made single, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def replace_between_markers(document: str, body: str, newline: str = "\n") -> str | None:
    """``document`` with the text between the scc markers replaced by ``body``.

    The rest of the document is kept as it is; the new text ends its lines with
    ``newline``. None when the document lacks a start marker followed by an end marker.
    """
    start = document.find(START_MARKER)
    end = document.find(END_MARKER, start + len(START_MARKER)) if start != -1 else -1
    if start == -1 or end == -1:
        return None
    head = document[: start + len(START_MARKER)]
    block = f"\n\n{body.strip()}\n\n".replace("\n", newline)
    return f"{head}{block}{document[end:]}"
