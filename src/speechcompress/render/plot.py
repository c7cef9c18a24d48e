"""Size against quality: one point a model, the Pareto frontier drawn, points labelled.

matplotlib (the optional ``plot`` extra) is imported only here, with the Agg backend, so
no display is needed; SVG text stays text, so the labels can be searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from speechcompress.errors import UsageError
from speechcompress.results.analysis import one_per_model, pareto_frontier, rank_results
from speechcompress.results.schema import Result

PLOT_FORMATS = (".svg", ".png")
INSTALL_HINT = "pip install 'speechcompress[plot]'"


def plot_points(rows: Sequence[Result]) -> list[Result]:
    """The rows a plot shows: one a model (its best), with a size and a value.

    Raises :class:`UsageError` unless they share one benchmark, task and metric.
    """
    points = one_per_model(
        rank_results(
            [
                r
                for r in rows
                if r.params_millions is not None and r.number is not None and r.qualifier is None
            ]
        )
    )
    if not points:
        raise UsageError(
            "nothing to plot: no result with both a size and a value matches",
            hint="try scc results --benchmark SUPERB --task ASR --plot out.svg",
        )
    keys = list(dict.fromkeys(r.key for r in points))
    if len(keys) > 1:
        shown = ", ".join(" / ".join(p for p in k if p) for k in keys[:4])
        raise UsageError(
            f"a plot needs one metric; these results have {len(keys)}: {shown}",
            hint="narrow them with --benchmark, --task and --metric",
        )
    return points


def write_plot(rows: Sequence[Result], path: Path) -> None:
    """Plot parameters against the metric of ``rows`` into an SVG or PNG file."""
    if path.suffix.lower() not in PLOT_FORMATS:
        raise UsageError(
            f"cannot plot to {path.name!r}", hint="use a file name ending in .svg or .png"
        )
    points = plot_points(rows)
    try:
        import matplotlib
    except ImportError:
        raise UsageError("plotting needs matplotlib", hint=INSTALL_HINT) from None
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG
    matplotlib.rcParams["svg.hashsalt"] = "scc"  # the same input gives the same file
    import matplotlib.pyplot as plt

    benchmark, task, metric, unit = points[0].key
    lower = points[0].lower_is_better
    frontier = pareto_frontier(points)
    on_front = {id(r) for r in frontier}
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    try:
        for row in points:
            x, y = float(row.params_millions or 0), float(row.number or 0)
            marker = "s" if row.is_baseline else "o"
            ax.scatter(
                [x],
                [y],
                marker=marker,
                s=36,
                color="tab:red" if id(row) in on_front else "tab:blue",
                zorder=3,
            )
        if len(frontier) > 1:
            ax.step(
                [float(r.params_millions or 0) for r in frontier],
                [float(r.number or 0) for r in frontier],
                where="post",
                color="tab:red",
                linewidth=1,
                label="Pareto frontier",
                zorder=2,
            )
            ax.legend(loc="best", fontsize=8)
        sizes = [float(r.params_millions or 0) for r in points]
        if min(sizes) > 0 and max(sizes) / min(sizes) > 20:
            ax.set_xscale("log")
        _label(ax, points)
        direction = {True: "lower is better", False: "higher is better", None: ""}[lower]
        what = f"{metric} ({unit})" if unit else metric
        ax.set_xlabel("parameters (millions)")
        ax.set_ylabel(f"{what}, {direction}" if direction else what)
        ax.set_title(" ".join(p for p in (benchmark, task, metric) if p), fontsize=10)
        ax.grid(True, linewidth=0.3)
        fig.tight_layout()
        try:
            fig.savefig(path, format=path.suffix.lower()[1:], metadata=_metadata(path))
        except OSError as exc:
            from speechcompress.errors import FileProblem

            raise FileProblem(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)


def _label(ax, points: Sequence[Result]) -> None:  # type: ignore[no-untyped-def]
    """Label each point, moving a label up past the ones already placed near it."""
    to_screen = ax.transData.transform
    scale = ax.figure.dpi / 72  # offsets are in points, screen positions in pixels
    placed: list[tuple[float, float]] = []
    for row in sorted(points, key=lambda r: (r.number, r.params_millions)):
        x, y = float(row.params_millions or 0), float(row.number or 0)
        px, py = to_screen((x, y))
        dy = 4.0
        while any(
            abs(px - qx) < 90 * scale and abs(py + dy * scale - qy) < 8 * scale for qx, qy in placed
        ):
            dy += 8
        placed.append((px, py + dy * scale))
        ax.annotate(row.model, (x, y), textcoords="offset points", xytext=(5, dy), fontsize=7)


def _metadata(path: Path) -> dict[str, str | None]:
    # No date in the file: the same results give the same bytes.
    return {"Date": None} if path.suffix.lower() == ".svg" else {}
