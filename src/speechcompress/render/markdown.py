"""The awesome-list README: ``scc export`` (Markdown is the default format).

One line a paper, in the seed list's format::

    - [[VENUE](venue_url)] [[arXiv](https://arxiv.org/abs/ID)] [[code](url)] Title

A missing venue URL falls back to the DOI link; with neither, it renders as ``()``, as
hand-written lists do. A missing arXiv id or code link leaves its group out. A preprint
(venue arXiv) without a venue URL shows its arXiv link as its only venue group. Text is
escaped so that no title, label or URL can break the link syntax or inject HTML;
:mod:`speechcompress.importers.markdown` reads exactly this back.

Normal form (what round trips byte for byte): no trailing spaces, one blank line
between blocks, a single newline at the end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import METHOD_NAMES, METHODS

START_MARKER = "<!-- scc:start -->"
END_MARKER = "<!-- scc:end -->"
GROUPINGS = ("year", "venue", "method")
UNCLASSIFIED = "unclassified"

# Backslash-escapable characters that could open a link, emphasis, code or HTML.
_TEXT_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_URL_SPECIAL = re.compile(r"([\\()<> ])")


def block_marker(
    section: str | None,
    year: int | None,
    *,
    lines: Sequence[int] = (),
    ids: Sequence[str] = (),
) -> str:
    """The line that stands for a run of papers in a list's document (:func:`render_styled`):
    the papers of its section and year; ``ids`` (or, while importing, source ``lines``)
    first and in that order."""
    import json

    attrs: dict[str, object] = {
        k: v for k, v in (("section", section), ("year", year)) if v is not None
    }
    if lines:
        attrs["lines"] = list(lines)
    if ids:
        attrs["ids"] = list(ids)
    return f"<!-- scc:papers {json.dumps(attrs, ensure_ascii=False)} -->"


def resolve_block_lines(document: str, id_of_line: Mapping[int, str]) -> str:
    """``document`` with each block's source lines turned into the ids of its papers."""
    import json

    out = []
    for line in document.split("\n"):
        found = _BLOCK.match(line.strip())
        if found:
            attrs = json.loads(found.group(1))
            ids = [id_of_line[n] for n in attrs.get("lines", []) if n in id_of_line]
            line = block_marker(attrs.get("section"), attrs.get("year"), ids=ids)
        out.append(line)
    return "\n".join(out)


def escape_text(text: str) -> str:
    """Escape a title or label for Markdown; whitespace runs become one space."""
    return _TEXT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def escape_url(url: str) -> str:
    return _URL_SPECIAL.sub(r"\\\1", url)


def paper_line(paper: Paper) -> str:
    """The list item of one paper."""
    groups: list[str] = []
    if not (paper.venue == "arXiv" and paper.arxiv and not paper.venue_url):
        link = paper.venue_url or paper.doi_url or ""
        groups.append(f"[[{escape_text(paper.venue)}]({escape_url(link)})]")
    if paper.arxiv_url:
        groups.append(f"[[arXiv]({escape_url(paper.arxiv_url)})]")
    if paper.code:
        groups.append(f"[[code]({escape_url(paper.code)})]")
    return f"- {' '.join(groups)} {escape_text(paper.title)}"


@dataclass(frozen=True)
class ExportOptions:
    group_by: str = "year"
    toc: bool = False
    counts: bool = False
    chart: bool = False


def group_papers(papers: Sequence[Paper], group_by: str) -> list[tuple[str, list[Paper]]]:
    """Sections in display order. Years newest first; venues A-Z; methods in vocabulary
    order. A paper with several methods is listed under each of them."""
    by_year = sorted(enumerate(papers), key=lambda ip: (-ip[1].year, ip[0]))
    ordered = [p for _, p in by_year]
    sections: dict[str, list[Paper]] = {}
    if group_by == "year":
        for p in ordered:
            sections.setdefault(str(p.year), []).append(p)
        return list(sections.items())
    if group_by == "venue":
        for p in ordered:
            sections.setdefault(p.venue, []).append(p)
        return sorted(sections.items(), key=lambda kv: kv[0].casefold())
    if group_by == "method":
        for p in ordered:
            for m in p.methods or (UNCLASSIFIED,):
                sections.setdefault(m, []).append(p)
        rank = {m: i for i, m in enumerate((*METHODS, UNCLASSIFIED))}
        return sorted(sections.items(), key=lambda kv: rank[kv[0]])
    raise ValueError(f"unknown grouping {group_by!r}")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def _chart(papers: Sequence[Paper]) -> str:
    years = sorted({p.year for p in papers})
    counts = [sum(1 for p in papers if p.year == y) for y in years]
    top = max(counts, default=0)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta",
            '    title "Papers per year"',
            f"    x-axis [{', '.join(str(y) for y in years)}]",
            f'    y-axis "Papers" 0 --> {top}',
            f"    bar [{', '.join(str(c) for c in counts)}]",
            "```",
        ]
    )


