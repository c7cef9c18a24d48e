"""``scc site``: the catalog as a static website."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import open_source, warn


def site(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="The folder to write the site into (made if missing).",
            show_default=False,
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="Where the site will be published, for the feed's links "
            "(e.g. https://you.github.io/papers/).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write even if DIR holds files scc did not write."),
    ] = False,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Write the catalog as a static website: search, filters, charts and a feed.

    DIR/index.html works opened from disk or published (GitHub Pages, any web server):
    every paper, search as you type with scc search's rules, filters that combine as
    scc list's do, shareable URLs (index.html?q=pruning&year=2022), a copy-BibTeX
    button per paper, and feed.xml, an Atom feed of the newest papers. Example:

      scc site -o _site --url https://you.github.io/papers/
    """
    from speechcompress.site import build_site

    catalog = open_source(db, no_cache=no_cache).catalog()
    build_site(catalog, output, site_url=url, force=force)
    count = len(catalog.papers)
    warn(f"wrote {count} paper{'' if count == 1 else 's'} to {output / 'index.html'}")
