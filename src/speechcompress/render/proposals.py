"""What the bibliographic sources propose, as a text table or JSON (pure functions)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from speechcompress.published import Proposal

#: The mark after a field in the table, by action.
_MARKS = {"fill": "*", "diff": "~", "manual": "?"}


def _value(value: Any) -> str:
    return "(none)" if value is None or value == "" else str(value)


def render_proposals(
    proposals: Sequence[Proposal],
    checked: int,
    *,
    overwrite: bool = False,
    written: Sequence[str] | None = None,
) -> str:
    """A table, one proposal per line with its evidence below it, and a summary line.

    ``written`` holds the ids written (None: nothing was to be written).
    """
    papers = f"{checked} paper{'s' if checked != 1 else ''}"
    if not proposals:
        return f"the sources propose nothing for {papers}\n"
    rows = [("ID", "FIELD", "SOURCE", "CHANGE")]
    for p in proposals:
        change = _value(p.new) if p.old in (None, "") else f"{_value(p.old)} -> {_value(p.new)}"
        rows.append((p.paper_id, f"{p.field} {_MARKS[p.action]}", p.source, change))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join([*(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)), row[3]])
        )
        if index:
            lines.append(" " * (widths[0] + 2) + proposals[index - 1].evidence)
    fill = sum(p.action == "fill" for p in proposals)
    diff = sum(p.action == "diff" for p in proposals)
    manual = sum(p.action == "manual" for p in proposals)
    lines.append("")
    parts = [
        f"{len(proposals)} proposal{'s' if len(proposals) != 1 else ''} for {papers}",
        f"{fill} to fill (*)",
        f"{diff} differing from the catalog (~, written only with --overwrite)",
        f"{manual} for a person (?)",
    ]
    summary = "; ".join(parts)
    if written is not None:
        summary += f"; written: {', '.join(written) if written else 'none'}"
    elif fill or (diff and overwrite):
        summary += "; `scc refresh --write` applies them"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def proposals_data(
    proposals: Sequence[Proposal], checked: Sequence[str], sources: Sequence[str]
) -> dict[str, Any]:
    """The JSON-ready record of a lookup: which papers, which sources, what they propose."""
    return {
        "sources": list(sources),
        "looked_up": list(checked),
        "proposals": [p.to_dict() for p in proposals],
    }


def render_proposals_json(
    proposals: Sequence[Proposal], checked: Sequence[str], sources: Sequence[str]
) -> str:
    return (
        json.dumps(proposals_data(proposals, checked, sources), ensure_ascii=False, indent=2) + "\n"
    )
