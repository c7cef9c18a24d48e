"""Results as text: aligned plain text, rich tables, JSON, CSV and Markdown.

Pure functions returning ``str``; values are always the printed strings, never floats.
rich is imported only when a terminal table is drawn.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from speechcompress.results.analysis import Comparison, rank_results
from speechcompress.results.schema import RESULT_FIELDS, Result

COLUMNS = ("MODEL", "PARAMS(M)", "BENCHMARK", "TASK", "METRIC", "VALUE", "KIND", "PAPER", "SOURCE")
#: Beside a metric: which way is better (lower, higher, or not known).
_ARROW = {True: " ↓", False: " ↑", None: ""}


def _metric(row: Result) -> str:
    if row.metric is None:
        return "-"
    return row.metric + _ARROW[row.lower_is_better]


def _kind(row: Result) -> str:
    parts = [row.role] if row.is_baseline else []
    if row.secondary:
        parts.append("reprint")
    return ",".join(parts)


def result_cells(row: Result) -> tuple[str, ...]:
    """One row's columns, as :data:`COLUMNS` names them."""
    return (
        row.model,
        row.params or "-",
        row.benchmark or "-",
        row.task or "-",
        _metric(row),
        row.printed or "-",
        _kind(row) or "-",
        row.paper,
        row.source,
    )


def _aligned(rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last runs long."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        out.append("  ".join(cells).rstrip() + "\n")
    return "".join(out)


def render_results_plain(rows: Sequence[Result]) -> str:
    """One line a result, columns aligned, the source URL last."""
    return _aligned([COLUMNS, *(result_cells(r) for r in rows)]) if rows else ""


def _console(color: bool, width: int | None):  # type: ignore[no-untyped-def]
    from speechcompress.render.table import _console as console

    return console(color, width)


def render_results_table(
    rows: Sequence[Result], *, color: bool = True, width: int | None = None
) -> str:
    """A rich table; teacher and reference rows dimmed, reprints marked."""
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in COLUMNS:
        table.add_column(
            name.lower(),
            justify="right" if name in ("PARAMS(M)", "VALUE") else "left",
            no_wrap=name != "SOURCE",
            overflow="fold",
        )
    for row in rows:
        table.add_row(*result_cells(row), style="dim" if row.is_baseline else None)
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]


def render_results_json(rows: Sequence[Result]) -> str:
    """A JSON array of full rows; ``value`` and ``params`` are the printed strings."""
    from speechcompress.render.data import json_text

    return json_text([r.to_dict() for r in rows])


def render_results_csv(rows: Sequence[Result]) -> str:
    """One line a result, a header first; empty cells for fields not given."""
    from speechcompress.render.data import csv_records

    return csv_records(
        RESULT_FIELDS,
        (r.to_dict() for r in rows),
        lambda v: "" if v is None else str(v).lower() if isinstance(v, bool) else v,
    )


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render_results_markdown(rows: Sequence[Result], *, heading: str = "###") -> str:
    """Markdown tables, one per benchmark and task, best first within each metric.

    Teacher and reference rows are in italics; every value links to its source. Rows
    without a value (a model's size alone) are left out.
    """
    groups: dict[tuple[str, str], list[Result]] = {}
    for row in rank_results([r for r in rows if r.value is not None]):
        groups.setdefault((row.benchmark or "", row.task or ""), []).append(row)
    blocks = []
    for (benchmark, task), members in groups.items():
        lines = [
            f"{heading} {_md(benchmark)}{' — ' + _md(task) if task else ''}",
            "",
            "| Model | Params (M) | Metric | Value | Paper | Source |",
            "| --- | ---: | --- | ---: | --- | --- |",
        ]
        for row in members:
            model = _md(row.model)
            if row.is_baseline:
                model = f"*{model}* ({row.role})"
            source = f"[{_md(row.where)}]({row.source})"
            if row.secondary:
                source += " (reprint)"
            lines.append(
                f"| {model} | {row.params or ''} | {_md(_metric(row))} | {_md(row.printed)} "
                f"| {row.paper} | {source} |"
            )
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


# -- side by side ---------------------------------------------------------------------


def _delta(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+f}"


