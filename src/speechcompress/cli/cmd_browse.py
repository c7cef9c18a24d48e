"""``scc list``, ``scc search`` and ``scc show``: finding papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import (
    color_allowed,
    emit,
    open_source,
    option_filters,
    pick_format,
    warn,
)
from speechcompress.errors import UsageError
from speechcompress.paper import Paper

if TYPE_CHECKING:
    from speechcompress.source import PaperSource

Sort = Annotated[
    str,
    typer.Option(
        "--sort",
        "-s",
        metavar="KEY",
        help="year, title or venue.",
        autocompletion=lambda: ["year", "title", "venue"],
    ),
]
Reverse = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
#: Formats that print whole records (abstracts included); the others need less.
FULL_FORMATS = ("json", "csv")
Limit = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N papers."),
]


def render_papers(
    papers: Sequence[Paper],
    fmt: str,
    spans: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> str:
    if fmt == "json":
        from speechcompress.render.data import render_json
        from speechcompress.render.visible import json_safe

        return json_safe(render_json(papers))
    if fmt == "csv":
        from speechcompress.render.data import render_csv
        from speechcompress.render.visible import visible

        return visible(render_csv(papers), keep_newlines=True)
    if fmt == "table":
        from speechcompress.render.table import render_table

        return render_table(papers, spans=spans, color=color_allowed())
    from speechcompress.render.plain import render_plain

    return render_plain(papers)


def list_papers(
    year: opt.Year = None,
    venue: opt.Venue = None,
    method: opt.Method = None,
    model: opt.Model = None,
    author: opt.Author = None,
    has_code: opt.HasCode = False,
    sort: Sort = "year",
    reverse: Reverse = False,
    limit: Limit = None,
    fmt: opt.Format = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """List papers, newest first.

    Filters combine: repeating one ORs its values (--year 2021 --year 2023), different
    ones AND (--method pruning --model HuBERT).
    """
    from speechcompress.query import sort_papers

    fmt_name = pick_format(fmt)
    source = open_source(db, no_cache=no_cache)
    filters = option_filters(
        source,
        year=year,
        venue=venue,
        method=method,
        model=model,
        author=author,
        has_code=has_code,
    )
    papers = sort_papers(source.filtered(filters, full=fmt_name in FULL_FORMATS), sort, reverse)
    if not papers:
        warn("no papers match these filters")
    emit(render_papers(papers[:limit], fmt_name))


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help='Words (AND), "quoted phrases", or author:, title:, venue:, '
            "method:, model:, year: prefixes.",
            show_default=False,
        ),
    ],
    limit: Limit = None,
    fmt: opt.Format = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Search titles, authors, summaries, abstracts, venues, methods and models.

    Best matches first. Case, accents and hyphens don't matter, and a small typo is
    forgiven (exact matches rank above fuzzy ones). An arXiv id or URL, or a DOI or
    doi.org URL, finds that paper. Exits 1 when nothing matches, as grep does. Examples:

      scc search pruning hubert

      scc search '"knowledge distillation"' year:2023..

      scc search author:watanabe method:pruning
    """
    from speechcompress.search import identifier_in, parse_query

    fmt_name = pick_format(fmt)
    source = open_source(db, no_cache=no_cache)
    full = fmt_name in FULL_FORMATS
    named = identifier_in(" ".join(query))
    paper = _find_identified(source, *named, full=full) if named else None
    if paper is not None:
        emit(render_papers([paper], fmt_name))
        return
    terms = parse_query(" ".join(query), source.header)
    hits = source.search(terms, full=full, limit=limit)
    spans = [h.title_spans for h in hits] if fmt_name == "table" else None
    emit(render_papers([h.paper for h in hits], fmt_name, spans))
    if not hits:
        # As grep does: a script can tell "nothing found" from "found" by the exit code.
        warn(f"no papers match {' '.join(query)!r}")
        raise typer.Exit(1)


def _find_identified(source: PaperSource, kind: str, value: str, *, full: bool) -> Paper | None:
    """The paper with this arXiv id or DOI (DOIs compare case-insensitively, as they are);
    ``full=False`` leaves out what the format does not print."""
    if kind == "arxiv":
        return source.find(value)
    wanted = value.casefold()
    return next((p for p in source.papers(full=full) if p.doi and p.doi.casefold() == wanted), None)


def show(
    key: Annotated[
        str, typer.Argument(metavar="ID", help="A paper id or an arXiv id.", show_default=False)
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="text, json or bibtex (as scc cite gives it)."
        ),
    ] = "text",
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Show one paper's full record and its links."""
    from speechcompress.source import require_paper

    paper = require_paper(open_source(db, no_cache=no_cache), key)
    if fmt == "json":
        import json

        from speechcompress.render.visible import json_safe

        emit(json_safe(json.dumps(paper.to_dict(), ensure_ascii=False, indent=2)) + "\n")
    elif fmt == "text":
        from speechcompress.render.plain import render_record

        emit(render_record(paper))
    elif fmt == "bibtex":
        from speechcompress.cli.cmd_cite import cite

        cite([paper.id], db=db, no_cache=no_cache)
    else:
        raise UsageError(f"unknown format {fmt!r}", hint="use text, json or bibtex")