def render_list(papers: Sequence[Paper], options: ExportOptions = ExportOptions()) -> str:
    """The list itself (chart, contents, sections): what sits between the scc markers."""
    sections = group_papers(papers, options.group_by)
    names = [
        METHOD_NAMES.get(key, key.capitalize()) if options.group_by == "method" else key
        for key, _ in sections
    ]
    headings = [
        f"{name} ({len(items)})" if options.counts else name
        for name, (_, items) in zip(names, sections, strict=True)
    ]
    blocks: list[str] = []
    if options.chart and papers:
        blocks.append(_chart(papers))
    if options.toc and sections:
        blocks.append(
            "## Contents\n\n" + "\n".join(f"- [{escape_text(h)}](#{anchor(h)})" for h in headings)
        )
    for heading, (_, items) in zip(headings, sections, strict=True):
        blocks.append(f"## {escape_text(heading)}\n\n" + "\n".join(paper_line(p) for p in items))
    return "\n\n".join(blocks)


def render_markdown(
    catalog: Catalog,
    papers: Sequence[Paper] | None = None,
    options: ExportOptions = ExportOptions(),
    style: Mapping[str, str] | None = None,
    appendix: str = "",
) -> str:
    """The whole README: title, description, the list, ``appendix`` (e.g. the results
    tables), footer; in normal form.

    With a list ``style`` (what :func:`read_style` reads from an imported list's
    ``.list.md`` file) the list's own document and line format instead.
    """
    papers = catalog.papers if papers is None else papers
    if style:
        return render_styled(papers, style)
    blocks = [f"# {catalog.title.strip()}"]
    if catalog.description.strip():
        blocks.append(catalog.description.strip())
    body = render_list(papers, options)
    if body:
        blocks.append(body)
    if appendix.strip():
        blocks.append(appendix.strip())
    if catalog.footer.strip():
        blocks.append(catalog.footer.strip())
    return normal_form("\n\n".join(blocks))


def normal_form(text: str) -> str:
    """Trailing spaces trimmed, blank-line runs made single, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def second_marker_line(document: str) -> int | None:
    """The 1-based line of a second start or end marker, if ``document`` has one.

    Only one list can be kept in sync: with two pairs, the second would silently go stale.
    """
    lines = [
        n
        for marker in (START_MARKER, END_MARKER)
        for n in [i for i, line in enumerate(document.splitlines(), 1) if marker in line][1:2]
    ]
    return min(lines) if lines else None


def replace_between_markers(document: str, body: str, newline: str = "\n") -> str | None:
    """``document`` with the text between the scc markers replaced by ``body``.

    The rest of the document is kept as it is; the new text ends its lines with
    ``newline``. None when the document lacks a start marker followed by an end marker.
    """
    start = document.find(START_MARKER)
    end = document.find(END_MARKER, start + len(START_MARKER)) if start != -1 else -1
    if start == -1 or end == -1:
        return None
    head = document[: start + len(START_MARKER)]
    block = f"\n\n{body.strip()}\n\n".replace("\n", newline)
    return f"{head}{block}{document[end:]}"


# --- a list in its own format -------------------------------------------------------------------

_BLOCK = re.compile(r"^<!-- scc:papers (\{.*\}) -->$")
_LINE = re.compile(r"^<!-- scc:line (\".*\") -->$")
STYLE_HEADER = (
    "<!-- scc: how `scc export` writes this catalog's list. Every line is written as it is,\n"
    "     except that each scc:papers line becomes its papers (same section and year), each\n"
    "     written with its list_line, else with the scc:line below. Edit freely. -->"
)
_FIELDS = ("title", "venue", "venue_url", "code", "arxiv_url")


def template_value(name: str, paper: Paper | Mapping[str, object]) -> str:
    """The text a ``{name}`` placeholder of a list line stands for."""

    def get(key: str) -> object:
        return paper.get(key) if isinstance(paper, Mapping) else getattr(paper, key)

    if name == "arxiv_url":
        return f"https://arxiv.org/abs/{get('arxiv')}" if get("arxiv") else ""
    value = str(get(name) or "")
    return escape_url(value) if name in ("venue_url", "code") else escape_text(value)


def fill_line(template: str, paper: Paper) -> str | None:
    """The paper's line from a template; None when the template needs a value it lacks."""
    import string

    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:  # a stray brace in a hand-edited line: write the seed's line instead
        return None
    names = [f for _, f, spec, conv in parsed if f]
    if any(n not in _FIELDS for n in names) or any(spec or conv for _, _, spec, conv in parsed):
        return None
    values = {n: template_value(n, paper) for n in names}
    if any(not values[n] for n in names if n != "venue_url"):
        return None
    return template.format_map(values)


