"""``scc add`` and ``scc refresh``: papers from the arXiv API, and keeping them current."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, open_catalog, warn, where_to_write
from speechcompress.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from speechcompress.arxiv import ArxivEntry
    from speechcompress.drafting import Draft
    from speechcompress.paper import Catalog, Paper

ApiUrl = Annotated[
    str | None,
    typer.Option(
        "--api-url",
        metavar="URL",
        show_default=False,
        help="arXiv API endpoint (a mirror, or a test server). "
        "Default: $SCC_ARXIV_API, else https://export.arxiv.org/api/query.",
    ),
]
NoApiCache = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Ask arXiv again instead of using answers cached in the last 24 h."
    ),
]


def _interactive() -> bool:
    """Whether a person can answer a question (stdin and stderr are terminals)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def fetch_entries(ids: Sequence[str], api_url: str | None, no_cache: bool) -> dict[str, ArxivEntry]:
    """The arXiv entries for ``ids`` through a client set up as the options say."""
    from speechcompress.arxiv import make_client

    with make_client(api_url=api_url, use_cache=not no_cache) as client:
        return client.fetch(ids)


def _write(path: Path, make: Callable[[Catalog], list[Draft]]) -> list[Draft]:
    """Draft against the catalog as it is under the writer's lock, and write.

    Ids and duplicates are decided there, so concurrent ``scc add`` runs can neither
    pick the same id nor add the same paper twice.
    """
    from speechcompress.writer import add_papers

    drafted: list[Draft] = []

    def plan(current: Catalog) -> list[Paper]:
        drafted[:] = make(current)
        return [d.paper for d in drafted]

    add_papers(path, plan)
    return drafted


