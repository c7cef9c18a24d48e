"""Read an awesome-list in the seed's format (what ``scc export`` writes).

Year headings (``## 2023``, optionally ``## 2023 (5)``), list items made of
``[[label](url)]`` link groups followed by the title. Every line that looks like a
list item but cannot be read is reported with its number, never dropped silently.
"""

from __future__ import annotations

import re
from typing import Any

from speechcompress.ids import normalize_arxiv_id
from speechcompress.importers import LineProblem, Parsed

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_YEAR_HEADING = re.compile(r"^(\d{4})(?:\s*\(\d+\))?$")
_ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ARXIV_ABS = re.compile(r"^https?://arxiv\.org/abs/(.+)$")
_SKIPPED_SECTIONS = ("contents", "table of contents")


def unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _scan_groups(text: str) -> tuple[list[tuple[str, str]], str] | None:
    """Split ``[[a](x)] [[b](y)] Title`` into [(a, x), (b, y)] and ``Title``."""
    groups: list[tuple[str, str]] = []
    i = 0
    while text.startswith("[[", i):
        j, label = i + 2, []
        while j < len(text) and text[j] != "]":
            if text[j] == "\\" and j + 1 < len(text):
                label.append(text[j:j + 2])
                j += 2
                continue
            label.append(text[j])
            j += 1
        if not text.startswith("](", j):
            return None
        k, url = j + 2, []
        while k < len(text) and text[k] != ")":
            if text[k] == "\\" and k + 1 < len(text):
                url.append(text[k:k + 2])
                k += 2
                continue
            url.append(text[k])
            k += 1
        if not text.startswith(")]", k):
            return None
        groups.append((unescape("".join(label)), unescape("".join(url))))
        i = k + 2
        while i < len(text) and text[i] == " ":
            i += 1
    return (groups, text[i:]) if groups else None


def _paper_from_groups(groups: list[tuple[str, str]], title: str, year: int) -> dict[str, Any]:
    data: dict[str, Any] = {"title": title, "year": year}
    arxiv_groups = [i for i, (label, _) in enumerate(groups) if label.casefold() == "arxiv"]
    for index, (label, url) in enumerate(groups):
        kind = label.casefold()
        if kind == "code":
            data["code"] = url
            continue
        if kind == "arxiv":
            abs_match = _ARXIV_ABS.match(url)
            is_link = abs_match and normalize_arxiv_id(abs_match.group(1)) == abs_match.group(1)
            if index == arxiv_groups[-1] and is_link and (index > 0 or len(arxiv_groups) == 1):
                data["arxiv"] = abs_match.group(1) if abs_match else url
                if index == 0:
                    data.setdefault("venue", "arXiv")
                continue
        if "venue" in data:
            raise ValueError(f"more than one venue group ({data['venue']!r} and {label!r})")
        data["venue"] = label
        if url:
            data["venue_url"] = url
    data.setdefault("venue", "arXiv")
    return data


def parse_markdown(text: str) -> Parsed:
    """Read a Markdown list; the caller validates and assigns ids."""
    result = Parsed()
    year: int | None = None
    section = ""
    in_fence = False
    description: list[str] = []
    seen_h2 = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, name = len(heading.group(1)), unescape(heading.group(2))
            if level == 1 and not result.title:
                result.title = name
            elif level == 2:
                seen_h2 = True
                section = name.casefold()
                match = _YEAR_HEADING.match(name)
                year = int(match.group(1)) if match else None
            continue
        item = _ITEM.match(line)
        if not item:
            if not seen_h2 and result.title:
                description.append(line)
            continue
        if section in _SKIPPED_SECTIONS:
            continue
        scanned = _scan_groups(item.group(1))
        if scanned is None:
            result.problems.append(LineProblem(number, "not a paper line: expected "
                                               "'- [[VENUE](url)] [[arXiv](url)] Title'"))
            continue
        groups, title = scanned
        if year is None:
            result.problems.append(LineProblem(number, "paper outside a year section (## 2023)"))
            continue
        title = unescape(title).strip()
        if not title:
            result.problems.append(LineProblem(number, "the paper has no title after its links"))
            continue
        try:
            result.papers.append((number, _paper_from_groups(groups, title, year)))
        except ValueError as exc:
            result.problems.append(LineProblem(number, str(exc)))
    result.description = "\n".join(description).strip()
    return result
