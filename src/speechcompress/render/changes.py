"""The ``scc refresh`` report as a plain table: one row per change, then a summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from speechcompress.refresh import Change


def render_changes(changes: Sequence[Change], checked: int, updated: Sequence[str] | None) -> str:
    """The ``scc refresh`` table; ``updated`` holds the ids written (None: no --write)."""
    papers = f"{checked} paper{'s' if checked != 1 else ''}"
    if not changes:
        return f"no changes upstream for {papers}\n"
    rows = [("ID", "ARXIV", "CHANGE", "DETAIL")]
    rows += [(c.paper_id, c.arxiv, c.kind + (" *" if c.safe else ""), c.detail) for c in changes]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]])
        for row in rows
    ]
    safe = sum(1 for c in changes if c.safe)
    lines.append("")
    summary = f"{len(changes)} change{'s' if len(changes) != 1 else ''} in {papers}; "
    if not safe:
        summary += "none is a safe update"
    else:
        summary += f"{safe} safe update{'s' if safe != 1 else ''} (*)"
        applied = sum(1 for c in changes if c.safe and c.paper_id in (updated or ()))
        if updated is None:
            summary += ", applied by `scc refresh --write`"
        elif applied == safe:
            summary += " applied"
        else:
            summary += f", {applied or 'none'} applied"
    lines.append(summary)
    return "\n".join(lines) + "\n"