def add(
    arxiv_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ARXIV_ID|DOI...",
            show_default=False,
            help="2305.17651, 2305.17651v2, arXiv:2305.17651, an arxiv.org/abs or /pdf URL, "
            "an old-style id like cs/0112017; or a DOI (10.21437/Interspeech.2023-1213, "
            "https://doi.org/...), a DBLP record, OpenReview forum, ACL Anthology or ISCA "
            "archive URL.",
        ),
    ],
    venue: Annotated[
        str | None,
        typer.Option(
            "--venue",
            metavar="VENUE",
            autocompletion=opt._complete_venue,
            show_default=False,
            help="Venue, instead of the one inferred from arXiv's journal ref or comment.",
        ),
    ] = None,
    venue_url: Annotated[
        str | None,
        typer.Option(
            "--venue-url",
            metavar="URL",
            show_default=False,
            help="The paper's page at the venue (one paper only).",
        ),
    ] = None,
    method: Annotated[
        list[str] | None,
        typer.Option(
            "--method",
            "-m",
            metavar="METHOD",
            autocompletion=opt._complete_method,
            help="Compression method (repeatable), instead of those proposed from keywords.",
        ),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", metavar="MODEL", help="Model compressed or teacher (repeatable)."),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code", metavar="URL", show_default=False, help="URL of the code (one paper only)."
        ),
    ] = None,
    paper_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            show_default=False,
            help="The paper's id, instead of one made from its title (one paper only).",
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Write without asking.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the TOML that would be added; change nothing.")
    ] = False,
    api_url: ApiUrl = None,
    no_cache: NoApiCache = False,
    db: opt.Db = None,
) -> None:
    """Add papers to the catalog from their arXiv entries or their DOIs.

    Reads title, authors, first-version date, abstract, DOI, journal ref
    and comment from the arXiv API (several ids go in one request). The
    venue and its year come from the journal ref or comment ("Accepted to
    ICASSP 2023"), else arXiv; methods are proposed from keywords. On a
    terminal the entry is shown and you are asked before writing. A paper
    already in the catalog (same arXiv id, DOI or title) is refused (exit
    6). The write keeps the catalog's comments and formatting. A DOI is
    read from Crossref (else OpenAlex), a DBLP record, OpenReview forum or
    ACL Anthology URL from that site, an ISCA archive page from OpenAlex
    (the work listing that page), with the venue mapped to the catalog's
    and the official page or DOI link as venue_url. Examples:

      scc add 2305.17651

      scc add https://arxiv.org/abs/2305.17651v2 --method pruning --model HuBERT

      scc add 2110.01900 2207.00555 --yes

      scc add 2305.17651 --dry-run

      scc add 10.21437/Interspeech.2023-1213   # from Crossref, else OpenAlex

      scc add https://openreview.net/forum?id=9Nk6AJkVYB
    """
    from speechcompress.cli.add_reference import add_references, references

    refs = references(arxiv_ids)
    if refs is not None:
        overrides = {
            "venue": venue,
            "venue_url": venue_url,
            "methods": method,
            "models": model,
            "code": code,
        }
        add_references(
            refs,
            db=db,
            paper_id=paper_id,
            overrides=overrides,
            yes=yes,
            dry_run=dry_run,
            no_cache=no_cache,
            interactive=_interactive(),
        )
        return
    from speechcompress import drafting

    ids = drafting.parse_arxiv_ids(arxiv_ids)
    if len(ids) > 1:
        single = [
            o
            for o, v in (("--id", paper_id), ("--code", code), ("--venue-url", venue_url))
            if v is not None
        ]
        if single:
            raise UsageError(
                f"{', '.join(single)} can only be given when adding one paper",
                hint="add the papers one at a time",
            )
    location = where_to_write(db, writing=not dry_run, doing="add to")
    catalog = open_catalog(db)
    drafting.check_overrides(catalog, venue, method or ())
    drafting.refuse_known_ids(catalog, ids)
    entries = drafting.require_entries(fetch_entries(ids, api_url, no_cache), ids)

    def make(current: Catalog) -> list[Draft]:
        drafting.refuse_known_ids(current, ids)
        return drafting.draft_papers(
            current,
            entries,
            paper_id=paper_id,
            venue=venue,
            venue_url=venue_url,
            methods=method or (),
            models=model or (),
            code=code,
        )

    drafts = make(catalog)
    from speechcompress.writer import paper_text

    if dry_run:
        emit("\n".join(paper_text(d.paper) for d in drafts))
        for draft in drafts:
            for note in draft.notes:
                warn(f"arXiv {draft.entry.arxiv_id}: {note}")
        warn(
            f"would add {len(drafts)} paper{'s' if len(drafts) != 1 else ''} to "
            f"{location.path} (dry run, nothing written)"
        )
        return
    for draft in drafts:
        for note in draft.notes:
            warn(f"arXiv {draft.entry.arxiv_id}: {note}")
    if not yes and _interactive():
        for draft in drafts:
            sys.stderr.write("\n" + paper_text(draft.paper))
        count = f"{len(drafts)} paper{'s' if len(drafts) != 1 else ''}"
        if not typer.confirm(f"\nAdd {count} to {location.path}?", default=True, err=True):
            warn("nothing was written")
            raise typer.Exit(1)

    written = _write(location.path, make)
    from speechcompress.refresh import seen_versions

    seen = seen_versions()
    for draft in written:
        seen.record(draft.entry.arxiv_id, draft.entry.version)
        paper = draft.paper
        warn(
            f"added '{paper.id}' ({paper.venue} {paper.year}) from arXiv {paper.arxiv} "
            f"to {location.path}"
        )


