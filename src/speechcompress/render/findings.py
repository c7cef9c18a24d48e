"""``scc check`` findings as grouped text, JSON or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from speechcompress.checks import RULE_TITLES, Finding


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: Sequence[Finding], papers: int | None = None) -> str:
    """``2 errors, 1 warning in 104 papers`` (or ``no problems in 104 papers``)."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    counted = f" in {_plural(papers, 'paper')}" if papers is not None else ""
    if not findings:
        return f"no problems{counted}"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}{counted}"


def render_findings_text(findings: Sequence[Finding], papers: int | None = None) -> str:
    """Errors first, then warnings; each ``path:line [id] message`` with its hint below."""
    out: list[str] = []
    for severity, heading in (("error", "Errors"), ("warning", "Warnings")):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        out.append(f"{heading} ({len(group)})")
        for f in group:
            paper = f" [{f.paper_id}]" if f.paper_id else ""
            out.append(f"  {f.where}{paper} {f.message}")
            if f.hint:
                out.append(f"      fix: {f.hint}")
        out.append("")
    out.append(summary_line(findings, papers))
    return "\n".join(out) + "\n"


def render_findings_json(
    findings: Sequence[Finding], catalog: str, papers: int | None = None
) -> str:
    """One object: the catalog, counts, and every finding with stable field names."""
    errors = sum(f.severity == "error" for f in findings)
    return (
        json.dumps(
            {
                "catalog": catalog,
                "papers": papers,
                "errors": errors,
                "warnings": len(findings) - errors,
                "findings": [
                    {
                        "severity": f.severity,
                        "rule": f.rule,
                        "paper_id": f.paper_id,
                        "file": f.path,
                        "line": f.line or None,
                        "col": f.col or None,
                        "message": f.message,
                        "hint": f.hint,
                    }
                    for f in findings
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def escape_data(text: str) -> str:
    """Escape a workflow-command message (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    *,
    file: str | None = None,
    line: int = 0,
    col: int = 0,
    title: str = "",
) -> str:
    """One ``::error file=...,line=...,col=...,title=...::message`` line."""
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
        if line:
            props.append(f"line={line}")
            if col:
                props.append(f"col={col}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}"


def render_findings_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions annotations: each finding shows on the pull request's diff line."""
    lines = []
    for f in findings:
        title = RULE_TITLES.get(f.rule, f.rule)
        if f.paper_id:
            title = f"{f.paper_id}: {title}"
        message = f.message + (f"\nfix: {f.hint}" if f.hint else "")
        lines.append(
            annotation(f.severity, message, file=f.path, line=f.line, col=f.col, title=title)
        )
    return "".join(line + "\n" for line in lines)
