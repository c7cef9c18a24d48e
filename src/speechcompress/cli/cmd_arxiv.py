"""``scc add`` and ``scc refresh``: papers from the arXiv API (being built)."""

from __future__ import annotations


def add() -> None:
    """Add papers by arXiv id (not built yet)."""
    raise NotImplementedError


def refresh() -> None:
    """Re-read arXiv entries and report what changed (not built yet)."""
    raise NotImplementedError
