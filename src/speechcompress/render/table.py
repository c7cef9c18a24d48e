"""Rich tables for a terminal. rich is imported only here, when a table is drawn."""

from __future__ import annotations

from collections.abc import Sequence

from speechcompress.paper import Paper


def _console(color: bool, width: int | None):  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        soft_wrap=False,
    )


def render_table(
    papers: Sequence[Paper],
    *,
    spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    color: bool = True,
    width: int | None = None,
) -> str:
    """A table of papers; ``spans`` marks the matched parts of each title."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, header_style="bold", pad_edge=False, expand=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("venue", style="magenta", no_wrap=True)
    table.add_column("methods", style="green")
    table.add_column("title", ratio=1)
    for i, paper in enumerate(papers):
        title = Text(paper.title)
        for start, end in spans[i] if spans else ():
            title.stylize("bold yellow reverse", start, end)
        table.add_row(paper.id, str(paper.year), paper.venue, ", ".join(paper.methods), title)
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]


def render_bars(
    title: str, counts: Sequence[tuple[str, int]], *, color: bool = True, width: int | None = None
) -> str:
    """A labelled bar chart of counts."""
    from rich.table import Table

    table = Table(
        title=title,
        show_header=False,
        box=None,
        title_justify="left",
        title_style="bold",
        pad_edge=False,
    )
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    table.add_column(style="cyan")
    top = max((n for _, n in counts), default=1) or 1
    for label, n in counts:
        table.add_row(label, str(n), "█" * max(1, round(30 * n / top)))
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]
