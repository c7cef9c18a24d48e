"""Read and validate a results file; every problem is reported at once with ``path:line``.

The file is small and read whole by tomli, then checked field by field against
:data:`ROW_FIELDS` here: no pydantic, so ``scc results`` starts as fast as ``scc list``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechcompress.errors import CatalogError, FileProblem, SccError
from speechcompress.results.schema import (
    NUMBER,
    PARAMS,
    QUALIFIERS,
    ROLES,
    Result,
    ResultSet,
    Vocabulary,
)

_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class _Field:
    """One key of a table: its kind, and whether it must be there."""

    kind: str  # "text", "bool", "number", "params", "url", or a vocabulary name
    required: bool = False


#: Every key of a ``[[sources]]`` table, and of one of its ``rows``.
SOURCE_FIELDS: dict[str, _Field] = {
    "paper": _Field("paper", required=True),
    "url": _Field("url", required=True),
    "where": _Field("text", required=True),
    "secondary": _Field("bool"),
    "note": _Field("text"),
    "rows": _Field("rows", required=True),
}
ROW_FIELDS: dict[str, _Field] = {
    "model": _Field("text", required=True),
    "role": _Field("role"),
    "teacher": _Field("text"),
    "params": _Field("params"),
    "benchmark": _Field("benchmarks"),
    "task": _Field("tasks"),
    "metric": _Field("metrics"),
    "value": _Field("number"),
    "unit": _Field("units"),
    "qualifier": _Field("qualifier"),
    "lower_is_better": _Field("bool"),
    "note": _Field("text"),
}
#: A row's keys that only mean something beside another: (key, needs).
_NEEDS = (
    ("value", "metric"),
    ("metric", "benchmark"),
    ("task", "benchmark"),
    ("unit", "value"),
    ("qualifier", "value"),
)


def load_results(
    path: str | os.PathLike[str], paper_ids: Collection[str], *, missing_hint: str | None = None
) -> ResultSet:
    """Read and validate the results file at ``path``; paper ids must be in ``paper_ids``.

    Raises :class:`FileProblem` when it cannot be read and :class:`CatalogError` listing
    every problem (each with ``path:line``) when it is not valid.
    """
    from speechcompress.catalog import read_text

    where = Path(path)
    if not where.is_file():
        raise FileProblem(
            f"no results file at {where}",
            hint=missing_hint or "pass --results PATH, or put results.toml beside the catalog",
        )
    return parse_results(read_text(where), where, paper_ids)


def parse_results(text: str, path: Path, paper_ids: Collection[str]) -> ResultSet:
    """Validate results text; every invalid row is reported, each with its line."""
    from speechcompress.catalog import display_path, parse_toml

    data = parse_toml(text, path)
    shown = display_path(path)
    lines = _Lines(text)
    problems: list[SccError] = []

    def problem(message: str, line: int, hint: str | None = None) -> None:
        problems.append(SccError(message, where=f"{shown}:{line}" if line else shown, hint=hint))

    for key in data:
        if key not in ("vocabulary", "sources"):
            problem(
                f"unknown top-level table {key!r}",
                0,
                hint="a results file has [vocabulary] and [[sources]] tables",
            )
    vocabulary = _vocabulary(data.get("vocabulary", {}), lines.vocabulary, problem)
    checkers = _checkers(vocabulary, paper_ids)

    results: list[Result] = []
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        problem("'sources' must be an array of tables ([[sources]])", 0)
        sources = []
    for s, source in enumerate(sources):
        head = lines.source(s)
        if not isinstance(source, dict):
            problem(f"source #{s + 1}: must be a table", head)
            continue
        label = f"source #{s + 1}"
        ok = _check_table(
            source, SOURCE_FIELDS, checkers, label, functools.partial(lines.key, s), problem
        )
        rows = source.get("rows")
        if not isinstance(rows, list):
            continue
        for r, row in enumerate(rows):
            at = lines.row(s, r)
            if not isinstance(row, dict):
                problem(f"{label} row {r + 1}: must be an inline table {{ model = ... }}", at)
                continue
            row_label = f"{label} row {r + 1} ({row.get('model', '?')!s})"
            good = _check_table(row, ROW_FIELDS, checkers, row_label, _always(at), problem)
            for key, needs in _NEEDS:
                if key in row and needs not in row:
                    problem(f"{row_label}: {key} needs {needs}", at)
                    good = False
            if ok and good:
                results.append(_result(source, row, at))
    if problems:
        raise CatalogError(problems)
    return ResultSet(tuple(results), vocabulary, str(path))


def _always(line: int) -> Callable[[str], int]:
    """Every key of a one-line row is on the row's line."""
    return lambda _key: line


def _result(source: dict[str, Any], row: dict[str, Any], line: int) -> Result:
    return Result(
        paper=source["paper"],
        source=source["url"],
        where=source["where"],
        secondary=source.get("secondary", False),
        source_note=source.get("note"),
        line=line,
        **{k: v for k, v in row.items()},
    )


_Report = Callable[..., None]


