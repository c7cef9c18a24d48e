"""Filter, rank and compare results: pure functions over :class:`Result` rows, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from speechcompress.errors import UsageError
from speechcompress.results.schema import Result, Vocabulary

Key = tuple[str, str, str, str]


def resolve_name(value: str, names: Sequence[str], kind: str) -> str:
    """The vocabulary's spelling of ``value`` (case-insensitive), or a usage error."""
    for name in names:
        if name.casefold() == value.casefold():
            return name
    from speechcompress.vocab import suggest

    guess = suggest(value, names)
    raise UsageError(
        f"unknown {kind} {value!r}",
        hint=f"did you mean {guess!r}?" if guess else f"known: {', '.join(names)}",
    )


@dataclass(frozen=True)
class ResultFilters:
    """What ``scc results`` keeps. Empty fields filter nothing; repeated values OR."""

    papers: frozenset[str] | None = None  # ids of the papers kept by the paper filters
    benchmarks: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    metrics: frozenset[str] = frozenset()
    max_params: Decimal | None = None

    def keeps(self, row: Result) -> bool:
        if self.papers is not None and row.paper not in self.papers:
            return False
        if self.benchmarks and row.benchmark not in self.benchmarks:
            return False
        if self.tasks and row.task not in self.tasks:
            return False
        if self.metrics and row.metric not in self.metrics:
            return False
        if self.max_params is not None:
            size = row.params_millions
            if size is None or size > self.max_params:
                return False
        return True


def build_result_filters(
    vocabulary: Vocabulary,
    *,
    papers: Iterable[str] | None = None,
    benchmarks: Sequence[str] = (),
    tasks: Sequence[str] = (),
    metrics: Sequence[str] = (),
    max_params: float | None = None,
) -> ResultFilters:
    """Check option values against the results' vocabulary and build the filters."""
    return ResultFilters(
        papers=None if papers is None else frozenset(papers),
        benchmarks=frozenset(
            resolve_name(b, vocabulary.benchmarks, "benchmark") for b in benchmarks
        ),
        tasks=frozenset(resolve_name(t, vocabulary.tasks, "task") for t in tasks),
        metrics=frozenset(resolve_name(m, vocabulary.metrics, "metric") for m in metrics),
        max_params=None if max_params is None else Decimal(str(max_params)),
    )


def filter_results(rows: Iterable[Result], filters: ResultFilters) -> list[Result]:
    return [r for r in rows if filters.keeps(r)]


def _badness(row: Result) -> tuple[int, Decimal]:
    """Sort key within one metric: best first, rows without a value or direction last."""
    number = row.number
    if number is None:
        return (2, Decimal(0))
    if row.lower_is_better is None:
        return (1, Decimal(0))
    return (0, number if row.lower_is_better else -number)


