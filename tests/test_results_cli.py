"""`scc results` and `scc compare` as a user sees them."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, run

ROOT = Path(__file__).resolve().parents[1]
RESULTS = FIXTURES / "results" / "results.toml"
DATA = ["--db", str(ROOT / "data" / "papers.toml")]


def test_results_beside_the_catalog_are_found(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mini.toml", tmp_path / "papers.toml")
    shutil.copy(RESULTS, tmp_path / "results.toml")
    result = run("results", "--db", str(tmp_path / "papers.toml"), "--task", "asr")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["MODEL", "PARAMS(M)"]
    assert [line.split()[0] for line in lines[1:]] == [
        "Big",
        "Big",
        "Light",
        "Light",
        "Small",
        "Small",
    ]
    assert "teacher" in lines[1] and "reprint" in lines[2]


def test_a_missing_results_file_is_a_file_problem(mini: Path) -> None:
    result = run("results", "--db", str(mini))
    assert result.exit_code == 4
    assert "no results file" in result.stderr and "--results PATH" in result.stderr


def test_an_invalid_results_file_exits_3_with_every_line(mini: Path) -> None:
    result = run("results", "--db", str(mini), "--results", str(FIXTURES / "results" / "bad.toml"))
    assert result.exit_code == 3
    assert result.stderr.count("bad.toml:") == 6


def test_the_issue_example_lists_superb_asr_best_first_with_exact_values() -> None:
    result = run(
        "results", *DATA, "--benchmark", "SUPERB", "--task", "ASR", "--metric", "WER", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    values = [(r["model"], r["value"]) for r in rows]
    assert ("DPHuBERT (960h)", "10.47") in values and ("HuBERT Base", "6.42") in values
    numbers = [float(r["value"]) for r in rows]
    assert numbers == sorted(numbers)
    assert all(r["source"].startswith("https://") and r["paper"] for r in rows)


def test_json_carries_values_exactly_as_printed() -> None:
    result = run("results", *DATA, "--task", "QbE", "--model", "hubert", "-f", "json")
    values = {(r["model"], r["value"]) for r in json.loads(result.stdout)}
    assert ("DPHuBERT (960h)", "0.0693") in values
    result = run("results", *DATA, "--task", "KS", "-f", "json")
    assert ("HuBERT Base", "96.30") in {(r["model"], r["value"]) for r in json.loads(result.stdout)}


def test_paper_filters_and_max_params_apply(tmp_path: Path) -> None:
    result = run(
        "results", *DATA, "--year", "2023", "--task", "ASR", "--max-params", "23.58", "-f", "csv"
    )
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.startswith("paper,model,role,teacher,params")
    assert rows and all(
        r.split(",")[0] in {"dphubert", "recycle-and-distill", "star"} for r in rows
    )
    assert "DPHuBERT (100h)" in result.stdout and "DPHuBERT (960h)" not in result.stdout


def test_markdown_format(mini: Path) -> None:
    result = run("results", "--db", str(mini), "--results", str(RESULTS), "-f", "markdown")
    assert result.stdout.startswith("### SUPERB — ASR\n")


def test_unknown_names_are_usage_errors_with_a_hint() -> None:
    result = run("results", *DATA, "--benchmark", "SUPRB")
    assert result.exit_code == 2
    assert (
        "unknown benchmark 'SUPRB'" in result.stderr and "did you mean 'SUPERB'?" in result.stderr
    )


def test_compare_shows_superb_tasks_side_by_side_with_the_teacher() -> None:
    result = run("compare", "dphubert", "distilhubert", "fithubert", *DATA, "-b", "SUPERB")
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    for name in (
        "DPHuBERT (960h)",
        "DistilHuBERT (960h)",
        "FitHuBERT (960h)",
        "HuBERT Base [teacher",
    ):
        assert name in header
    tasks = {line.split()[1] for line in lines}
    assert {"PR", "KS", "IC", "SID", "ER", "ASR", "QbE", "SF", "ASV", "SD"} <= tasks
    asr = next(line for line in lines if line.split()[1] == "ASR")
    assert "10.47 (+4.05)" in asr and "*10.19 (+4.60)" in asr and "6.42" in asr


def test_compare_json_marks_the_best_and_keeps_printed_values() -> None:
    result = run("compare", "dphubert", "2110.01900", *DATA, "-t", "QbE", "-f", "json")
    data = json.loads(result.stdout)
    line = data["lines"][0]
    assert line["values"]["DPHuBERT (960h)"]["value"] == "0.0693"
    assert line["values"]["DPHuBERT (960h)"]["delta_to_teacher"] == "-0.0043"
    assert line["values"]["DPWavLM (960h)"]["best"] is True
    assert line["teachers"]["HuBERT Base"]["value"] == "0.0736"


def test_compare_an_unknown_paper_is_a_usage_error() -> None:
    result = run("compare", "dphubrt", *DATA)
    assert result.exit_code == 2 and "did you mean 'dphubert'?" in result.stderr


def test_plot_writes_a_labelled_svg(tmp_path: Path) -> None:
    # Its speed (<= 2 s) is measured by bench/results_startup.py, not asserted here.
    pytest.importorskip("matplotlib")
    out = tmp_path / "asr.svg"
    result = run(
        "results",
        *DATA,
        "--benchmark",
        "SUPERB",
        "--task",
        "ASR",
        "--metric",
        "WER",
        "--plot",
        str(out),
    )
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    for label in ("DPHuBERT (960h)", "STaRHuBERT (960h)", "HuBERT Base", "Pareto frontier"):
        assert label in svg
    assert result.stdout == ""


def test_plot_needs_one_metric_and_a_known_format(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = run("results", *DATA, "--benchmark", "SUPERB", "--plot", str(tmp_path / "x.svg"))
    assert result.exit_code == 2 and "a plot needs one metric" in result.stderr
    result = run(
        "results", *DATA, "--task", "ASR", "--metric", "WER", "--plot", str(tmp_path / "x.gif")
    )
    assert result.exit_code == 2 and ".svg or .png" in result.stderr


def test_plot_without_matplotlib_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    result = run(
        "results", *DATA, "--task", "ASR", "--metric", "WER", "--plot", str(tmp_path / "x.svg")
    )
    assert result.exit_code == 2
    assert "hint: pip install 'speechcompress[plot]'" in result.stderr
    assert not (tmp_path / "x.svg").exists()


def test_warm_results_and_compare_import_neither_pydantic_nor_rich_nor_matplotlib(
    tmp_path: Path,
) -> None:
    from test_lazy_imports import scc

    shutil.copy(FIXTURES / "mini.toml", tmp_path / "papers.toml")
    shutil.copy(RESULTS, tmp_path / "results.toml")
    db = str(tmp_path / "papers.toml")
    scc("list", "--db", db)  # builds the catalog's index
    for args in (("results", "--task", "ASR"), ("compare", "dphubert", "lighthubert")):
        code, modules, out = scc(*args, "--db", db)
        assert code == 0 and out
        assert not modules & {"pydantic", "pydantic_core", "rich", "httpx", "tomlkit"}
    code, modules, _ = scc("results", "--db", db)
    assert "tomli" in modules  # the results file itself is parsed on every run
