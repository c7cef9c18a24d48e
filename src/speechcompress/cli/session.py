"""Opening the catalog for a command, and choosing how to print."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from speechcompress.errors import UsageError
from speechcompress.locate import CatalogLocation, locate_catalog
from speechcompress.paper import Catalog

if TYPE_CHECKING:
    from pathlib import Path

    from speechcompress.query import Filters
    from speechcompress.source import PaperSource

LIST_FORMATS = ("table", "plain", "json", "csv")


def open_source(db: str | None, *, no_cache: bool = False) -> PaperSource:
    """The catalog a command reads: from its index when current (see source.py)."""
    from speechcompress.source import open_source as open_path

    path = locate_catalog(db).path
    return open_path(path, use_cache=not no_cache and _nameable(path))


def _nameable(path: Path) -> bool:
    """Whether the cache can name its index after ``path``: a name that is not valid
    UTF-8 (``--db $'\\xff.toml'``) reads the TOML file itself instead."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def option_filters(
    source: PaperSource,
    *,
    year: list[str] | None,
    venue: list[str] | None,
    method: list[str] | None,
    model: list[str] | None,
    author: list[str] | None,
    has_code: bool,
) -> Filters:
    """The filters that the shared --year/--venue/--method/--model/--author/--has-code
    options ask for, checked against the catalog ``source`` reads."""
    from speechcompress.query import build_filters

    return build_filters(
        source.header,
        model_names=source.model_names() if model else (),
        years=year or (),
        venues=venue or (),
        methods=method or (),
        models=model or (),
        authors=author or (),
        has_code=has_code,
    )


def open_catalog(db: str | None, *, no_cache: bool = False) -> Catalog:
    """The whole catalog, every paper loaded."""
    return open_source(db, no_cache=no_cache).catalog()


def where(db: str | None) -> CatalogLocation:
    return locate_catalog(db)


BUNDLED_HINT = "pass --db PATH, set SCC_DB, or run from a folder with data/papers.toml"


def where_to_write(
    db: str | None, *, writing: bool = True, doing: str = "", hint: str = BUNDLED_HINT
) -> CatalogLocation:
    """The catalog a command changes (when ``writing``): never the one bundled with scc.

    ``doing`` names the change in the refusal ("add to": "no catalog to add to: ...").
    """
    location = where(db)
    if writing and location.source == "bundled":
        prefix = f"no catalog to {doing}: " if doing else ""
        raise UsageError(f"{prefix}scc will not edit the catalog bundled with it", hint=hint)
    return location


def color_allowed(stream: object = None) -> bool:
    """Rich output only on a terminal, and never with NO_COLOR set (no-color.org)."""
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return (
        bool(isatty and isatty())
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def pick_format(requested: str | None, choices: tuple[str, ...] = LIST_FORMATS) -> str:
    if requested is None:
        return "table" if color_allowed() else "plain"
    value = requested.lower()
    if value not in choices:
        raise UsageError(f"unknown format {requested!r}", hint=f"use one of {', '.join(choices)}")
    return value


def _tolerant(stream: object) -> None:
    """Let ``stream`` show what its encoding cannot hold as ``\\xe3`` escapes.

    Under ``LC_ALL=C`` or ``PYTHONIOENCODING=ascii`` a title such as "Guimarães" would
    otherwise end the command in a UnicodeEncodeError; a lone surrogate (a file name
    that is not UTF-8) would do so under any encoding.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", None) == "strict":
        reconfigure(errors="backslashreplace")


def emit(text: str) -> None:
    """Write data to stdout; a closed pipe (``scc list | head``) ends quietly."""
    _tolerant(sys.stdout)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None


def warn(text: str) -> None:
    """Chatter to stderr, with control characters made visible (titles may hold them)."""
    from speechcompress.render.visible import visible

    _tolerant(sys.stderr)
    sys.stderr.write(visible(text, keep_newlines=True) + "\n")
