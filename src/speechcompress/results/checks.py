"""What ``scc check`` says about the results file beside a catalog.

Conflicting values for one model, task and metric from two sources are warnings (both
are kept on purpose, and a reader should see both); a results file that does not
validate is reported problem by problem, as errors. No results file: nothing to say.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from speechcompress.checks import Finding, split_where
from speechcompress.errors import CatalogError
from speechcompress.fileio import display_path


def results_findings(catalog: Path, paper_ids: Collection[str]) -> list[Finding]:
    """Findings for ``results.toml`` beside ``catalog`` (its papers are ``paper_ids``)."""
    from speechcompress.results import results_path

    path = results_path(catalog)
    if not path.is_file():
        return []
    from speechcompress.results.analysis import conflicting_results
    from speechcompress.results.load import load_results

    shown = display_path(path)
    try:
        rows = load_results(path, paper_ids).results
    except CatalogError as exc:
        found = []
        for problem in exc.problems:
            where, line, col = split_where(problem.where or shown)
            found.append(
                Finding("error", None, where, line, problem.message, problem.hint, "results", col)
            )
        return found
    return [
        Finding(
            "warning",
            conflict.second.paper,
            shown,
            conflict.second.line,
            f"{conflict.model} {'/'.join(p for p in conflict.key if p)}: "
            f"{conflict.first.printed} ({conflict.first.where}, line {conflict.first.line}) "
            f"against {conflict.second.printed} ({conflict.second.where})",
            "two sources print different values; keep both if both are right, "
            "and say which is which in a note",
            "results-conflict",
        )
        for conflict in conflicting_results(rows)
    ]
