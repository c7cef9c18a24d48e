"""``scc check``: catalog health for CI (being built)."""

from __future__ import annotations


def check() -> None:
    """Check the catalog (not built yet)."""
    raise NotImplementedError
