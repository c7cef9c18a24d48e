"""``scc import``: a hand-written Markdown list or a BibTeX file into a catalog."""

from __future__ import annotations


def import_papers() -> None:
    """Import papers (not built yet)."""
    raise NotImplementedError
