"""Rich tables for a terminal. rich is imported only here, when a table is drawn."""

from __future__ import annotations

from collections.abc import Sequence

from speechcompress.paper import Paper
from speechcompress.render.visible import visible


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

    console = _console(color, width)
    # visible() keeps each string's length, so the title spans still fit.
    rows = [
        tuple(
            map(
                visible,
                (paper.id, str(paper.year), paper.venue, ", ".join(paper.methods), paper.title),
            )
        )
        for paper in papers
    ]
    # The title column is at least its longest word wide, so no word of a title is cut.
    title_min = min(
        max((len(w) for r in rows for w in r[4].split()), default=5), console.width // 2
    )
    caps = _column_caps(rows, console.width, title_min)
    table = Table(show_edge=False, header_style="bold", pad_edge=False, expand=False)
    # Folded, an id stays whole (it is what `scc show` takes); the title gets the room.
    table.add_column("id", style="cyan", overflow="fold", max_width=caps[0])
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("venue", style="magenta", overflow="fold", max_width=caps[1])
    table.add_column("methods", style="green", overflow="fold", max_width=caps[2])
    table.add_column("title", ratio=1, min_width=title_min)
    for i, row in enumerate(rows):
        title = Text(row[4])
        for start, end in spans[i] if spans else ():
            title.stylize("bold yellow reverse", start, end)
        table.add_row(*row[:4], title)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]


#: The table's rule characters: four " │ " between five columns.
_RULES = 12
_YEAR = 4


def _column_caps(
    rows: Sequence[tuple[str, ...]], width: int, title_min: int
) -> tuple[int | None, int | None, int | None]:
    """Widest id, venue and methods columns that leave the title half the line or more.

    None (no cap) while everything fits: only a narrow terminal squeezes the short columns.
    """
    natural = [max((len(r[i]) for r in rows), default=0) for i in (0, 2, 3)]
    longest_title = max((len(r[4]) for r in rows), default=0)
    room = width - _RULES - _YEAR
    if room - sum(natural) >= min(longest_title, width // 2):
        return None, None, None
    left = room - max(title_min, room // 2)
    return max(8, left * 45 // 100), max(5, left * 25 // 100), max(7, left * 30 // 100)


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
        table.add_row(visible(label), str(n), "█" * max(1, round(30 * n / top)))
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[no-any-return]