def _vocabulary(raw: Any, line: int, problem: _Report) -> Vocabulary:
    if not isinstance(raw, dict):
        problem("[vocabulary] must be a table", line)
        return Vocabulary()
    extra: dict[str, list[str]] = {}
    for key, names in raw.items():
        if key not in ("benchmarks", "tasks", "metrics", "units"):
            problem(
                f"[vocabulary] {key}: unknown field",
                line,
                hint="use benchmarks, tasks, metrics or units",
            )
        elif not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            problem(f"[vocabulary] {key}: must be a list of names", line)
        else:
            extra[key] = names
    return Vocabulary().extended(extra)


def _checkers(
    vocabulary: Vocabulary, paper_ids: Collection[str]
) -> dict[str, Callable[[Any], str | None]]:
    """For each kind of field, a function returning what is wrong with a value (or None)."""

    def text(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return "must be a non-empty string"
        return "must be one line" if _CONTROL.search(value) else None

    def one_of(kind: str, names: Iterable[str]) -> Callable[[Any], str | None]:
        choices = tuple(names)

        def check(value: Any) -> str | None:
            if not isinstance(value, str):
                return "must be a string"
            if value in choices:
                return None
            from speechcompress.vocab import did_you_mean

            tip = did_you_mean(value, choices)
            return f"unknown {kind} {value!r}{tip} (add it under [vocabulary])"

        return check

    def number(value: Any) -> str | None:
        if not isinstance(value, str):
            return (
                f'must be a string holding the number as printed, e.g. "{value}" '
                "(a TOML number would lose trailing zeros)"
                if isinstance(value, int | float) and not isinstance(value, bool)
                else 'must be a string holding the number as printed, e.g. "10.47"'
            )
        return None if NUMBER.match(value) else f"{value!r} is not a number as printed"

    def params(value: Any) -> str | None:
        if not isinstance(value, str) or not PARAMS.match(value):
            return 'must be a string of millions as printed, e.g. "23.59" or "124+6.2"'
        return None

    def paper(value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a paper id (a string)"
        if value in paper_ids:
            return None
        from speechcompress.vocab import did_you_mean

        return f"no paper {value!r} in the catalog{did_you_mean(value, paper_ids)}"

    return {
        "text": text,
        "bool": lambda v: None if isinstance(v, bool) else "must be true or false",
        "number": number,
        "params": params,
        "url": lambda v: (
            None if isinstance(v, str) and _URL.match(v) else "must be an http:// or https:// URL"
        ),
        "paper": paper,
        "role": one_of("role", ROLES),
        "qualifier": one_of("qualifier", QUALIFIERS),
        "benchmarks": one_of("benchmark", vocabulary.benchmarks),
        "tasks": one_of("task", vocabulary.tasks),
        "metrics": one_of("metric", vocabulary.metrics),
        "units": one_of("unit", vocabulary.units),
        "rows": lambda v: None if isinstance(v, list) and v else "must be a non-empty list of rows",
    }


def _check_table(
    table: Mapping[str, Any],
    fields: Mapping[str, _Field],
    checkers: Mapping[str, Callable[[Any], str | None]],
    label: str,
    line_of: Callable[[str], int],
    problem: _Report,
) -> bool:
    ok = True
    for key, spec in fields.items():
        if key not in table:
            if spec.required:
                problem(f"{label}: {key}: required field is missing", line_of(key))
                ok = False
            continue
        wrong = checkers[spec.kind](table[key])
        if wrong:
            problem(f"{label}: {key}: {wrong}", line_of(key))
            ok = False
    for key in table:
        if key not in fields:
            problem(f"{label}: {key}: unknown field", line_of(key))
            ok = False
    return ok


_SOURCE_HEADER = re.compile(r"^\s*\[\[\s*sources\s*\]\]")
_VOCABULARY_HEADER = re.compile(r"^\s*\[\s*vocabulary\s*\]")
_ROWS_START = re.compile(r"^\s*rows\s*=\s*\[")
_ROW_START = re.compile(r"^\s*\{")


class _Lines:
    """Lines (1-based) of sources, their keys and their rows, found in the raw text.

    Rows are found as lines opening with ``{`` inside ``rows = [``: the file keeps one
    row a line, so a one-number change is a one-line diff. A row laid out otherwise
    gets the line of its source's ``rows``.
    """

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")
        self.vocabulary = next(
            (i + 1 for i, s in enumerate(self._lines) if _VOCABULARY_HEADER.match(s)), 0
        )
        self._sources: list[int] = []
        self._rows: list[list[int]] = []
        in_rows = False
        for i, line in enumerate(self._lines):
            if _SOURCE_HEADER.match(line):
                self._sources.append(i)
                self._rows.append([])
                in_rows = False
            elif self._sources and _ROWS_START.match(line):
                in_rows = True
                if _ROW_START.match(line.split("[", 1)[1]):
                    self._rows[-1].append(i + 1)
            elif in_rows and _ROW_START.match(line):
                self._rows[-1].append(i + 1)
            elif in_rows and line.strip().startswith("]"):
                in_rows = False

    def source(self, index: int) -> int:
        return self._sources[index] + 1 if index < len(self._sources) else 0

    def key(self, index: int, key: str) -> int:
        if index >= len(self._sources):
            return 0
        start = self._sources[index]
        end = self._sources[index + 1] if index + 1 < len(self._sources) else len(self._lines)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pattern.match(self._lines[i]):
                return i + 1
        return start + 1

    def row(self, index: int, row: int) -> int:
        rows = self._rows[index] if index < len(self._rows) else []
        return rows[row] if row < len(rows) else self.key(index, "rows")
