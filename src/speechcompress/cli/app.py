"""The Typer application: command registration and the one error boundary.

Start-up is a feature (shell completion runs ``scc`` on every Tab), so this module and
the command modules import only Typer and scc's light core at import time; pydantic,
tomli, rich, httpx and tomlkit are imported inside the code paths that need them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from importlib import import_module
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
            from speechcompress.render.visible import visible

            for line in exc.lines():
                sys.stderr.write(visible(line) + "\n")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            raise typer.Exit(130) from None
        except OSError as exc:
            # A safety net: file errors should arrive as FileProblem, but one that slips
            # through is still the user's file, not a bug to show as a traceback.
            reason = exc.strerror or str(exc)
            shown = f"{exc.filename}: {reason}" if exc.filename else reason
            from speechcompress.render.visible import visible

            sys.stderr.write(f"error: {visible(shown)}\n")
            raise typer.Exit(4) from None

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        # The app embedded or run by a test answers Tab as the console script does.
        from speechcompress.cli.complete import run_if_requested

        run_if_requested()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


#: Every command: its name, module and function. The order is the order --help shows.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("cmd_browse", "list_papers"),
    "search": ("cmd_browse", "search"),
    "show": ("cmd_browse", "show"),
    "stats": ("cmd_info", "stats"),
    "info": ("cmd_info", "info"),
    "export": ("cmd_export", "export"),
    "site": ("cmd_site", "site"),
    "import": ("cmd_import", "import_papers"),
    "cite": ("cmd_cite", "cite"),
    "tag": ("cmd_tag", "tag"),
    "init": ("cmd_init", "init"),
    "add": ("cmd_arxiv", "add"),
    "refresh": ("cmd_arxiv", "refresh"),
    "check": ("cmd_check", "check"),
    "results": ("cmd_results", "results"),
    "compare": ("cmd_results", "compare"),
    "cache": ("cmd_info", "cache"),
    "discover": ("cmd_discover", "discover"),
}


def make_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The Typer app with these commands (default: all of them)."""
    new = typer.Typer(
        cls=SccGroup,
        name="scc",
        epilog="Exit codes: 0 ok, 1 check failed or nothing found, 2 usage error, "
        "3 invalid catalog, 4 file problem, 5 network error, 6 duplicate paper, 130 interrupted.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # Plain click help: it re-wraps docstrings to the terminal and skips importing rich.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(_root)
    for name in COMMANDS if names is None else names:
        module, function = COMMANDS[name]
        new.command(name)(getattr(import_module(f"speechcompress.cli.{module}"), function))
    return new


def requested_command(argv: Sequence[str]) -> str | None:
    """The command a command line runs, if it names one scc has.

    Typer turns every registered command into a Click command at each start (~35 ms
    for all eleven, half of scc's own start-up), so ``main`` registers only this one;
    help, completion and typos get the whole app.
    """
    if "_SCC_COMPLETE" in os.environ:
        return None
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scc {__version__}\n")
        raise typer.Exit()


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


def __getattr__(name: str) -> Any:
    # ``app``, the whole application (for tests and for embedding), is built on first use
    # only: the console script builds a smaller one for the command it runs.
    if name == "app":
        whole = globals()["app"] = make_app()
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
