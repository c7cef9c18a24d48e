"""Read a paper list as people write it: an awesome-list README, a reading list, a table.

Sections: a heading that is a year (``## 2023``, ``### 2024 (12)``, a ``**2023**`` line,
a setext ``2023`` / ``----``) gives its papers their year; any other heading is a
topic, kept as each paper's ``section``, and its papers take their year from the line
(`` `ICASSP 2023` ``, ``(CVPR 2022)``, ``[[NeurIPS 2023](...)]``, a year column) or,
failing that, from their arXiv id. Lines are read by :mod:`.mdline`.

What is not a paper (contents, prose, badges, images, HTML) is skipped and counted,
never reported. A line in the seed's exact shape (``- [[VENUE](url)] [[arXiv](url)]
Title``) that cannot be read is reported with its number, as is a paper without a year.
The text above the first ``##`` heading becomes the catalog's description, the text
after the last paper its footer; :attr:`Parsed.style` keeps the whole document with
the papers' places marked, for an export in the list's own format.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from speechcompress.importers import LineProblem, Parsed
from speechcompress.importers.mdline import (
    clean_text,
    header_columns,
    line_template,
    read_line,
    unescape,
)
from speechcompress.render.markdown import END_MARKER, START_MARKER, block_marker
from speechcompress.vocab import Vocabulary

# A closing run of #s counts only after a space (CommonMark): "# C#" is the heading "C#".
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_YEAR_NAME = re.compile(
    r"^\W*(?:(?:year|papers?(?: in| of)?|in)\s+)?((?:19[5-9]|20\d)\d)\b"
    r"(?:\s*\([^()]*\)|\s+(?:papers?|works?|publications?))?\W*$",
    re.IGNORECASE,
)
_BOLD_YEAR = re.compile(r"^\s*(?:\*\*|__)\s*((?:19[5-9]|20\d)\d)\s*(?:\*\*|__)\s*:?\s*$")
# <details><summary>2023</summary> and a bullet that is only a year ("- **2023**").
_SUMMARY_YEAR = re.compile(
    r"^\s*(?:<details[^>]*>\s*)?<summary>\W*((?:19[5-9]|20\d)\d)\W*</summary>"
)
_BARE_YEAR = re.compile(r"^\W*((?:19[5-9]|20\d)\d)\W*$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SKIPPED_SECTIONS = re.compile(
    r"^(?:contents|table of contents|toc|index|contributing|contribute|contribution|"
    r"contributors?|how to contribute|license|licence|acknowledge?ments?|citation|cite|"
    r"citing|related(?: lists| repos| work| awesome lists)?|other (?:awesome )?lists|"
    r"star history|contact|news|updates|changelog|todo|to do|sponsors?)\b",
    re.IGNORECASE,
)
# The exact shape scc writes: link groups, then the title and nothing else.
_SEED_GROUPS = re.compile(r"^(?:\[\[(?:[^\[\]\\]|\\.)*\]\((?:[^()\\\s]|\\.)*\)\]\s*)+")
# CommonMark's line endings; str.splitlines would also split at U+2028, U+0085 ...
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ARXIV_YEAR = re.compile(r"^(\d\d)(\d\d)\.")


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
    from speechcompress.ids import normalize_arxiv_id

    if not exact:
        return normalize_arxiv_id(url)
    abs_match = re.match(r"^https?://arxiv\.org/abs/(.+)$", url)
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


def _seed_shape(content: str) -> bool:
    """Whether a list item is written exactly as scc writes one (groups, then plain text)."""
    groups = _SEED_GROUPS.match(content)
    if not groups:
        return False
    # What export writes escapes every special character: an unescaped one is markup.
    rest = re.sub(r"\\.", "", content[groups.end() :])
    return not re.search(r"\[[^\]]*\]|`|<|\*\*|__", rest)


#: The venue of a paper whose line names none (and has no arXiv id).
UNKNOWN_VENUE = "Unknown"
_NOT_A_LINE = "not a paper line: expected '- [[VENUE](url)] [[arXiv](url)] Title'"
_NO_YEAR = "no year: not under a year heading (## 2023) and none in the line"


class _Reader:
    """One pass over the document's lines; see :func:`parse_markdown`."""

    def __init__(self, text: str, vocab: Vocabulary) -> None:
        self.lines = _LINE_BREAK.split(text)
        self.vocab = vocab
        self.result = Parsed()
        self.year: int | None = None
        self.year_level = 0
        self.section: str | None = None
        self.section_level = 0
        self.skipping = False
        self.seen_h2 = False
        self.description: list[str] = []
        self.last_list = -1
        self.skeleton: list[str] = []
        self.pending: list[str] = []
        self.seed_items: dict[int, tuple[str, str]] = {}
        #: (index in the skeleton, section, year, source lines) of each run of papers.
        self.blocks: list[tuple[int, str | None, int | None, list[int]]] = []
        self.block: tuple[str | None, int | None] | None = None
        self.templates: dict[int, str] = {}
        self.seed_lines = 0
        self.papers_read = 0
        self.columns: dict[str, int] | None = None
        self.item: dict[str, Any] | None = None

    # --- headings -----------------------------------------------------------------------------

    def heading(self, level: int, raw: str) -> None:
        name = clean_text(raw)
        self.item = None
        self.columns = None
        if level == 1 and not self.result.title:
            # The catalog title is written as is, like the description: keep its text.
            self.result.title = raw
            return
        year = _YEAR_NAME.match(name)
        if level >= 2 and (year or level == 2):
            self.seen_h2 = True
        elif not self.seen_h2:
            return
        if year:
            self.year, self.year_level = int(year.group(1)), level
            if level <= self.section_level:
                self.section, self.section_level = None, 0
            self.skipping = False
            return
        if self.year is not None and level <= self.year_level:
            self.year, self.year_level = None, 0
        self.skipping = bool(_SKIPPED_SECTIONS.match(name))
        if not self.skipping:
            self.section, self.section_level = name, level

    # --- papers -------------------------------------------------------------------------------

    def paper(self, number: int, prefix: str, content: str, *, row: bool = False) -> bool:
        """Read a list item or table row; True when it was a paper (or a reported problem)."""
        seed = not row and _seed_shape(content)
        if self.skipping or (not self.seen_h2 and not row and not seed):
            return False
        if seed and self.year is not None:
            return self._seed_paper(number, prefix, content)
        read = read_line(content, self.vocab, columns=self.columns if row else None)
        data = read.data
        if read.problem or not data.get("title"):
            return False
        evidence = any(k in data for k in ("arxiv", "code", "venue_url", "venue"))
        if not evidence and not (row and data.get("year")):
            return False
        if len(clean_text(data["title"])) < 3:
            return False
        year = self.year or data.get("year")
        if year is None and data.get("arxiv"):
            match = _ARXIV_YEAR.match(data["arxiv"])
            year = 2000 + int(match.group(1)) if match else None
        if year is None:
            if not any(k in data for k in ("arxiv", "venue", "venue_url")):
                return False  # a tool or a repository: "[MQBench](github...): a benchmark"
            self.result.problems.append(LineProblem(number, _NO_YEAR))
            return True
        data["year"] = year
        if "venue" not in data:
            data["venue"] = "arXiv" if data.get("arxiv") else UNKNOWN_VENUE
            # Cited like a preprint (@misc): the list does not say where it appeared.
            self.result.venue_kinds.setdefault(UNKNOWN_VENUE, "preprint")
        if self.section:
            data["section"] = self.section
        template = prefix + line_template(content, read.spans, data)
        self._place(number, data, template)
        return True

    def _seed_paper(self, number: int, prefix: str, content: str) -> bool:
        assert self.year is not None
        scanned = _scan_groups(content)
        if scanned is None:
            self.result.problems.append(LineProblem(number, _NOT_A_LINE))
            return True
        groups, title = scanned
        title = unescape(title).strip()
        if not title:
            self.result.problems.append(
                LineProblem(number, "the paper has no title after its links")
            )
            return True
        try:
            data = _paper_from_groups(groups, title, self.year)
        except ValueError as exc:
            self.result.problems.append(LineProblem(number, str(exc)))
            return True
        if self.section:
            data["section"] = self.section
        self.seed_lines += 1
        self.seed_items[number] = (prefix, content)
        read = read_line(content, self.vocab)
        self._place(number, data, prefix + line_template(content, read.spans, data), seed=True)
        return True

    def _place(
        self, number: int, data: dict[str, Any], template: str, *, seed: bool = False
    ) -> None:
        self.papers_read += 1
        key = (self.section, self.year)
        if self.block != key:
            self._flush()
            self.blocks.append((len(self.skeleton), self.section, self.year, []))
            self.skeleton.append("")  # the block's marker, written at the end
            self.block = key
        else:
            # Notes between two papers of one block belong to no paper: not kept.
            self.pending = []
        self.templates[number] = template
        self.blocks[-1][3].append(number)
        self.result.papers.append((number, data))
        # Only a line in the seed's shape is continued by the next (a wrapped title).
        self.item = data if seed else None
        self.last_list = number - 1

    def _flush(self) -> None:
        self.skeleton.extend(self.pending)
        self.pending = []

    # --- the pass -----------------------------------------------------------------------------

    def run(self) -> Parsed:
        lines = self.lines
        in_fence = False
        in_comment = False
        after_item = False
        index = 0
        while index < len(lines):
            raw = lines[index]
            number = index + 1
            line = raw.rstrip()
            continues, after_item = after_item, False
            index += 1
            if in_comment:
                in_comment = "-->" not in line
                self._keep(raw)
                continue
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
                self._keep(raw)
                continue
            if in_fence:
                self._keep(raw)
                continue
            if line.strip() in (START_MARKER, END_MARKER):
                continue
            if line.lstrip().startswith("<!--") and "-->" not in line:
                in_comment = True
                self._keep(raw)
                continue
            if not line.strip():
                self.columns = None
                if not self.seen_h2 and self.result.title:
                    self.description.append("")
                self._keep(raw)
                continue
            heading = _HEADING.match(line)
            following = lines[index].rstrip() if index < len(lines) else ""
            if (
                not heading
                and _SETEXT.match(following)
                and not _ITEM.match(line)
                and "|" not in line
                and not (following.strip().startswith("-") and self.item is not None)
            ):
                level = 1 if following.strip().startswith("=") else 2
                self._heading_line(level, line.strip(), [raw, lines[index]])
                index += 1
                continue
            bold_year = _BOLD_YEAR.match(line) or _SUMMARY_YEAR.match(line)
            listed_year = _ITEM.match(line)
            if listed_year and _BARE_YEAR.match(clean_text(listed_year.group(2))):
                bold_year = _BARE_YEAR.match(clean_text(listed_year.group(2)))
            if heading:
                self._heading_line(len(heading.group(1)), heading.group(2), [raw])
                continue
            if bold_year:
                level = max(self.year_level, self.section_level + 1, 2)
                self._heading_line(level, bold_year.group(1), [raw])
                continue
            if line.lstrip().startswith("|"):
                if _TABLE_SEPARATOR.match(line):
                    self._keep(raw)
                    continue
                if _TABLE_SEPARATOR.match(following):
                    self.columns = header_columns(line)
                    self._flush()
                    self.block = None
                    self._keep(raw)
                    continue
                if self.columns is not None and self.paper(number, "", line, row=True):
                    continue
                self._skip(raw)
                continue
            listed = _ITEM.match(line)
            if listed:
                if self.paper(number, listed.group(1), listed.group(2)):
                    after_item = True
                    continue
                if listed.group(2).startswith("[[") and self.seen_h2 and not self.skipping:
                    # Meant as a paper line in the seed's shape, but broken: say so.
                    self.result.problems.append(LineProblem(number, _NOT_A_LINE))
                    continue
                self._skip(raw)
                continue
            if continues and self.item is not None:
                # A title wrapped onto the next line, as Markdown renders it.
                self.item["title"] = f"{self.item['title']} {unescape(line.strip())}"
                self.last_list = number - 1
                after_item = True
                continue
            self._skip(raw)
        self._flush()
        return self._finish()

    def _heading_line(self, level: int, name: str, raw: list[str]) -> None:
        was_title = not self.result.title
        self.heading(level, name)
        if not self.seen_h2 and self.result.title and not (level == 1 and was_title):
            self.description.extend(r.rstrip() for r in raw)
        self._flush()
        self.block = None
        self.skeleton.extend(raw)

    def _keep(self, raw: str) -> None:
        """A line of the document that is not a paper's."""
        (self.pending if self.block is not None else self.skeleton).append(raw)

    def _skip(self, raw: str) -> None:
        """A line that is no paper: prose, badges, contents ... kept in the document."""
        self.item = None
        if not self.seen_h2:
            if self.result.title:
                self.description.append(raw.rstrip())
        else:
            self.result.skipped += 1
        self._keep(raw)

    def _finish(self) -> Parsed:
        result = self.result
        result.description = "\n".join(self.description).strip()
        lines = self.lines
        result.footer = (
            "\n".join(
                line.rstrip()
                for line in lines[self.last_list + 1 :]
                if line.strip() not in (START_MARKER, END_MARKER)
            ).strip()
            if self.last_list >= 0
            else ""
        )
        for _, data in result.papers:
            data.pop("_wrapped", None)
        if self.papers_read > self.seed_lines:  # not (only) the seed's format: keep its look
            for number, data in result.papers:
                if number not in self.seed_items or data.get("list_line"):
                    continue
                # In a list of another format, "Title." ends with the list's full stop.
                prefix, content = self.seed_items[number]
                read = read_line(content, self.vocab)
                if read.data.get("title") and read.data["title"] != data["title"]:
                    data["title"] = read.data["title"]
                    self.templates[number] = prefix + line_template(content, read.spans, data)
            # The commonest line, the plainest of those as common: a new paper's format.
            counts = Counter(self.templates.values())
            default = max(counts, key=lambda t: (counts[t], -len(t)))
            for number, data in result.papers:
                template = self.templates.get(number)
                if template is not None and template != default:
                    data["list_line"] = template
            for index, section, year, numbers in self.blocks:
                self.skeleton[index] = block_marker(section, year, lines=numbers)
            result.style = {"document": "\n".join(self.skeleton), "line": default}
        return result


def parse_markdown(text: str, vocab: Vocabulary | None = None) -> Parsed:
    """Read a Markdown list; the caller validates and assigns ids.

    Text between the title and the first ``##`` heading is the description; text after
    the last paper is the footer. A list not in the seed's format also gets a
    :attr:`~speechcompress.importers.Parsed.style`: its document and line template.
    """
    return _Reader(text, vocab or Vocabulary()).run()