def _compare_grid(comparison: Comparison, mark: str) -> list[list[str]]:
    """Header plus one row a line: task, metric, each model, each teacher.

    ``mark`` wraps a best value: "*{}" for plain text, "**{}**" for Markdown.
    """
    header = ["BENCHMARK", "TASK", "METRIC"]
    header += [
        f"{m} ({p}M)" if p else m for m, p in zip(comparison.models, comparison.params, strict=True)
    ]
    header += [
        f"{t} [teacher{', ' + p + 'M' if p else ''}]"
        for t, p in zip(comparison.teachers, comparison.teacher_params, strict=True)
    ]
    grid = [header]
    for line in comparison.lines:
        benchmark, task, metric, _unit = line.key
        cells = [benchmark, task or "-", f"{metric}{_ARROW[line.lower_is_better]}"]
        for cell in line.cells:
            if cell is None:
                cells.append("-")
                continue
            text = mark.format(cell.row.printed) if cell.best else cell.row.printed
            delta = _delta(cell.delta)
            cells.append(f"{text} ({delta})" if delta else text)
        cells += [t.printed if t is not None else "-" for t in line.teachers]
        grid.append(cells)
    return grid


def render_compare_plain(comparison: Comparison) -> str:
    """Aligned columns, one per model; ``*`` marks the best value of a line, and the
    number in brackets is the difference to the model's teacher."""
    if not comparison.lines:
        return ""
    return _aligned(_compare_grid(comparison, "*{}"))


def render_compare_markdown(comparison: Comparison) -> str:
    """A Markdown table; the best value of each line in bold."""
    if not comparison.lines:
        return ""
    grid = _compare_grid(comparison, "**{}**")
    head, *body = grid
    lines = ["| " + " | ".join(_md(h) for h in head) + " |"]
    lines.append("| --- | --- | --- |" + " ---: |" * (len(head) - 3))
    lines += ["| " + " | ".join(_md(c) if "**" not in c else c for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def render_compare_table(
    comparison: Comparison, *, color: bool = True, width: int | None = None
) -> str:
    """A rich table; the best value of each line in bold."""
    from rich.table import Table
    from rich.text import Text

    grid = _compare_grid(comparison, "{}")
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i, name in enumerate(grid[0]):
        table.add_column(name, justify="left" if i < 3 else "right", overflow="fold")
    for line, row in zip(comparison.lines, grid[1:], strict=True):
        cells: list[Text | str] = list(row[:3])
        for cell, text in zip(line.cells, row[3 : 3 + len(line.cells)], strict=True):
            cells.append(Text(text, style="bold green" if cell and cell.best else ""))
        cells += row[3 + len(line.cells) :]
        table.add_row(*cells)
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]


def comparison_to_dict(comparison: Comparison) -> dict[str, object]:
    """The comparison with printed values and exact deltas as strings."""
    return {
        "models": [
            {"model": m, "params": p}
            for m, p in zip(comparison.models, comparison.params, strict=True)
        ],
        "teachers": [
            {"model": t, "params": p}
            for t, p in zip(comparison.teachers, comparison.teacher_params, strict=True)
        ],
        "lines": [
            {
                "benchmark": line.key[0],
                "task": line.key[1] or None,
                "metric": line.key[2],
                "unit": line.key[3] or None,
                "lower_is_better": line.lower_is_better,
                "values": {
                    model: {
                        "value": cell.row.value,
                        "printed": cell.row.printed,
                        "delta_to_teacher": _delta(cell.delta) or None,
                        "teacher": cell.row.teacher,
                        "best": cell.best,
                        "paper": cell.row.paper,
                        "source": cell.row.source,
                    }
                    for model, cell in zip(comparison.models, line.cells, strict=True)
                    if cell is not None
                },
                "teachers": {
                    name: {"value": row.value, "printed": row.printed, "source": row.source}
                    for name, row in zip(comparison.teachers, line.teachers, strict=True)
                    if row is not None
                },
            }
            for line in comparison.lines
        ],
    }


def render_compare_json(comparison: Comparison) -> str:
    from speechcompress.render.data import json_text

    return json_text(comparison_to_dict(comparison))


def render_compare_csv(comparison: Comparison) -> str:
    """The plain grid as CSV, best values marked with ``*``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_compare_grid(comparison, "*{}"))
    return out.getvalue()
