"""``scc check --links`` results as a text table, JSON, a Markdown report or annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from speechcompress.links import Link, LinkReport, LinkResult, Status
from speechcompress.render.findings import annotation

#: Headings of the Markdown report, worst first.
_HEADINGS = {
    Status.DEAD: "Dead links",
    Status.ERROR: "Links that could not be checked",
    Status.BLOCKED: "Links that refuse robots (probably fine)",
    Status.REDIRECTED: "Moved links (update them)",
}
_DEFAULT_FAIL = frozenset({Status.DEAD})


def summary_line(report: LinkReport) -> str:
    """``120 links: 1 dead, 2 errors, 3 blocked, 1 redirected, 110 ok, 3 skipped (40 cached)``."""
    counts = report.counts()
    total = len(report.results)
    parts = [
        f"{counts[Status.DEAD]} dead",
        f"{counts[Status.ERROR]} error{'' if counts[Status.ERROR] == 1 else 's'}",
        f"{counts[Status.BLOCKED]} blocked",
        f"{counts[Status.REDIRECTED]} redirected",
        f"{counts[Status.OK]} ok",
        f"{counts[Status.SKIPPED]} skipped",
    ]
    cached = sum(r.cached for r in report.results.values())
    tail = f" ({cached} from cache)" if cached else ""
    return f"{total} link{'' if total == 1 else 's'}: {', '.join(parts)}{tail}"


def _papers(links: Sequence[Link]) -> str:
    ids = list(dict.fromkeys(link.paper_id or f"[catalog] {link.field}" for link in links))
    return ", ".join(ids)


def _where(links: Sequence[Link]) -> str:
    first = links[0]
    where = f"{first.path}:{first.line}" if first.line else first.path
    return where + (f" (+{len(links) - 1})" if len(links) > 1 else "")


def render_links_table(report: LinkReport, show_all: bool = False) -> str:
    """Aligned columns, worst first; ok and skipped links only with ``show_all``."""
    rows = [
        (r, links)
        for r, links in report.rows()
        if show_all or r.status not in (Status.OK, Status.SKIPPED)
    ]
    lines: list[str] = []
    if rows:
        table = [("STATUS", "CODE", "WHERE", "PAPER", "DETAIL", "URL")] + [
            (
                str(r.status),
                str(r.code or "-"),
                _where(links),
                _papers(links),
                r.detail + (" (cached)" if r.cached else ""),
                r.url,
            )
            for r, links in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(5)]
        lines = [
            "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
            for row in table
        ]
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render_links_json(report: LinkReport) -> str:
    """Counts, then one object per distinct URL with every place it appears."""
    counts = report.counts()
    return (
        json.dumps(
            {
                "summary": {"links": len(report.results), **{str(s): n for s, n in counts.items()}},
                "results": [
                    {
                        **result.to_dict(),
                        "status": str(result.status),
                        "occurrences": [
                            {
                                "paper_id": link.paper_id,
                                "field": link.field,
                                "file": link.path,
                                "line": link.line or None,
                            }
                            for link in links
                        ],
                    }
                    for result, links in report.rows()
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_url(url: str) -> str:
    return f"<{url.replace('>', '%3E').replace('|', '%7C')}>"


def _md_row(result: LinkResult, links: Sequence[Link]) -> str:
    papers = ", ".join(
        dict.fromkeys(
            f"`{link.paper_id}` ({link.field})" if link.paper_id else f"[catalog] {link.field}"
            for link in links
        )
    )
    where = ", ".join(dict.fromkeys(f"`{link.path}:{link.line}`" for link in links))
    problem = (
        f"now at {_md_url(result.final_url)}"
        if result.status == Status.REDIRECTED and result.final_url
        else _md(result.detail or "-")
    )
    return f"| {papers} | {_md_url(result.url)} | {problem} | {where} |"


def render_links_markdown(report: LinkReport, title: str = "Link check") -> str:
    """A report a bot can post as an issue or a job summary: problems grouped by kind."""
    out = [f"## {title}", "", summary_line(report) + ".", ""]
    rows = report.rows()
    if not any(r.status in _HEADINGS for r, _ in rows):
        out += ["Every link works.", ""]
    for status, heading in _HEADINGS.items():
        group = [(r, links) for r, links in rows if r.status == status]
        if not group:
            continue
        out += [
            f"### {heading} ({len(group)})",
            "",
            "| Paper | Link | Problem | Where |",
            "|---|---|---|---|",
        ]
        out += [_md_row(r, links) for r, links in group]
        out.append("")
    return "\n".join(out)


def render_links_github(report: LinkReport, fail_on: frozenset[Status] = _DEFAULT_FAIL) -> str:
    """GitHub Actions annotations at each link's line: failing statuses as errors, other
    problems as warnings."""
    lines = []
    for result, links in report.rows():
        if result.status not in _HEADINGS:
            continue
        level = "error" if result.status in fail_on else "warning"
        message = f"{result.status}: {result.url} ({result.detail})"
        for link in links:
            title = f"{link.paper_id or '[catalog]'}: {link.field} link {result.status}"
            lines.append(annotation(level, message, file=link.path, line=link.line, title=title))
    return "".join(line + "\n" for line in lines)
