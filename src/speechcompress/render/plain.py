"""Plain aligned text: what ``scc list`` prints into a pipe or with NO_COLOR."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from speechcompress.paper import Paper
from speechcompress.render.visible import visible

if TYPE_CHECKING:
    from speechcompress.stats import Stats

COLUMNS = ("ID", "YEAR", "VENUE", "METHODS", "TITLE")


def paper_row(paper: Paper) -> tuple[str, ...]:
    """The columns of one paper, control characters made visible."""
    return tuple(
        map(
            visible,
            (paper.id, str(paper.year), paper.venue, ",".join(paper.methods) or "-", paper.title),
        )
    )


def render_plain(papers: Sequence[Paper]) -> str:
    """One line a paper, columns aligned; the title last so it may run long."""
    if not papers:
        return ""
    rows = [COLUMNS, *(paper_row(p) for p in papers)]
    # Column by column with C-level max/map: a search may print tens of thousands of rows.
    w = [max(map(len, column)) for column in list(zip(*rows, strict=True))[:-1]]
    line = f"{{:<{w[0]}}}  {{:<{w[1]}}}  {{:<{w[2]}}}  {{:<{w[3]}}}  {{}}".format
    return "".join(line(*row) + "\n" for row in rows)


def render_record(paper: Paper) -> str:
    """Every field of one paper, labelled, for ``scc show``."""
    fields: list[tuple[str, str | None]] = [
        ("id", paper.id),
        ("title", paper.title),
        ("authors", ", ".join(paper.authors) or None),
        ("year", str(paper.year)),
        ("venue", paper.venue),
        ("venue url", paper.venue_url),
        ("arXiv", f"{paper.arxiv}  {paper.arxiv_url}" if paper.arxiv else None),
        ("DOI", f"{paper.doi}  {paper.doi_url}" if paper.doi else None),
        ("code", paper.code),
        ("methods", ", ".join(paper.methods) or None),
        ("models", ", ".join(paper.models) or None),
        ("published", paper.published.isoformat() if paper.published else None),
        ("summary", paper.summary),
        ("abstract", paper.abstract),
    ]
    width = max(len(k) for k, _ in fields)
    # Summary and abstract may run over several lines; no other control gets through.
    return "".join(
        f"{k.ljust(width)}  {visible(v, keep_newlines=k in ('summary', 'abstract'))}\n"
        for k, v in fields
        if v
    )


def render_stats_plain(stats: Stats) -> str:
    """Aligned counts with ``#`` bars, for pipes."""
    out = [f"{stats.total} papers"]
    for title, counts in stats.sections():
        out.append("")
        out.append(title)
        top = max((n for _, n in counts), default=1) or 1
        width = max((len(label) for label, _ in counts), default=0)
        for label, n in counts:
            out.append(
                f"  {visible(label).ljust(width)}  {n:>4}  {'#' * max(1, round(30 * n / top))}"
            )
    return "\n".join(out) + "\n"