def style_path(catalog: Path) -> Path:
    """Where a catalog keeps its list's format: ``papers.toml`` -> ``papers.list.md``."""
    return catalog.with_suffix(".list.md")


def style_text(style: Mapping[str, str]) -> str:
    """The ``.list.md`` file that keeps a list's format."""
    import json

    line = f"<!-- scc:line {json.dumps(style['line'], ensure_ascii=False)} -->"
    return f"{STYLE_HEADER}\n{line}\n{style['document'].rstrip()}\n"


def read_style(text: str) -> dict[str, str]:
    """A list's format from its ``.list.md`` file (see :func:`style_text`)."""
    import json

    lines = text.replace("\r\n", "\n").split("\n")
    line, document, skip = "", [], text.startswith("<!-- scc: how")
    for raw in lines:
        if skip:
            skip = not raw.rstrip().endswith("-->")
            continue
        found = _LINE.match(raw.strip())
        if found and not line:
            line = str(json.loads(found.group(1)))
            continue
        document.append(raw)
    return {"document": "\n".join(document), "line": line}


def render_styled(papers: Sequence[Paper], style: Mapping[str, str]) -> str:
    """``papers`` in a list's own document: each scc:papers line replaced by its papers."""
    import json

    lines = style["document"].split("\n")
    blocks: list[tuple[int, str | None, int | None]] = []
    for index, line in enumerate(lines):
        found = _BLOCK.match(line.strip())
        if found:
            attrs = json.loads(found.group(1))
            blocks.append((index, attrs.get("section"), attrs.get("year")))
    placed: dict[int, list[Paper]] = {index: [] for index, _, _ in blocks}
    listed: dict[str, list[tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        found = _BLOCK.match(line.strip())
        if found:
            for rank, pid in enumerate(json.loads(found.group(1)).get("ids", [])):
                listed.setdefault(pid, []).append((index, rank))
    ranked: dict[int, list[tuple[int, Paper]]] = {index: [] for index, _, _ in blocks}
    unlisted = []
    for paper in papers:
        # A paper the list shows in several places (two topics) is written in each.
        for index, rank in listed.get(paper.id, []):
            ranked[index].append((rank, paper))
        if paper.id not in listed:
            unlisted.append(paper)
    for index, entries in ranked.items():
        placed[index] = [p for _, p in sorted(entries, key=lambda e: e[0])]
    for paper in unlisted:
        # Its own section and year, else a block of its year, of its section, the first.
        homes = [i for i, s, y in blocks if (s, y) == (paper.section, paper.year)]
        homes += [i for i, _, y in blocks if y is not None and y == paper.year]
        homes += [i for i, s, _ in blocks if s is not None and s == paper.section]
        homes += [i for i, _, _ in blocks[:1]]
        home = homes[0] if homes else None
        if home is None:
            lines.append(paper_line(paper))
        else:
            placed[home].append(paper)
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in placed:
            out += [_styled_line(p, style.get("line", "")) for p in placed[index]]
        else:
            out.append(line)
    return normal_form("\n".join(out))


def _styled_line(paper: Paper, default: str) -> str:
    for template in (paper.list_line, default):
        if template:
            line = fill_line(template, paper)
            if line is not None:
                return line
    return paper_line(paper)
