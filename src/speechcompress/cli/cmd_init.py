"""``scc init``: start a new paper list kept with scc."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speechcompress.cli.session import warn
from speechcompress.errors import UsageError


def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="[DIR]", help="Where the new list goes (default: here)."),
    ] = Path("."),
    title: Annotated[
        str, typer.Option("--title", metavar="TEXT", help="The list's title.")
    ] = "Paper list",
    description: Annotated[
        str, typer.Option("--description", metavar="TEXT", help="A line under the title.")
    ] = "",
) -> None:
    """Start a new list: data/papers.toml, a README.md with the list markers, and the
    GitHub workflow that checks both.

    Existing files are never overwritten: scc init refuses and changes nothing.
    """
    from speechcompress.fs import atomic_write
    from speechcompress.starter import starter_files

    files = starter_files(title, description)
    there = [name for name in files if (folder / name).exists()]
    if there:
        raise UsageError(
            f"{folder / there[0]} already exists; scc init changes nothing",
            hint="pick another folder, or import your list: scc import list.md --db NEW.toml",
        )
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
        warn(f"wrote {path}")
    warn(f"next: cd {folder} && scc add ARXIV_ID && scc export --update README.md")
