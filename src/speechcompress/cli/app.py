"""The Typer application: command registration and the one error boundary.

Start-up is a feature (shell completion runs ``scc`` on every Tab), so this module and
the command modules import only Typer and scc's light core at import time; pydantic,
tomli, rich, httpx and tomlkit are imported inside the code paths that need them.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from speechcompress import __version__
from speechcompress.errors import SccError


class SccGroup(TyperGroup):
    """Turns every :class:`SccError` into ``error: ...`` lines and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SccError as exc:
            for line in exc.lines():
                sys.stderr.write(line + "\n")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            raise typer.Exit(130) from None
        except OSError as exc:
            # A safety net: file errors should arrive as FileProblem, but one that slips
            # through is still the user's file, not a bug to show as a traceback.
            reason = exc.strerror or str(exc)
            shown = f"{exc.filename}: {reason}" if exc.filename else reason
            sys.stderr.write(f"error: {shown}\n")
            raise typer.Exit(4) from None


app = typer.Typer(
    cls=SccGroup,
    name="scc",
    epilog="Exit codes: 0 ok, 1 check failed, 2 usage error, 3 invalid catalog, "
    "4 file problem, 5 network error, 6 duplicate paper, 130 interrupted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain click help: it re-wraps docstrings to the terminal and skips importing rich.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print scc's version and exit.",
        ),
    ] = None,
) -> None:
    """Search, browse and publish the speech-model compression paper catalog.

    The catalog is a TOML file: --db PATH, else $SCC_DB, else ./data/papers.toml,
    else the catalog bundled with scc.
    """


def _register() -> None:
    from speechcompress.cli import (
        cmd_arxiv,
        cmd_browse,
        cmd_check,
        cmd_export,
        cmd_import,
        cmd_info,
    )

    app.command("list")(cmd_browse.list_papers)
    app.command("search")(cmd_browse.search)
    app.command("show")(cmd_browse.show)
    app.command("stats")(cmd_info.stats)
    app.command("info")(cmd_info.info)
    app.command("export")(cmd_export.export)
    app.command("import")(cmd_import.import_papers)
    app.command("add")(cmd_arxiv.add)
    app.command("refresh")(cmd_arxiv.refresh)
    app.command("check")(cmd_check.check)
    app.command("cache")(cmd_info.cache)


_register()
