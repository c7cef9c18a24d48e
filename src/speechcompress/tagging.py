"""Decide what ``scc tag`` changes: list fields of many papers, values added or removed.

Pure: it returns the new values; :func:`speechcompress.writer.update_papers` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from speechcompress.errors import UsageError
from speechcompress.paper import Paper
from speechcompress.vocab import METHODS, Vocabulary, suggest


def plan_tags(
    papers: Sequence[Paper], wanted: Mapping[str, Sequence[str]], *, remove: bool = False
) -> dict[str, dict[str, list[str]]]:
    """paper id -> field -> its new list, for the papers whose lists change."""
    values = {name: [_canonical(name, v) for v in items] for name, items in wanted.items()}
    changes: dict[str, dict[str, list[str]]] = {}
    for paper in papers:
        for name, items in values.items():
            if not items:
                continue
            current: list[Any] = list(getattr(paper, name))
            if remove:
                folded = {i.casefold() for i in items}
                new = [v for v in current if v.casefold() not in folded]
            else:
                have = {v.casefold() for v in current}
                new = current + [v for v in items if v.casefold() not in have]
            if new != current:
                changes.setdefault(paper.id, {})[name] = new
    return changes


def _canonical(field: str, value: str) -> str:
    if field != "methods":
        if not value.strip():
            raise UsageError(f"an empty {field[:-1]}")
        return value.strip()
    method = Vocabulary.method(value)
    if method is None:
        guess = suggest(value, METHODS)
        raise UsageError(
            f"unknown method {value!r}",
            hint=f"did you mean {guess!r}?" if guess else f"use one of {', '.join(METHODS)}",
        )
    return method
