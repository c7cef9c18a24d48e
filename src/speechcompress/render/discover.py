"""``scc discover`` output: a plain table, JSON, or a Markdown checklist for an issue."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from speechcompress.discover.candidates import Candidate

#: The marker a bot looks for to find and update its own issue.
MARKER = "<!-- scc:discover -->"


def render_table(candidates: Sequence[Candidate]) -> str:
    """One line per candidate, best first: rank, score, arXiv id, methods, title."""
    if not candidates:
        return "no new papers found\n"
    rows = [("#", "SCORE", "ARXIV", "METHODS", "TITLE")]
    for n, c in enumerate(candidates, 1):
        rows.append(
            (str(n), f"{c.score:.3f}", c.entry.arxiv_id, ",".join(c.methods) or "-", c.entry.title)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join([*(r[i].ljust(widths[i]) for i in range(4)), r[4]]) for r in rows]
    return "\n".join(lines) + "\n"


def render_json(candidates: Sequence[Candidate]) -> str:
    """The candidates best first, as a JSON array of objects."""
    return json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("[", "\\[").replace("]", "\\]").split())


def render_markdown(candidates: Sequence[Candidate], *, query: str = "") -> str:
    """A checklist to post as an issue or PR body: tick, then `scc discover --accept`."""
    lines = [
        MARKER,
        f"**{len(candidates)} paper{'s' if len(candidates) != 1 else ''}** the catalog may "
        "be missing, most relevant first.",
        "",
        "Add the ones that belong with `scc discover --accept ID...`; turn the others down "
        'with `scc discover --reject ID... --reason "..."` so they are not proposed again.',
        "",
    ]
    for c in candidates:
        e = c.entry
        fields = [f"score {c.score:.3f}"]
        if c.methods:
            fields.append("methods: " + ", ".join(c.methods))
        if c.models:
            fields.append("models: " + ", ".join(c.models))
        fields.append(f"venue: {c.venue} {c.year}")
        lines.append(f"- [ ] [{e.arxiv_id}]({e.url}) {_cell(e.title)}")
        lines.append(f"  {' · '.join(fields)}")
        lines.append(f"  <sub>why: {_cell(c.why)}</sub>")
    if not candidates:
        lines.append("Nothing new this time.")
    if query:
        lines += ["", f"<sub>arXiv query: <code>{html.escape(query)}</code></sub>"]
    return "\n".join(lines) + "\n"
