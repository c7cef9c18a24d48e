"""The results core: loading with path:line errors, ranking, the Pareto frontier,
side-by-side comparison, conflicts and the Markdown export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from speechcompress.errors import CatalogError, UsageError
from speechcompress.render.results import render_results_json, render_results_markdown
from speechcompress.results import results_path
from speechcompress.results.analysis import (
    build_result_filters,
    compare_results,
    conflicting_results,
    filter_results,
    pareto_frontier,
    rank_results,
)
from speechcompress.results.load import load_results
from speechcompress.results.schema import Result, ResultSet

FIXTURES = Path(__file__).parent / "fixtures" / "results"
IDS = {"dphubert", "robustdistiller", "lighthubert", "bigfoot", "q-asr"}


def loaded() -> ResultSet:
    return load_results(FIXTURES / "results.toml", IDS)


def row(model: str, params: str, value: str, lower: bool = True) -> Result:
    return Result(
        paper="p",
        model=model,
        source="https://x",
        where="T",
        params=params,
        benchmark="SUPERB",
        task="ASR",
        metric="WER",
        value=value,
        lower_is_better=lower,
    )


def test_values_keep_the_digits_they_were_printed_with() -> None:
    rows = loaded().results
    assert [r.value for r in rows[:3]] == ["12.50", "9.0", "96.30"]
    assert rows[2].number == Decimal("96.30")
    assert '"value": "6.541e+11"' in render_results_json(list(rows))


def test_every_bad_row_is_reported_at_once_with_its_line() -> None:
    with pytest.raises(CatalogError) as caught:
        load_results(FIXTURES / "bad.toml", IDS)
    lines = caught.value.lines()
    text = "\n".join(lines)
    assert "bad.toml:3: source #1: paper: no paper 'nosuchpaper' in the catalog" in text
    assert "bad.toml:15: " in text and "unknown metric 'WERR'; did you mean 'WER'?" in text
    assert (
        "bad.toml:16: " in text and "value: must be a string holding the number as printed" in text
    )
    assert "bad.toml:17: " in text and "unknown task 'ASRR'" in text
    assert "bad.toml:18: " in text and "value needs metric" in text
    assert "bad.toml:19: " in text and "colour: unknown field" in text
    assert lines[-1] == "6 problems"
    assert caught.value.exit_code == 3


def test_the_vocabulary_table_extends_the_built_in_names() -> None:
    assert "toy" in loaded().vocabulary.tasks
    assert "SUPERB" in loaded().vocabulary.benchmarks


def test_results_live_beside_the_catalog_unless_named(tmp_path: Path) -> None:
    assert results_path(tmp_path / "papers.toml") == tmp_path / "results.toml"
    assert results_path(tmp_path / "papers.toml", "other.toml") == Path("other.toml")


def test_ranking_is_best_first_for_each_metrics_direction() -> None:
    rows = loaded().results
    wer = rank_results([r for r in rows if r.metric == "WER" and r.task == "ASR"])
    assert [r.value for r in wer] == ["6.42", "6.420", "8.33", "8.34", "9.0", "12.50"]
    acc = rank_results([r for r in rows if r.metric == "Acc"])
    assert [r.value for r in acc] == ["96.30", "96.30", "95.10"]  # higher first, ties stable
    assert [r.model for r in acc[:2]] == ["Small A", "Big"]


def test_size_only_rows_come_last() -> None:
    ranked = rank_results(loaded().results)
    assert ranked[-1].model == "Small A (released)" and ranked[-1].value is None


def test_the_pareto_frontier_of_a_hand_made_set() -> None:
    points = [
        row("a", "10", "20"),
        row("b", "20", "15"),
        row("c", "25", "18"),  # bigger and worse than b
        row("d", "30", "15"),  # as good as b but bigger
        row("e", "40", "9"),
        row("f", "5+5", "25"),  # 10M as well, worse than a
    ]
    assert [r.model for r in pareto_frontier(points)] == ["a", "b", "e"]
    higher = [row("a", "10", "70", False), row("b", "20", "60", False), row("c", "30", "80", False)]
    assert [r.model for r in pareto_frontier(higher)] == ["a", "c"]


def test_filters_combine_and_check_names_against_the_vocabulary() -> None:
    results = loaded()
    filters = build_result_filters(
        results.vocabulary, benchmarks=["superb"], tasks=["ASR"], max_params=25
    )
    assert {r.model for r in filter_results(results.results, filters)} == {"Small A"}
    with pytest.raises(UsageError, match="unknown metric 'wr'") as caught:
        build_result_filters(results.vocabulary, metrics=["wr"])
    assert caught.value.hint == "did you mean 'WER'?"


def test_compare_puts_models_side_by_side_with_teacher_and_delta() -> None:
    comparison = compare_results(loaded().results, ["dphubert", "lighthubert"])
    assert comparison.models == ("Small A", "Small B", "Light S")
    assert comparison.teachers == ("Big",)
    asr = comparison.lines[0]
    assert asr.key == ("SUPERB", "ASR", "WER", "")
    a, b, light = asr.cells
    assert a is not None and a.delta == Decimal("6.08") and not a.best
    assert b is not None and b.delta == Decimal("2.58") and not b.best
    assert light is not None and light.best and light.row.value == "8.34"  # first source
    assert asr.teachers[0] is not None and asr.teachers[0].value == "6.42"
    ks = comparison.lines[1]
    assert ks.cells[0] is not None and ks.cells[0].best and ks.cells[0].delta == 0


def test_conflicts_are_different_values_from_different_sources() -> None:
    conflicts = conflicting_results(loaded().results)
    assert [(c.model, c.first.value, c.second.value) for c in conflicts] == [
        ("Light S", "8.34", "8.33")
    ]  # Big's 6.42 and 6.420 agree
    assert conflicts[0].first.source != conflicts[0].second.source


def test_markdown_export_has_a_table_per_benchmark_and_task() -> None:
    text = render_results_markdown(loaded().results)
    assert "### SUPERB — ASR\n" in text and "### SUPERB — KS\n" in text
    assert (
        "| *Big* (teacher) | 94.68 | WER ↓ | 6.42 | dphubert "
        "| [Table 1](https://example.org/dphubert/table1) |" in text
    )
    assert "[STaR table](https://example.org/star/table) (reprint)" in text
    assert "Small A (released)" not in text
