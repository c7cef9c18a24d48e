"""Readers that turn other formats into catalog papers (Markdown lists, BibTeX)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LineProblem:
    """A line of the input that could not become a paper."""

    line: int
    message: str


@dataclass
class Parsed:
    """What an importer read: catalog text, raw paper dicts with their lines, problems."""

    title: str = ""
    description: str = ""
    footer: str = ""
    papers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    #: The kind of each venue the input names, when the input says (a BibTeX @article's
    #: journal); other unknown venues get :func:`speechcompress.importers.venues.guess_kind`.
    venue_kinds: dict[str, str] = field(default_factory=dict)
    #: Lines that are not papers and were passed over (contents, prose, badges).
    skipped: int = 0
    #: How the list was written, for an export in its own format (Markdown lists only).
    style: dict[str, Any] = field(default_factory=dict)