def rank_results(rows: Sequence[Result]) -> list[Result]:
    """Rows grouped by benchmark, task and metric (in file order), best first in each.

    Equal values keep file order; the ordering is stable.
    """
    groups: dict[Key, list[Result]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    ordered = sorted(groups.values(), key=lambda g: g[0].value is None)  # size-only last
    return [row for group in ordered for row in sorted(group, key=_badness)]


def pareto_frontier(rows: Sequence[Result]) -> list[Result]:
    """The rows no other row beats on both size and value, smallest first.

    Only rows with a size, a value and a direction count; all must share one metric.
    """
    points = [
        r
        for r in rows
        if r.params_millions is not None and r.number is not None and r.lower_is_better is not None
    ]
    points.sort(key=lambda r: (r.params_millions, _badness(r)))
    frontier: list[Result] = []
    best: tuple[int, Decimal] | None = None
    for row in points:
        score = _badness(row)
        if best is None or score < best:
            frontier.append(row)
            best = score
    return frontier


def one_per_model(rows: Iterable[Result]) -> list[Result]:
    """The first row of each model (file order): one point a model on a plot."""
    seen: set[str] = set()
    out: list[Result] = []
    for row in rows:
        if row.model not in seen:
            seen.add(row.model)
            out.append(row)
    return out


@dataclass(frozen=True)
class Cell:
    """One model's value on one comparison line."""

    row: Result
    #: Value minus the teacher's, exactly, when both are plain numbers in the same unit.
    delta: Decimal | None
    best: bool


@dataclass(frozen=True)
class CompareLine:
    key: Key
    lower_is_better: bool | None
    #: One cell per compared model (None where the model has no value).
    cells: tuple[Cell | None, ...]
    #: One row per teacher column.
    teachers: tuple[Result | None, ...]


@dataclass(frozen=True)
class Comparison:
    models: tuple[str, ...]
    teachers: tuple[str, ...]
    lines: tuple[CompareLine, ...]
    #: A size for each model, from its first row that gives one.
    params: tuple[str | None, ...]
    teacher_params: tuple[str | None, ...]


def _teacher_row(rows: Sequence[Result], name: str, key: Key, prefer: str) -> Result | None:
    """The teacher's value for ``key``: from the same source if it has one, else any."""
    found = [r for r in rows if r.model == name and r.key == key and r.value is not None]
    same = [r for r in found if r.source == prefer]
    pool = same or found
    return pool[0] if pool else None


def compare_results(
    rows: Sequence[Result],
    papers: Sequence[str],
    *,
    keep: Callable[[Result], bool] = lambda _row: True,
) -> Comparison:
    """The named papers' compressed models side by side, one line per task and metric.

    ``rows`` are all results (teachers are looked up in all of them); ``keep`` narrows
    the lines, e.g. to one benchmark.
    """
    wanted = set(papers)
    mine = [
        r
        for r in rows
        if r.paper in wanted and not r.is_baseline and r.value is not None and keep(r)
    ]
    models = list(dict.fromkeys(r.model for r in mine))
    keys = list(dict.fromkeys(r.key for r in mine))
    first: dict[tuple[str, Key], Result] = {}
    for r in mine:
        first.setdefault((r.model, r.key), r)
    teachers = list(
        dict.fromkeys(
            r.teacher
            for r in mine
            if r.teacher and any(t.model == r.teacher and t.value is not None for t in rows)
        )
    )
    lines: list[CompareLine] = []
    for key in keys:
        cells_rows = [first.get((m, key)) for m in models]
        direction = next((c.lower_is_better for c in cells_rows if c is not None), None)
        teacher_rows: list[Result | None] = []
        for name in teachers:
            prefer = next((c.source for c in cells_rows if c and c.teacher == name), "")
            teacher_rows.append(_teacher_row(rows, name, key, prefer))
        scores = [_badness(c) for c in cells_rows if c is not None and c.qualifier is None]
        best = min(scores) if scores and direction is not None else None
        cells: list[Cell | None] = []
        for row in cells_rows:
            if row is None:
                cells.append(None)
                continue
            delta = None
            if row.teacher and row.teacher in teachers and row.qualifier is None:
                base = _teacher_row(rows, row.teacher, key, row.source)
                if base is not None and base.qualifier is None and base.number is not None:
                    delta = row.number - base.number if row.number is not None else None
            is_best = best is not None and row.qualifier is None and _badness(row) == best
            cells.append(Cell(row, delta, is_best))
        lines.append(CompareLine(key, direction, tuple(cells), tuple(teacher_rows)))

    def size(name: str, pool: Iterable[Result]) -> str | None:
        return next((r.params for r in pool if r.model == name and r.params), None)

    return Comparison(
        models=tuple(models),
        teachers=tuple(teachers),
        lines=tuple(lines),
        params=tuple(size(m, mine) for m in models),
        teacher_params=tuple(size(t, rows) for t in teachers),
    )


@dataclass(frozen=True)
class Conflict:
    """Two sources that print different values for one model, task and metric."""

    model: str
    key: Key
    first: Result
    second: Result


def conflicting_results(rows: Sequence[Result]) -> list[Conflict]:
    """Pairs of rows from different sources whose values for the same model, benchmark,
    task, metric and unit differ (compared exactly: "96.3" and "96.30" agree)."""
    by_key: dict[tuple[str, Key], list[Result]] = {}
    for row in rows:
        if row.number is not None:
            by_key.setdefault((row.model, row.key), []).append(row)
    conflicts: list[Conflict] = []
    for (model, key), group in by_key.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.source != b.source and (a.number, a.qualifier) != (b.number, b.qualifier):
                    conflicts.append(Conflict(model, key, a, b))
    return conflicts
