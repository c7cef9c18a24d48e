"""The command-line interface: the only part of scc that prints."""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``scc`` console script."""
    from speechcompress.cli.app import make_app, requested_command

    name = requested_command(sys.argv[1:])
    make_app(None if name is None else [name])()