def refresh(
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...",
            show_default=False,
            help="Paper ids or arXiv ids to check. Default: every paper with an arXiv id, "
            "and for the other sources every paper missing a venue, DOI or official page.",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")
    ] = "table",
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Apply the safe updates (venue, its year, DOI, venue page) to the catalog.",
        ),
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when safe updates are pending (for CI).")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="LIST",
            show_default=False,
            help="Sources to ask, comma-separated: arxiv, dblp, crossref, openalex, "
            "semanticscholar. Default: $SCC_SOURCES, else all.",
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="With --write, also replace values that differ (marked '~')."
        ),
    ] = False,
    api_url: ApiUrl = None,
    no_cache: NoApiCache = False,
    db: opt.Db = None,
) -> None:
    """Re-read papers' arXiv entries and published records; report what changed.

    Reports a new version, a changed title, a withdrawal, and a DOI or
    journal ref that means a preprint is now published (and where). Safe
    updates, marked '*', are a venue (with its year) for a paper still
    listed as arXiv and a DOI the catalog lacks; --write applies them,
    keeping the file's comments and formatting. DBLP, Crossref, OpenAlex
    and Semantic Scholar propose the published venue, year, DOI and
    official page, each with its evidence: an empty field is filled ('*'),
    a differing one is shown ('~') and replaced only with --overwrite.
    Examples:

      scc refresh

      scc refresh dphubert 2302.09437 --format json

      scc refresh --source dblp,crossref --write

      scc refresh --check        # in CI: exit 1 when updates are pending
    """
    from speechcompress.cli import refresh_sources
    from speechcompress.drafting import select_papers
    from speechcompress.published_lookup import choose_sources
    from speechcompress.refresh import (
        compare_papers,
        pending_updates,
        seen_versions,
        write_updates,
    )
    from speechcompress.render.changes import render_changes

    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r}", hint="use table or json")
    location = where_to_write(db, writing=write)
    names = choose_sources(source)
    catalog = open_catalog(db)
    papers = select_papers(catalog, keys or [], arxiv_only=names == ["arxiv"])
    entries: dict[str, ArxivEntry] = {}
    if "arxiv" in names:
        entries = fetch_entries([p.arxiv for p in papers if p.arxiv], api_url, no_cache)
    # arXiv is asked about the papers with an arXiv id only; its report counts those.
    on_arxiv = sum(1 for p in papers if p.arxiv)
    seen = seen_versions()
    changes = compare_papers(papers, entries, catalog.vocabulary, seen) if "arxiv" in names else []
    findings = refresh_sources.lookup(
        catalog, papers, names, no_cache=no_cache, every_paper=bool(keys)
    )
    pending = [c for c in changes if c.safe]
    pending_count = len(pending) + (len(findings.pending(overwrite)) if findings else 0)

    # Write first and report what was written: a paper that fails stops the writes, and
    # the report must not claim the ones after it.
    updated: list[str] = []
    failure: Exception | None = None
    if write:
        try:
            for paper_id in write_updates(location.path, changes, entries, seen):
                updated.append(paper_id)
            if findings is not None:
                already = pending_updates(changes)
                for paper_id in refresh_sources.write(
                    location.path, findings, overwrite=overwrite, already=already
                ):
                    if paper_id not in updated:
                        updated.append(paper_id)
        except Exception as exc:  # reported after the table, then raised as it was
            failure = exc

    if fmt == "json":
        import json

        emit(
            json.dumps(
                {
                    "checked": on_arxiv,
                    "pending_updates": pending_count,
                    "written": bool(updated),
                    "updated": updated,
                    "changes": [c.to_dict() for c in changes],
                    **(
                        refresh_sources.data(findings, names, overwrite=overwrite)
                        if findings is not None
                        else {"sources": names}
                    ),
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        if "arxiv" in names:
            emit(render_changes(changes, on_arxiv, updated if write else None))
        if findings is not None:
            written = updated if write else None
            emit(refresh_sources.table(findings, overwrite=overwrite, written=written))
    if updated:
        warn(
            f"updated {len(updated)} paper{'s' if len(updated) != 1 else ''} "
            f"in {location.path}: {', '.join(updated)}"
        )
    if failure is not None:
        raise failure
    if check and pending_count and not write:
        warn(
            f"{pending_count} update{'s' if pending_count != 1 else ''} pending; "
            "`scc refresh --write` applies them"
        )
        raise typer.Exit(1)
