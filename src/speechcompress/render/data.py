"""Machine-readable formats: JSON (full records) and CSV (one row a paper)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from speechcompress.paper import PAPER_FIELDS, Paper


def render_json(papers: Sequence[Paper]) -> str:
    """A JSON array of full records with stable field names."""
    return json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2) + "\n"


def render_csv(papers: Sequence[Paper]) -> str:
    """One row per paper, a header row first; lists joined with ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PAPER_FIELDS)
    for paper in papers:
        record = paper.to_dict()
        writer.writerow(
            "; ".join(v) if isinstance(v, list) else "" if v is None else v
            for v in (record[f] for f in PAPER_FIELDS)
        )
    return out.getvalue()
