"""``scc info``, ``scc stats`` and ``scc cache``: about the catalog itself."""

from __future__ import annotations

from typing import Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import color_allowed, emit, open_source, where
from speechcompress.errors import UsageError


def info(db: opt.Db = None, no_cache: opt.NoCache = False) -> None:
    """Say which catalog file is used, why, and how many papers it holds."""
    location = where(db)
    source = open_source(db, no_cache=no_cache)
    years = sorted({p.year for p in source.papers(full=False)})
    span = f", {years[0]}-{years[-1]}" if years else ""
    emit(
        f"catalog: {location.path}\n"
        f"chosen by: {location.source}\n"
        f"title: {source.header.title}\n"
        f"papers: {source.count()}{span}\n"
    )


def stats(
    year: opt.Year = None,
    venue: opt.Venue = None,
    method: opt.Method = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help="table, plain or json.")
    ] = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Count papers per year, venue, method and model, with bars."""
    from speechcompress.cli.session import pick_format
    from speechcompress.query import build_filters
    from speechcompress.stats import compute_stats

    fmt_name = pick_format(fmt, ("table", "plain", "json"))
    source = open_source(db, no_cache=no_cache)
    filters = build_filters(
        source.header, years=year or (), venues=venue or (), methods=method or ()
    )
    result = compute_stats(source.filtered(filters, full=False))
    if fmt_name == "json":
        import json

        emit(
            json.dumps(
                {
                    "total": result.total,
                    **{
                        key: dict(counts)
                        for key, counts in zip(
                            ("years", "venues", "methods", "models"),
                            (result.by_year, result.by_venue, result.by_method, result.by_model),
                            strict=True,
                        )
                    },
                },
                indent=2,
            )
            + "\n"
        )
    elif fmt_name == "table":
        from speechcompress.render.table import render_bars

        emit(
            f"{result.total} papers\n\n"
            + "\n".join(
                render_bars(title, counts, color=color_allowed())
                for title, counts in result.sections()
            )
        )
    else:
        from speechcompress.render.plain import render_stats_plain

        emit(render_stats_plain(result))


def cache(
    action: Annotated[
        str,
        typer.Argument(
            metavar="ACTION",
            help="'clear' deletes everything scc cached (catalog indexes, arXiv answers, "
            "link results); 'path' prints where it lives.",
        ),
    ],
) -> None:
    """Manage scc's cache of derived data (the TOML file is never touched)."""
    from speechcompress.fs import cache_dir

    if action == "path":
        emit(f"{cache_dir()}\n")
    elif action == "clear":
        from speechcompress.fs import clear_cache

        removed = clear_cache()
        emit(f"removed {removed} cached file{'s' if removed != 1 else ''} from {cache_dir()}\n")
    else:
        raise UsageError(
            f"unknown cache action {action!r}", hint="use `scc cache clear` or `scc cache path`"
        )
