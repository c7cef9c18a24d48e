"""The command-line interface: the only part of scc that prints."""

from __future__ import annotations


def main() -> None:
    """Entry point of the ``scc`` console script."""
    from speechcompress.cli.app import app

    app()
