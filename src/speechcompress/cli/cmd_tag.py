"""``scc tag``: add or remove methods, models and tags on many papers at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, open_source, warn, where_to_write
from speechcompress.errors import SccError, UsageError

if TYPE_CHECKING:
    from speechcompress.paper import Paper
    from speechcompress.source import PaperSource


class NothingMatched(SccError):
    """No paper matches the ids or the query (exit 1, as for search)."""

    exit_code = 1


def tag(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="ID|QUERY...",
            show_default=False,
            help="Paper ids or arXiv ids, or a search query (as for scc search).",
        ),
    ],
    method: Annotated[
        list[str] | None,
        typer.Option("--method", "-m", metavar="METHOD", help="A method (repeatable)."),
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", metavar="MODEL", help="A model (repeatable).")
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag (repeatable).")
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the values instead of adding them.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    db: opt.Db = None,
) -> None:
    """Add (or --remove) methods, models and tags on many papers at once.

    scc tag pruning --method pruning tags every paper the query finds; scc tag dphubert
    parp --model HuBERT names papers by id. One atomic write keeps the catalog's
    comments and formatting; --dry-run shows the changes first.
    """
    from speechcompress.tagging import plan_tags

    wanted = {"methods": method or [], "models": model or [], "tags": tags or []}
    if not any(wanted.values()):
        raise UsageError("nothing to set", hint="pass --method, --model or --tag")
    location = where_to_write(db, writing=not dry_run)
    source = open_source(db, no_cache=True)
    papers = _chosen(source, query)
    if not papers:
        raise NothingMatched(f"no paper matches {' '.join(query)!r}")
    changes = plan_tags(papers, wanted, remove=remove)
    import json

    lines = [
        f"{paper.id}: "
        + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
        for paper in papers
        if (fields := changes.get(paper.id))
    ]
    if lines:
        emit("\n".join(lines) + "\n")
    verb = "would change" if dry_run else "changed"
    if changes and not dry_run:
        from speechcompress.writer import update_papers

        update_papers(location.path, changes)
    warn(
        f"{verb} {len(changes)} of {len(papers)} matching paper{'s' if len(papers) != 1 else ''}"
        + (" (dry run, nothing written)" if dry_run else "")
    )


def _chosen(source: PaperSource, query: list[str]) -> list[Paper]:
    """The papers named by id, or else found by the query."""
    from speechcompress.search import parse_query

    found = [source.find(key) for key in query]
    named = [p for p in found if p is not None]
    if len(named) == len(found):
        return list(dict.fromkeys(named))
    terms = parse_query(" ".join(query), source.header)
    return [hit.paper for hit in source.search(terms)]
