"""Machine-readable formats: JSON (full records) and CSV (one row a record).

Papers here; results (:mod:`speechcompress.render.results`) are written by the same two
functions, :func:`json_text` and :func:`csv_records`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from speechcompress.paper import PAPER_FIELDS, Paper


def json_text(value: Any) -> str:
    """``value`` as JSON: non-ASCII kept as is, indented, a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def csv_records(
    fields: Sequence[str], records: Iterable[Mapping[str, Any]], cell: Callable[[Any], Any]
) -> str:
    """A header row of ``fields``, then one row a record, each value written as ``cell(value)``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow(cell(record[f]) for f in fields)
    return out.getvalue()


def render_json(papers: Sequence[Paper]) -> str:
    """A JSON array of full records with stable field names."""
    return json_text([p.to_dict() for p in papers])


def render_csv(papers: Sequence[Paper]) -> str:
    """One row per paper, a header row first; lists joined with ``; ``."""
    return csv_records(
        PAPER_FIELDS,
        (p.to_dict() for p in papers),
        lambda v: "; ".join(v) if isinstance(v, list) else "" if v is None else v,
    )
