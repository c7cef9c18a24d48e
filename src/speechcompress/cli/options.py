"""Options shared by several commands, with their help text and shell completion."""

from __future__ import annotations

from typing import Annotated

import typer


def _values(kind: str, ctx: typer.Context, incomplete: str) -> list[str]:
    # scc answers Tab in complete.py before Typer is imported; these callbacks only
    # serve an app driven through Typer's own completion, and give the same values.
    from speechcompress.cli.complete import KINDS

    return [item.value for item in KINDS[kind](ctx.params.get("db"), incomplete)]


def _complete_venue(ctx: typer.Context, incomplete: str) -> list[str]:
    return _values("venue", ctx, incomplete)


def _complete_method(ctx: typer.Context, incomplete: str) -> list[str]:
    return _values("method", ctx, incomplete)


def _complete_model(ctx: typer.Context, incomplete: str) -> list[str]:
    return _values("model", ctx, incomplete)


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
