"""``scc results`` and ``scc compare``: reported numbers, ranked and side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import color_allowed, emit, open_source, pick_format, warn, where

if TYPE_CHECKING:
    from speechcompress.results.analysis import Comparison, ResultFilters
    from speechcompress.results.schema import Result, ResultSet
    from speechcompress.source import PaperSource

RESULT_FORMATS = ("table", "plain", "json", "csv", "markdown")

ResultsFile = Annotated[
    str | None,
    typer.Option(
        "--results",
        metavar="PATH",
        help="Results file. Default: results.toml in the catalog file's folder "
        "(for the bundled catalog, the bundled results).",
        show_default=False,
    ),
]
Benchmark = Annotated[
    list[str] | None,
    typer.Option("--benchmark", "-b", metavar="NAME", help="Benchmark, e.g. SUPERB, LibriSpeech."),
]
Task = Annotated[
    list[str] | None,
    typer.Option("--task", "-t", metavar="NAME", help="Task or test set, e.g. ASR, test-other."),
]
Metric = Annotated[
    list[str] | None,
    typer.Option("--metric", metavar="NAME", help="Metric, e.g. WER, EER, Acc."),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, plain, json, csv or markdown. Default: table on a terminal, else plain.",
        autocompletion=lambda incomplete: [f for f in RESULT_FORMATS if f.startswith(incomplete)],
    ),
]


def _open(db: str | None, results: str | None, no_cache: bool) -> tuple[PaperSource, ResultSet]:
    from speechcompress.results import results_path
    from speechcompress.results.load import load_results

    source = open_source(db, no_cache=no_cache)
    path = results_path(where(db).path, results)
    ids = [p.id for p in source.papers(full=False)]
    return source, load_results(path, ids)


def _result_filters(
    results: ResultSet,
    benchmark: list[str] | None,
    task: list[str] | None,
    metric: list[str] | None,
    *,
    papers: list[str] | None = None,
    max_params: float | None = None,
) -> ResultFilters:
    from speechcompress.results.analysis import build_result_filters

    return build_result_filters(
        results.vocabulary,
        papers=papers,
        benchmarks=benchmark or (),
        tasks=task or (),
        metrics=metric or (),
        max_params=max_params,
    )


def render_results(rows: list[Result], fmt: str) -> str:
    from speechcompress.render import results as render

    if fmt == "json":
        return render.render_results_json(rows)
    if fmt == "csv":
        return render.render_results_csv(rows)
    if fmt == "markdown":
        return render.render_results_markdown(rows)
    if fmt == "table":
        return render.render_results_table(rows, color=color_allowed())
    return render.render_results_plain(rows)


def results(
    benchmark: Benchmark = None,
    task: Task = None,
    metric: Metric = None,
    max_params: Annotated[
        float | None,
        typer.Option(
            "--max-params", min=0, metavar="M", help="Only models of at most M million parameters."
        ),
    ] = None,
    year: opt.Year = None,
    venue: opt.Venue = None,
    method: opt.Method = None,
    model: opt.Model = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="FILE",
            help="Write parameters against the metric (.svg or .png), with the Pareto "
            "frontier, instead of printing. Needs: pip install 'speechcompress[plot]'.",
            show_default=False,
        ),
    ] = None,
    fmt: Format = None,
    results_file: ResultsFile = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """List reported results, best first for each metric, each with its paper and source.

    --year, --venue, --method and --model pick papers as in `scc list`; --benchmark,
    --task and --metric pick results (repeat one to OR its values). Teacher and
    reference rows are marked; values are exactly as printed in the source. Examples:

      scc results --benchmark SUPERB --task ASR

      scc results --benchmark SUPERB --task ASR --max-params 30 --format markdown

      scc results --benchmark SUPERB --task ASR --plot asr.svg
    """
    from speechcompress.results.analysis import filter_results, rank_results

    fmt_name = pick_format(fmt, RESULT_FORMATS)
    source, loaded = _open(db, results_file, no_cache)
    papers = None
    if year or venue or method or model:
        from speechcompress.cli.session import option_filters

        chosen = option_filters(
            source, year=year, venue=venue, method=method, model=model, author=None, has_code=False
        )
        papers = [p.id for p in source.filtered(chosen, full=False)]
    filters = _result_filters(loaded, benchmark, task, metric, papers=papers, max_params=max_params)
    rows = rank_results(filter_results(loaded.results, filters))
    if plot is not None:
        from speechcompress.render.plot import write_plot

        write_plot(rows, plot)
        warn(f"wrote {plot}")
        return
    if not rows:
        warn("no results match these filters")
    emit(render_results(rows, fmt_name))


def render_comparison(comparison: Comparison, fmt: str) -> str:
    from speechcompress.render import results as render

    if fmt == "json":
        return render.render_compare_json(comparison)
    if fmt == "csv":
        return render.render_compare_csv(comparison)
    if fmt == "markdown":
        return render.render_compare_markdown(comparison)
    if fmt == "table":
        return render.render_compare_table(comparison, color=color_allowed())
    return render.render_compare_plain(comparison)


def compare(
    papers: Annotated[
        list[str],
        typer.Argument(metavar="ID...", help="Paper ids or arXiv ids.", show_default=False),
    ],
    benchmark: Benchmark = None,
    task: Task = None,
    metric: Metric = None,
    fmt: Format = None,
    results_file: ResultsFile = None,
    db: opt.Db = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Put the papers' compressed models side by side, one line per task and metric.

    Each model's teacher gets a column too, and each value shows its difference to
    the teacher's in brackets. The best value of a line is bold (marked * in plain
    text and CSV, ** in Markdown). Example:

      scc compare dphubert distilhubert fithubert --benchmark SUPERB
    """
    from speechcompress.results.analysis import compare_results
    from speechcompress.source import require_paper

    fmt_name = pick_format(fmt, RESULT_FORMATS)
    source, loaded = _open(db, results_file, no_cache)
    ids = [require_paper(source, key).id for key in papers]
    filters = _result_filters(loaded, benchmark, task, metric)
    comparison = compare_results(loaded.results, ids, keep=filters.keeps)
    reported = {m.paper for m in loaded.results if m.value is not None}
    for pid in ids:
        if pid not in reported:
            warn(f"no results recorded for {pid!r}")
    if not comparison.lines:
        warn("no results to compare")
    emit(render_comparison(comparison, fmt_name))
