"""Read an awesome-list in the seed's format (what ``scc export`` writes).

Year headings (``## 2023``, optionally ``## 2023 (5)``), list items made of
``[[label](url)]`` link groups followed by the title. Every line of a year section
that is not a paper (or a title wrapped onto the next line) is reported with its
number, never dropped silently. The text above the first ``##`` heading becomes the
catalog's description, the text after the last year section its footer.
"""

from __future__ import annotations

import re
from typing import Any

from speechcompress.ids import normalize_arxiv_id
from speechcompress.importers import LineProblem, Parsed
from speechcompress.render.markdown import END_MARKER, START_MARKER

# A closing run of #s counts only after a space (CommonMark): "# C#" is the heading "C#".
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_YEAR_HEADING = re.compile(r"^(\d{4})(?:\s*\(\d+\))?$")
_ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ARXIV_ABS = re.compile(r"^https?://arxiv\.org/abs/(.+)$")
_SKIPPED_SECTIONS = ("contents", "table of contents")
# CommonMark's line endings; str.splitlines would also split at U+2028, U+0085 ...
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _read_until(text: str, start: int, stop: str) -> tuple[int, str]:
    """(index of the first unescaped ``stop`` from ``start``, the unescaped text before it)."""
    i, raw = start, []
    while i < len(text) and text[i] != stop:
        step = 2 if text[i] == "\\" and i + 1 < len(text) else 1
        raw.append(text[i : i + step])
        i += step
    return i, unescape("".join(raw))


def _scan_groups(text: str) -> tuple[list[tuple[str, str]], str] | None:
    """Split ``[[a](x)] [[b](y)] Title`` into [(a, x), (b, y)] and ``Title``."""
    groups: list[tuple[str, str]] = []
    i = 0
    while text.startswith("[[", i):
        j, label = _read_until(text, i + 2, "]")
        if not text.startswith("](", j):
            return None
        k, url = _read_until(text, j + 2, ")")
        if not text.startswith(")]", k):
            return None
        groups.append((label, url))
        i = k + 2
        while i < len(text) and text[i] == " ":
            i += 1
    return (groups, text[i:]) if groups else None


def _arxiv_id(url: str, *, exact: bool) -> str | None:
    """The arXiv id an arXiv group links to. ``exact``: only the normal abs link counts."""
    if not exact:
        return normalize_arxiv_id(url)
    abs_match = _ARXIV_ABS.match(url)
    if abs_match and normalize_arxiv_id(abs_match.group(1)) == abs_match.group(1):
        return abs_match.group(1)
    return None


def _paper_from_groups(groups: list[tuple[str, str]], title: str, year: int) -> dict[str, Any]:
    data: dict[str, Any] = {"title": title, "year": year}
    arxiv_groups = [i for i, (label, _) in enumerate(groups) if label.casefold() == "arxiv"]
    for index, (label, url) in enumerate(groups):
        kind = label.casefold()
        if kind == "code":
            if "code" in data:
                raise ValueError("more than one code link")
            data["code"] = url
            continue
        if kind == "arxiv" and index == arxiv_groups[-1] and (index > 0 or len(arxiv_groups) == 1):
            # A lone first group is also how a preprint's venue is written, so only the exact
            # form export writes counts there; after a venue group any arXiv link (a
            # version, a pdf link) is the paper's arXiv id.
            arxiv = _arxiv_id(url, exact=index == 0)
            if arxiv:
                data["arxiv"] = arxiv
                if index == 0:
                    data.setdefault("venue", "arXiv")
                continue
        if not label.strip():
            raise ValueError("a link group has no venue name: write [[VENUE](url)]")
        if "venue" in data:
            raise ValueError(f"more than one venue group ({data['venue']!r} and {label!r})")
        data["venue"] = label
        if url:
            data["venue_url"] = url
    data.setdefault("venue", "arXiv")
    return data


def parse_markdown(text: str) -> Parsed:
    """Read a Markdown list; the caller validates and assigns ids.

    Text between the title and the first ``##`` heading is the description; text after
    the last year section's list (``## Contributing`` ...) is the footer. A line wrapped
    under a paper line continues its title, as Markdown renders it.
    """
    result = Parsed()
    lines = _LINE_BREAK.split(text)
    year: int | None = None
    section = ""
    in_fence = False
    description: list[str] = []
    seen_h2 = False
    last_list = -1  # index of the last line that belongs to a year section's list
    stray: list[int] = []  # text lines inside year sections that no paper claims
    item: dict[str, Any] | None = None  # the paper a continuation line extends
    after_item = False
    for index, raw in enumerate(lines):
        number = index + 1
        line = raw.rstrip()
        continues = after_item
        after_item = False
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or line.strip() in (START_MARKER, END_MARKER):
            continue
        if not line.strip():
            if not seen_h2 and result.title:
                description.append("")
            continue
        heading = _HEADING.match(line)
        if heading:
            level, name = len(heading.group(1)), unescape(heading.group(2))
            if level == 1 and not result.title:
                # The catalog title is written as is, like the description: keep its text.
                result.title = heading.group(2)
            elif level == 2:
                seen_h2 = True
                section = name.casefold()
                match = _YEAR_HEADING.match(name)
                year = int(match.group(1)) if match else None
                if year is not None:
                    last_list = index
            elif not seen_h2 and result.title:
                description.append(line)
            continue
        listed = _ITEM.match(line)
        if not listed:
            if not seen_h2:
                if result.title:
                    description.append(line)
            elif year is not None and continues:
                last_list = index
                after_item = True
                if item is not None:
                    item["title"] = f"{item['title']} {unescape(line.strip())}"
            elif year is not None:
                stray.append(index)
            continue
        if section in _SKIPPED_SECTIONS:
            continue
        scanned = _scan_groups(listed.group(1))
        if year is None:
            # Outside the year sections a bullet that is not a paper line is ordinary text.
            if scanned is not None:
                last_list = index
                result.problems.append(
                    LineProblem(number, "paper outside a year section (## 2023)")
                )
            elif not seen_h2 and result.title:
                description.append(line)
            continue
        last_list, after_item, item = index, True, None
        if scanned is None:
            result.problems.append(
                LineProblem(
                    number, "not a paper line: expected '- [[VENUE](url)] [[arXiv](url)] Title'"
                )
            )
            continue
        groups, title = scanned
        title = unescape(title).strip()
        if not title:
            result.problems.append(LineProblem(number, "the paper has no title after its links"))
            continue
        try:
            item = _paper_from_groups(groups, title, year)
        except ValueError as exc:
            result.problems.append(LineProblem(number, str(exc)))
            continue
        result.papers.append((number, item))
    for index in stray:
        if index < last_list:
            result.problems.append(
                LineProblem(index + 1, "text inside a year section is not part of any paper line")
            )
    result.description = "\n".join(description).strip()
    result.footer = (
        "\n".join(
            line.rstrip()
            for line in lines[last_list + 1 :]
            if line.strip() not in (START_MARKER, END_MARKER)
        ).strip()
        if last_list >= 0
        else ""
    )
    return result
