"""``scc import``: a hand-written Markdown list or a BibTeX file into a catalog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, warn, where_to_write
from speechcompress.errors import CatalogError, SccError, UsageError

if TYPE_CHECKING:
    from speechcompress.importing import ImportPlan
    from speechcompress.paper import Catalog, Paper


def import_papers(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            show_default=False,
            help="A Markdown list (.md) or a BibTeX file (.bib).",
        ),
    ],
    db: opt.Db = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="markdown or bibtex. Default: from FILE's suffix.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the TOML that would be added; change nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the readable papers even if some lines are not."
        ),
    ] = False,
) -> None:
    """Import papers from a Markdown list or BibTeX file.

    Into the current catalog, or into a new one with --db NEW.toml. Papers already in
    the catalog (same arXiv id, DOI or title) are skipped and named (exit 0), also when
    another scc run added them a moment before. Lines that cannot
    be read are reported with their numbers; by default nothing is written then.
    The write keeps the catalog's comments and formatting and is atomic.

    A list in its own format keeps its look in a new catalog: its document and line
    format go to NEW.list.md beside it, and scc export writes the list that way.
    BibTeX keys, entry types and fields are kept.
    """
    from speechcompress.fileio import read_user_text
    from speechcompress.importing import plan_import
    from speechcompress.source import load_catalog

    text = read_user_text(source, "file to import")
    kind = (
        fmt or ("bibtex" if source.suffix.lower() in (".bib", ".bibtex") else "markdown")
    ).lower()
    location = where_to_write(
        db,
        writing=not dry_run,
        doing="import into",
        hint="pass --db PATH (a new file is created), set SCC_DB, or run from "
        "a folder with data/papers.toml",
    )
    target = location.path
    catalog = load_catalog(target, use_cache=False) if target.exists() else None
    if kind == "markdown":
        from speechcompress.importers.markdown import parse_markdown

        parsed = parse_markdown(text)
    elif kind == "bibtex":
        from speechcompress.importers.bibtex import parse_bibtex
        from speechcompress.vocab import Vocabulary

        parsed = parse_bibtex(text, catalog.vocabulary if catalog else Vocabulary())
    else:
        raise UsageError(f"unknown import format {fmt!r}", hint="use markdown or bibtex")
    plan = plan_import(parsed, catalog)

    _report_problems(plan, source, skip_invalid=skip_invalid)
    if dry_run:
        from speechcompress.writer import paper_text

        for dup in plan.skipped:
            warn(f"skipped: {dup.new.title!r}: {dup.describe()}")
        emit("\n".join(paper_text(p) for p in plan.added))
        if catalog is None and parsed.style:
            from speechcompress.render.markdown import style_path

            warn(f"would keep the list's format in {style_path(target)}")
        _summary(parsed.skipped)
        warn(f"would add {_papers(len(plan.added))} to {target} (dry run, nothing written)")
        return
    if plan.added or catalog is None:
        from speechcompress.writer import add_papers

        final = [plan]
        if catalog is None:
            target.parent.mkdir(parents=True, exist_ok=True)  # data/ of a fresh repository

        def under_the_lock(current: Catalog) -> list[Paper]:
            # Ids and duplicates are decided on the file as it is now, under its lock:
            # another import may have added the same paper since it was first read.
            final[0] = plan_import(parsed, current)
            _report_problems(final[0], source, skip_invalid=skip_invalid, quiet=True)
            return final[0].added

        add_papers(
            target,
            under_the_lock,
            create=(parsed.title or "Paper list", parsed.description, parsed.footer),
            venues=plan.new_venues,
        )
        plan = final[0]
        if catalog is None and plan.style:
            from speechcompress.fs import atomic_write
            from speechcompress.render.markdown import style_path, style_text

            # The list's own look, for scc export: its document, order and line format.
            atomic_write(style_path(target), style_text(plan.style))
            warn(f"kept the list's format in {style_path(target)} (scc export uses it)")
    for dup in plan.skipped:
        warn(f"skipped: {dup.new.title!r}: {dup.describe()}")
    _summary(parsed.skipped)
    warn(
        f"added {_papers(len(plan.added))} to {target}"
        + (f", skipped {len(plan.skipped)} already there" if plan.skipped else "")
    )


def _report_problems(
    plan: ImportPlan, source: Path, *, skip_invalid: bool, quiet: bool = False
) -> None:
    """Raise for unreadable lines (unless ``skip_invalid``), else warn about them."""
    from speechcompress.catalog import display_path

    if plan.problems and not skip_invalid:
        last = len(plan.problems) - 1
        raise CatalogError(
            [
                SccError(
                    p.message,
                    where=f"{display_path(source)}:{p.line}",
                    hint="nothing was imported: fix these lines, or pass --skip-invalid to "
                    "import the rest"
                    if i == last
                    else None,
                )
                for i, p in enumerate(plan.problems)
            ]
        )
    if quiet:
        return
    for problem in plan.problems:
        warn(f"warning: {display_path(source)}:{problem.line}: {problem.message} (not imported)")
    for notice in plan.notices:
        warn(f"warning: {display_path(source)}:{notice.line}: {notice.message}")


def _summary(skipped_lines: int) -> None:
    """One line on what was not a paper, so nothing is passed over silently."""
    if skipped_lines:
        lines = "line that is" if skipped_lines == 1 else "lines that are"
        warn(f"passed over {skipped_lines} {lines} not papers (prose, contents, badges)")


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"
