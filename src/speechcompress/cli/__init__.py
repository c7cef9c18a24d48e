"""The command-line interface: the only part of scc that prints."""

from __future__ import annotations

import gc
import os
import sys

#: Commands that read the local catalog and are done in moments. Reference counting
#: frees what they make; the cycle collector only walked it again and again (20-25% of
#: a search that prints 20,000 papers), so they run without it. Commands that wait on
#: the network may run for minutes, and keep it.
_QUICK = frozenset(
    {"list", "search", "show", "stats", "info", "export", "cache", "results", "compare", "cite"}
)


def main() -> None:
    """Run the command that ``sys.argv`` names (raises ``SystemExit`` like any Click app).

    Safe to call in-process: it leaves the interpreter as it found it (the cycle
    collector stays on; only the console script, which exits right after, turns it off).
    A shell's completion request (``_SCC_COMPLETE``) is answered before Typer is imported.
    """
    from speechcompress.cli.complete import run_if_requested

    run_if_requested()
    from speechcompress.cli.app import make_app, requested_command

    name = requested_command(sys.argv[1:])
    make_app(None if name is None else [name])()


def _quick(argv: list[str]) -> bool:
    if "_SCC_COMPLETE" in os.environ:
        return True  # a Tab: answered from a small table, see complete.py
    from speechcompress.cli.app import requested_command

    name = requested_command(argv)
    # An offline check is quick too (it made the collector walk a parsed catalog).
    return name in _QUICK or (name == "check" and "--links" not in argv)


def run() -> None:
    """Entry point of the ``scc`` console script: :func:`main`, then a quick exit.

    Once a command has finished, interpreter shutdown only tears down modules and
    objects one by one, ~40 ms after a warm command and ~100 ms once pydantic is loaded:
    a third of a cold start. Output is flushed and every write scc makes is complete
    (atomic renames, committed SQLite), so scc leaves with ``os._exit`` instead.
    """
    if _quick(sys.argv[1:]):
        gc.disable()
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # the reader went away (scc list | head): nothing left to say to it
    os._exit(code)
