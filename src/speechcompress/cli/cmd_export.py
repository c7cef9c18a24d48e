"""``scc export``: the README (Markdown), BibTeX, JSON, CSV, an Atom feed, CSL-JSON or RIS,
and keeping a README in sync."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, open_source, option_filters, warn, where
from speechcompress.errors import FileProblem, SccError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from speechcompress.paper import Paper

EXPORT_FORMATS = ("markdown", "bibtex", "json", "csv", "atom", "csljson", "ris")
#: Markdown styles: the seed's list (default) or one that passes awesome-lint.
STYLES = ("default", "awesome")
#: BibTeX flavours (export --bib-style, cite --bib-style).
BIB_STYLES = ("natbib", "biblatex")


def check_bib_style(style: str) -> None:
    """Refuse a --bib-style scc does not write."""
    if style not in BIB_STYLES:
        raise UsageError(f"unknown BibTeX style {style!r}", hint="use natbib or biblatex")


class OutOfDate(SccError):
    """``--check``: the file differs from what scc would write."""

    exit_code = 1


def export(
    year: opt.Year = None,
    venue: opt.Venue = None,
    method: opt.Method = None,
    model: opt.Model = None,
    author: opt.Author = None,
    has_code: opt.HasCode = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="markdown, bibtex, json, csv, atom (a feed, newest additions first), "
            "csljson (Zotero, Pandoc) or ris (EndNote, Mendeley).",
        ),
    ] = "markdown",
    style: Annotated[
        str,
        typer.Option(
            "--style",
            metavar="STYLE",
            help="Markdown: default (the seed's list) or awesome (passes awesome-lint).",
        ),
    ] = "default",
    results: Annotated[
        bool,
        typer.Option(
            "--results",
            help="Markdown: add the compression results (results.toml beside the catalog) "
            "as tables per benchmark and task.",
        ),
    ] = False,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            metavar="URL",
            help="atom and awesome: the published site's address, for permalinks.",
        ),
    ] = None,
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            metavar="KEY",
            help="year, venue or method. With method, a paper with two methods is listed "
            "under both.",
        ),
    ] = "year",
    toc: Annotated[bool, typer.Option("--toc", help="Add a table of contents.")] = False,
    counts: Annotated[bool, typer.Option("--counts", help="Paper counts in the headings.")] = False,
    chart: Annotated[
        bool, typer.Option("--chart", help="A Mermaid chart of papers per year.")
    ] = False,
    bib_style: Annotated[
        str, typer.Option("--bib-style", metavar="STYLE", help="natbib or biblatex eprint fields.")
    ] = "natbib",
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="BibTeX: LaTeX accents instead of UTF-8.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
        ),
    ] = None,
    update: Annotated[
        Path | None,
        typer.Option(
            "--update",
            metavar="FILE",
            help="Replace only the list between <!-- scc:start --> and <!-- scc:end --> in FILE.",
        ),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            metavar="FILE",
            help="Exit 1 with a diff if FILE is out of date (between the markers, if it has them).",
        ),
    ] = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Export the catalog: the awesome-list README by default.

    scc export > README.md writes the whole list; filters make a partial one
    (scc export --method pruning). In CI, scc export --check README.md fails when
    the README is out of date.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(EXPORT_FORMATS)}")
    if style not in STYLES:
        raise UsageError(f"unknown style {style!r}", hint=f"use one of {', '.join(STYLES)}")
    if (style != "default" or results) and fmt != "markdown":
        raise UsageError("--style and --results work with the markdown format")
    if style == "awesome" and update is not None:
        raise UsageError(
            "--style awesome writes a whole document", hint="use -o FILE or --check FILE"
        )
    if sum(x is not None for x in (output, update, check)) > 1:
        raise UsageError("use only one of --output, --update and --check")
    for target, flag in ((output, "--output"), (update, "--update")):
        if target is not None:
            _refuse_the_catalog(target, flag, where(db).path)
    source = open_source(db, no_cache=no_cache)
    catalog = source.header
    filters = option_filters(
        source,
        year=year,
        venue=venue,
        method=method,
        model=model,
        author=author,
        has_code=has_code,
    )
    papers = source.filtered(filters, full=fmt in ("json", "csv", "atom", "csljson", "ris"))
    if not papers and source.count():
        warn("no papers match these filters")

    if fmt == "markdown":
        from speechcompress.render.markdown import (
            GROUPINGS,
            ExportOptions,
            render_list,
            render_markdown,
        )

        if group_by not in GROUPINGS:
            raise UsageError(
                f"unknown grouping {group_by!r}", hint=f"use one of {', '.join(GROUPINGS)}"
            )
        options = ExportOptions(group_by=group_by, toc=toc, counts=counts, chart=chart)
        appendix = ""
        if results and catalog.path:
            known = {p.id for p in source.papers(full=False)}
            appendix = _results_section(Path(catalog.path), papers, known)
        list_style = None
        # A migrated list keeps its look; between scc markers the seed's list stays.
        if options == ExportOptions() and catalog.path and not appendix:
            list_style = _list_style(Path(catalog.path))
        if style == "awesome":
            from speechcompress.render.awesome import render_awesome

            text = render_awesome(papers, catalog, site_url=site_url)
        else:
            text = render_markdown(catalog, papers, options, list_style, appendix)
        if update or check:
            from speechcompress.render.visible import visible

            body = render_list(papers, options) if style == "default" else text
            body = "\n\n".join(b for b in (body.strip(), appendix.strip()) if b) + "\n"
            whole = visible(text, keep_newlines=True)
            body = visible(body, keep_newlines=True)
            _sync(update or check, whole, body, check=check is not None)  # type: ignore[arg-type]
            return
    elif update or check:
        raise UsageError("--update and --check work with the markdown format")
    elif fmt == "bibtex":
        from speechcompress.render.bibtex import render_bibtex

        check_bib_style(bib_style)
        # Keys are decided over the whole catalog: a filter never changes a paper's key.
        text = render_bibtex(
            papers,
            catalog.vocabulary,
            style=bib_style,
            ascii_only=ascii_only,
            universe=source.papers(full=False),
        )
    elif fmt == "atom":
        from speechcompress.render.atom import render_atom

        text = render_atom(papers, catalog, site_url=site_url)
    elif fmt == "csljson":
        from speechcompress.render.csljson import render_csljson

        text = render_csljson(papers, catalog, source.papers(full=False))
    elif fmt == "ris":
        from speechcompress.render.ris import render_ris

        text = render_ris(papers, catalog, source.papers(full=False))
    elif fmt == "json":
        from speechcompress.render.data import render_json
        from speechcompress.render.visible import json_safe

        text = json_safe(render_json(papers))
    else:
        from speechcompress.render.data import render_csv

        text = render_csv(papers)

    if fmt not in ("json", "csljson"):
        from speechcompress.render.visible import visible

        # No escape sequence from a catalog reaches a terminal or a README raw.
        text = visible(text, keep_newlines=True)
    if output:
        from speechcompress.fs import atomic_write

        atomic_write(output, text)
        warn(f"wrote {len(papers)} paper{'' if len(papers) == 1 else 's'} to {output}")
    else:
        emit(text)


def _results_section(catalog: Path, papers: Sequence[Paper], known: set[str]) -> str:
    """The results of ``papers`` (results.toml beside the catalog, validated against the
    ``known`` paper ids) as Markdown tables under one heading; '' when there are none."""
    from speechcompress.render.results import render_results_markdown
    from speechcompress.results import results_path
    from speechcompress.results.load import load_results

    shown = {p.id for p in papers}
    rows = [r for r in load_results(results_path(catalog), known).results if r.paper in shown]
    if not rows:
        return ""
    return "## Compression results\n\n" + render_results_markdown(rows, heading="###")


def _list_style(catalog: Path) -> dict[str, str] | None:
    """The format of the list the catalog was imported from, if it keeps one."""
    from speechcompress.fileio import MissingFile, read_user_text
    from speechcompress.render.markdown import read_style, style_path

    try:
        return read_style(read_user_text(style_path(catalog), "list format"))
    except MissingFile:
        return None


def _refuse_the_catalog(target: Path, flag: str, catalog: Path) -> None:
    """An export written onto the catalog would destroy it: refuse, whatever the path's
    spelling (symlinks and hard links compare by device and inode)."""
    import os

    try:
        same = os.path.samefile(target, catalog)
    except (OSError, ValueError):
        same = False  # one of them does not exist (yet): not the same file
    if same:
        raise UsageError(
            f"{flag} {target} is the catalog itself ({catalog}); scc will not overwrite it",
            hint="write the export to another file, e.g. -o README.md",
        )


def _sync(path: Path, whole: str, body: str, *, check: bool) -> None:
    """``--update`` / ``--check`` of FILE: between the markers if present, else whole."""
    from speechcompress.fileio import MissingFile, read_user_text
    from speechcompress.render.markdown import (
        END_MARKER,
        START_MARKER,
        replace_between_markers,
        second_marker_line,
    )

    try:
        current = read_user_text(path, keep_newlines=True)
    except MissingFile:
        if check:
            raise OutOfDate(
                f"{path} does not exist", hint=f"create it with scc export -o {path}"
            ) from None
        raise FileProblem(
            f"{path} does not exist", hint=f"create it with scc export -o {path}"
        ) from None
    extra = second_marker_line(current)
    if extra is not None:
        raise UsageError(
            f"a second scc marker: {START_MARKER} ... {END_MARKER} may appear once only",
            where=f"{path}:{extra}",
            hint="keep one pair of markers around the list",
        )
    # Only the list changes; it takes the file's line ends, so a CRLF README stays CRLF.
    newline = "\r\n" if "\r\n" in current else "\n"
    wanted = replace_between_markers(current, body, newline)
    if wanted is None:
        if not check:
            raise UsageError(
                f"{path} has no {START_MARKER} ... {END_MARKER} markers",
                hint="add both lines where the list goes, or use --output",
            )
        wanted = whole.replace("\n", newline)
    if check:
        if current != wanted:
            import difflib

            emit(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        wanted.splitlines(keepends=True),
                        fromfile=f"{path} (current)",
                        tofile=f"{path} (scc export)",
                    )
                )
            )
            raise OutOfDate(
                f"{path} is out of date",
                hint=f"run: scc export --update {path}"
                if START_MARKER in current
                else f"run: scc export -o {path}",
            )
        warn(f"{path} is up to date")
        return
    if current != wanted:
        from speechcompress.fs import atomic_write

        atomic_write(path, wanted)
        warn(f"updated the list in {path}")
    else:
        warn(f"{path} is already up to date")
