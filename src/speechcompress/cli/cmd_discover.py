"""``scc discover``: arXiv papers the catalog lacks, ranked; accept or reject them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.cmd_arxiv import ApiUrl, NoApiCache
from speechcompress.cli.session import emit, open_catalog, warn, where, where_to_write
from speechcompress.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from speechcompress.arxiv import ArxivEntry
    from speechcompress.drafting import Draft
    from speechcompress.paper import Catalog, Paper

FORMATS = ("table", "json", "markdown")


def discover(
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="First submission date to search."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD", help="Last submission date to search."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--max", metavar="N", min=1, help="Show at most N candidates.")
    ] = 30,
    results: Annotated[
        int,
        typer.Option(
            "--results",
            metavar="N",
            min=1,
            help="How many search results to rank (newest first, 100 per request).",
        ),
    ] = 500,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="table, json or markdown."),
    ] = "table",
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept", metavar="ID", help="Add this arXiv paper to the catalog (repeatable)."
        ),
    ] = None,
    reject: Annotated[
        list[str] | None,
        typer.Option(
            "--reject",
            metavar="ID",
            help="Never propose this arXiv paper again (repeatable; needs --reason).",
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why the --reject papers are out of scope."),
    ] = None,
    api_url: ApiUrl = None,
    no_cache: NoApiCache = False,
    db: opt.Db = None,
) -> None:
    """Find arXiv papers the catalog lacks, ranked by relevance to it.

    The search query is built from the catalog's methods and models in
    arXiv's audio and language categories; results are paged through
    politely (3 s apart, cached for a day). Papers already catalogued (any
    version, DOI or title) and papers rejected before are left out; the
    rest are ranked by how much they look like catalogued papers about
    compressing speech models, each with why, and proposed methods, models
    and venue. --accept adds papers as `scc add` does; --reject records them
    in rejected.toml beside the catalog, so they never come back and count
    as negative examples. Examples:

      scc discover --since 2025-01-01 --format markdown

      scc discover --accept 2503.09905 2506.15912

      scc discover --reject 2509.15579 --reason "codec quantization"
    """
    if accept or reject:
        _triage(accept or [], reject or [], reason, api_url, no_cache, db)
        return
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    from speechcompress.arxiv import make_client
    from speechcompress.discover.candidates import find_candidates, refuse_empty
    from speechcompress.discover.fetch import search
    from speechcompress.discover.query import date_window, search_query
    from speechcompress.discover.triage import load_rejections, rejected_path

    window = date_window(since, until)
    catalog = open_catalog(db)
    refuse_empty(catalog)  # before asking arXiv anything
    rejected = load_rejections(rejected_path(where(db).path))
    query = search_query(catalog.papers, window)
    entries = search(
        make_client(api_url=api_url, use_cache=not no_cache),
        query,
        limit=results,
        progress=lambda n: warn(f"searched arXiv: {n} results so far"),
    )
    found = find_candidates(catalog, entries, rejected=rejected, limit=limit)
    from speechcompress.render import discover as render

    if fmt == "json":
        emit(render.render_json(found))
    elif fmt == "markdown":
        emit(render.render_markdown(found, query=query))
    else:
        emit(render.render_table(found))


def _triage(
    accept: Sequence[str],
    reject: Sequence[str],
    reason: str | None,
    api_url: str | None,
    no_cache: bool,
    db: str | None,
) -> None:
    from speechcompress import drafting
    from speechcompress.cli.cmd_arxiv import fetch_entries

    accepted, rejected = drafting.parse_arxiv_ids(accept), drafting.parse_arxiv_ids(reject)
    both = set(accepted) & set(rejected)
    if both:
        raise UsageError(f"{', '.join(sorted(both))} cannot be both accepted and rejected")
    if rejected and not (reason and reason.strip()):
        raise UsageError("--reject needs --reason TEXT", hint="say why, for whoever reads it next")
    location = where_to_write(db)
    catalog = open_catalog(db)
    drafting.refuse_known_ids(catalog, accepted)
    wanted = [*accepted, *rejected]
    found = drafting.require_entries(fetch_entries(wanted, api_url, no_cache), wanted)
    entries = {e.arxiv_id: e for e in found}
    if accepted:
        _accept(location.path, [entries[i] for i in accepted])
    if rejected:
        from speechcompress.discover.triage import Rejection, record_rejections, rejected_path

        target = rejected_path(location.path)
        record_rejections(
            target,
            [
                Rejection(
                    arxiv=i,
                    title=entries[i].title,
                    reason=" ".join((reason or "").split()),
                    abstract=entries[i].abstract,
                )
                for i in rejected
            ],
        )
        warn(f"rejected {', '.join(rejected)}: recorded in {target}")


def _accept(path: Path, entries: Sequence[ArxivEntry]) -> None:
    from speechcompress.discover.candidates import draft_accepted
    from speechcompress.writer import add_papers

    drafted: list[Draft] = []

    def plan(current: Catalog) -> list[Paper]:
        # Decided under the writer's lock: ids and duplicates as the file is now.
        drafted[:] = draft_accepted(current, entries)
        return [d.paper for d in drafted]

    add_papers(path, plan)
    for draft in drafted:
        paper = draft.paper
        warn(f"added '{paper.id}' ({paper.venue} {paper.year}) from arXiv {paper.arxiv} to {path}")
