"""``scc cite``: BibTeX for the papers named, with the keys a full export gives them."""

from __future__ import annotations

from typing import Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, open_source
from speechcompress.errors import UsageError


def cite(
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            show_default=False,
            help="Paper ids, arXiv ids or citation keys.",
        ),
    ],
    bib_style: Annotated[
        str, typer.Option("--bib-style", metavar="STYLE", help="natbib or biblatex.")
    ] = "natbib",
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="LaTeX accents instead of UTF-8.")
    ] = False,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Print BibTeX entries for the papers named.

    scc cite dphubert 2305.17651 >> refs.bib. Each key is the one scc export --format
    bibtex gives the paper (its stored key, if it has one), whatever else is cited.
    """
    from speechcompress.cli.cmd_export import check_bib_style
    from speechcompress.render.bibtex import citation_keys, render_entry
    from speechcompress.render.visible import visible

    check_bib_style(bib_style)
    source = open_source(db, no_cache=no_cache)
    universe = source.papers(full=False)
    by_key = dict(zip(citation_keys(universe), universe, strict=True))
    key_of = {p.id: k for k, p in by_key.items()}
    entries: list[str] = []
    missing: list[str] = []
    for wanted in keys:
        paper = source.find(wanted) or by_key.get(wanted)
        if paper is None:
            missing.append(wanted)
            continue
        entry = render_entry(
            paper,
            key_of[paper.id],
            source.header.vocabulary,
            style=bib_style,
            ascii_only=ascii_only,
        )
        if entry not in entries:
            entries.append(entry)
    if missing:
        from speechcompress.vocab import suggest

        guess = suggest(missing[0], [p.id for p in universe])
        raise UsageError(
            "no paper with id, arXiv id or citation key " + ", ".join(map(repr, missing)),
            hint=f"did you mean {guess!r}?" if guess else "see `scc list`",
        )
    emit(visible("\n".join(entries), keep_newlines=True))
