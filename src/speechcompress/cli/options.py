"""Options shared by several commands, with their help text and shell completion."""

from __future__ import annotations

from typing import Annotated

import typer


def _complete_venue(incomplete: str) -> list[str]:
    from speechcompress.vocab import Vocabulary

    names = Vocabulary().venue_names()
    try:
        from speechcompress.cli.session import open_source

        names = open_source(None).header.vocabulary.venue_names()
    except Exception:
        pass
    return [n for n in names if n.casefold().startswith(incomplete.casefold())]


def _complete_method(incomplete: str) -> list[str]:
    from speechcompress.vocab import METHODS

    return [m for m in METHODS if m.startswith(incomplete.casefold())]


def _complete_model(incomplete: str) -> list[str]:
    try:
        from speechcompress.cli.session import open_source
        from speechcompress.query import known_models

        models = known_models(open_source(None).papers(full=False))
    except Exception:
        return []
    return [m for m in models if m.casefold().startswith(incomplete.casefold())]


Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.",
        show_default=False,
    ),
]
NoCache = Annotated[
    bool,
    typer.Option("--no-cache", help="Read the TOML file itself, ignoring cached data."),
]
Year = Annotated[
    list[str] | None,
    typer.Option(
        "--year", "-y", metavar="YEAR", help="Year or range: 2022, 2021..2023, 2022.., ..2022."
    ),
]
Venue = Annotated[
    list[str] | None,
    typer.Option(
        "--venue",
        metavar="VENUE",
        help="Venue, e.g. INTERSPEECH, ICASSP, arXiv.",
        autocompletion=_complete_venue,
    ),
]
Method = Annotated[
    list[str] | None,
    typer.Option(
        "--method",
        "-m",
        metavar="METHOD",
        help="pruning, distillation, quantization, low-rank, architecture-search, "
        "dynamic-inference, parameter-sharing or other (aliases like kd work).",
        autocompletion=_complete_method,
    ),
]
Model = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        metavar="MODEL",
        help="Model compressed or teacher, e.g. HuBERT, WavLM.",
        autocompletion=_complete_model,
    ),
]
Author = Annotated[
    list[str] | None,
    typer.Option(
        "--author", "-a", metavar="NAME", help="Part of an author's name (accents optional)."
    ),
]
HasCode = Annotated[bool, typer.Option("--has-code", help="Only papers with a code link.")]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, plain, json or csv. Default: table on a terminal, else plain.",
        autocompletion=lambda incomplete: [
            f for f in ("table", "plain", "json", "csv") if f.startswith(incomplete)
        ],
    ),
]
