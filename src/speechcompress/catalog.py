"""Parse and validate a catalog file's text; every error carries ``path:line``.

Pure: nothing here knows of caches. tomli parses; :mod:`speechcompress.fast_validate`
accepts the valid tables, and Pydantic (:mod:`speechcompress.models`, ~80 ms to import)
is asked only about the others, to say what is wrong. :mod:`speechcompress.source`
decides when to parse and when an unchanged catalog can be read back from its index.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechcompress.errors import CatalogError, FileProblem, SccError
from speechcompress.fileio import MissingFile, NotUtf8, read_user_text
from speechcompress.fileio import display_path as display_path  # its old home; re-exported
from speechcompress.paper import Catalog, Paper

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from speechcompress.vocab import Vocabulary

# Searched for without an anchor: a leading literal lets the regex engine skip ahead,
# where ``^`` under MULTILINE tries every position (7x slower on a 21 MB catalog).
_PAPER_HEADER = re.compile(r"\[\[[ \t]*papers[ \t]*\]\]")
_CATALOG_HEADER = re.compile(r"^\s*\[\s*catalog\s*\]")
# Any table header alone on its line (a paper's keys end at the next one, e.g. [catalog]).
_TABLE_HEADER = re.compile(r"\s*\[\[?[\w.\"' -]+\]\]?\s*(?:#.*)?$")  # matched at a line's start


def read_text(path: Path) -> str:
    """The catalog's text as stored: line endings are kept, so a CRLF file stays CRLF."""
    try:
        return read_user_text(path, "catalog", keep_newlines=True)
    except MissingFile as exc:
        raise FileProblem(
            exc.message,
            hint="pass --db PATH, set SCC_DB, or run from a folder with data/papers.toml",
        ) from None
    except NotUtf8 as exc:
        # Where the first bad byte is (path:line), and how to convert the file.
        raise CatalogError([SccError(exc.message, where=exc.where, hint=exc.hint)]) from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    import tomli

    try:
        return tomli.loads(text)
    except RecursionError:
        # tomli refuses inline arrays and tables nested past 400 levels by raising
        # RecursionError (so does Python itself for a deep enough nest).
        line = _too_deep(text)
        where = f"{display_path(path)}:{line}" if line else display_path(path)
        raise CatalogError(
            [
                SccError(
                    "TOML syntax error: nested too deeply",
                    where=where,
                    hint=f"arrays and inline tables may nest at most {_MAX_NESTING} levels",
                )
            ]
        ) from None
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", 0), getattr(exc, "colno", 0)
        msg = getattr(exc, "msg", str(exc))
        where = f"{display_path(path)}:{line}:{col}" if line else display_path(path)
        raise CatalogError([SccError(f"TOML syntax error: {msg}", where=where)]) from None


class LineMap:
    """Find the line of a paper table (and of a key inside it) in the raw text.

    Line numbers count ``\n`` as editors do (a CRLF file counts the same). A line inside
    a multi-line string (an abstract holding a line ``[[papers]]``) is never taken for
    a header or a key. Only the paper headers are found up front (one regex pass, plus
    a look at each line holding a triple quote); the rest is worked out when an error
    needs it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        #: (start, end) offsets of each multi-line string that spans lines.
        self._strings = _multiline_strings(text)
        #: 0-based line index of each ``[[papers]]`` header, in file order.
        self.papers: list[int] = []
        #: Offset in the text of the start of each of those lines.
        self._offsets: list[int] = []
        line, offset = 0, 0
        strings = iter(self._strings)
        string_end, string_start = -1, -1
        for match in _PAPER_HEADER.finditer(text):
            at = text.rfind("\n", 0, match.start()) + 1  # its line's start
            if text[at : match.start()].strip(" \t"):
                continue  # not first on its line
            while string_end < at:  # the next string that does not end before this header
                string_start, string_end = next(strings, (len(text), len(text) + 1))
            if string_start < at:
                continue
            line += text.count("\n", offset, at)
            offset = at
            self.papers.append(line)
            self._offsets.append(at)

    @functools.cached_property
    def quoted(self) -> frozenset[int]:
        """0-based lines that begin inside a multi-line string: never a header or a key."""
        inside: set[int] = set()
        line, offset = 0, 0
        for start, end in self._strings:
            line += self._text.count("\n", offset, start)
            last = line + self._text.count("\n", start, end)
            inside.update(range(line + 1, last + 1))
            line, offset = last, end
        return frozenset(inside)

    @functools.cached_property
    def lines(self) -> list[str]:
        return self._text.split("\n")

    @functools.cached_property
    def catalog(self) -> int:
        """0-based line of the ``[catalog]`` header, or -1."""
        return next(
            (
                i
                for i, s in enumerate(self.lines)
                if _CATALOG_HEADER.match(s) and i not in self.quoted
            ),
            -1,
        )

    @functools.cached_property
    def tables(self) -> list[int]:
        return [
            i for i, s in enumerate(self.lines) if _TABLE_HEADER.match(s) and i not in self.quoted
        ]

    def top_level(self, key: str) -> int:
        """1-based line where the top-level ``key`` is defined (a table header or a
        ``key =`` line outside any table), or 1 when it cannot be told."""
        pattern = re.compile(rf"^\s*(?:\[\[?\s*[\"']?{re.escape(key)}\b|{re.escape(key)}\s*=)")
        for i, line in enumerate(self.lines):
            if i not in self.quoted and pattern.match(line):
                return i + 1
        return 1

    def paper(self, index: int) -> int:
        return self.papers[index] + 1 if index < len(self.papers) else 0

    def key(self, index: int, key: str) -> int:
        """1-based line of ``key = ...`` in the paper at ``index`` (its header's line when
        the key is not there; 0 when there is no such paper).

        Searches the text of that one paper only (up to the next table header), so looking
        up every paper's key costs about one pass over the file, not one per paper.
        """
        if index >= len(self.papers):
            return 0
        text = self._text
        begin = self._offsets[index]
        stop = self._offsets[index + 1] if index + 1 < len(self._offsets) else len(text)
        body = text.find("\n", begin, stop) + 1 or stop  # the keys start after the header
        found = self._first_line(_key_pattern(key), _key_start(key), body, stop)
        # The paper's own keys end at a table header (``[papers.sub]``): is one before it?
        if found < 0 or self._first_line(_TABLE_HEADER, _TABLE_START, body, found) >= 0:
            return self.papers[index] + 1
        return self.papers[index] + 1 + text.count("\n", begin, found)

    def _first_line(
        self, pattern: re.Pattern[str], start: re.Pattern[str], low: int, high: int
    ) -> int:
        """Offset of the first line in ``text[low:high]`` that ``pattern`` matches, seen as
        a line on its own and not inside a multi-line string; -1 if none. ``low`` is the
        start of a line other than the first.

        Only lines that ``start`` finds (a line break, blanks, then what the line must
        begin with) are tried: ``^`` under MULTILINE is tried at every position, a
        pattern that begins with a line break is looked for as fast as a string.
        """
        text = self._text
        pos = low - 1
        while (candidate := start.search(text, pos, high)) is not None:
            at = candidate.start() + 1
            end = text.find("\n", at)
            if pattern.match(text, at, len(text) if end < 0 else end) and not self._in_string(at):
                return at
            pos = candidate.end()
        return -1

    def _in_string(self, line_start: int) -> bool:
        """Whether the line starting at this offset begins inside a multi-line string."""
        if not self._strings:
            return False
        from bisect import bisect_right

        at = bisect_right(self._string_starts, line_start - 1) - 1
        return at >= 0 and line_start - 1 < self._strings[at][1]

    @functools.cached_property
    def _string_starts(self) -> list[int]:
        return [start for start, _ in self._strings]


@functools.lru_cache(maxsize=64)
def _key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(rf"\s*{re.escape(key)}\s*=")  # matched at a line's start


@functools.lru_cache(maxsize=64)
def _key_start(key: str) -> re.Pattern[str]:
    return re.compile(rf"\n[^\S\n]*{re.escape(key)}")


_TABLE_START = re.compile(r"\n[^\S\n]*\[")


# A string or comment of valid TOML. Strings and comments other than multi-line strings
# end on their line, so a scan that starts at a line's first character (or right after a
# multi-line string) and skips each match tokenises them exactly as TOML does. A
# multi-line string may end in up to two extra quotes that belong to it.
_STRING_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"{3,5}'
    r"|'''[\s\S]*?'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+"
)


_MAX_NESTING = 400  # tomli's limit
_NESTING_TOKEN = re.compile(_STRING_OR_COMMENT.pattern + r"|[\[\]{}]")


def _too_deep(text: str) -> int:
    """1-based line of the first bracket nested past :data:`_MAX_NESTING`, or 0.

    Brackets inside strings and comments do not count. Only run once parsing failed.
    """
    depth = 0
    for match in _NESTING_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > _MAX_NESTING:
                return text.count("\n", 0, match.start()) + 1
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
    return 0


def _multiline_strings(text: str) -> list[tuple[int, int]]:
    """(start, end) of each multi-line string of ``text`` that holds a line break.

    Only lines with a triple quote are tokenised, so a big catalog costs little.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    # The next place of each delimiter, looked up again only once passed: a catalog
    # with no ''' at all must not be searched to its end for every """.
    after = {quote: text.find(quote) for quote in ('"""', "'''")}
    while True:
        for quote, at in after.items():
            if 0 <= at < pos:
                after[quote] = text.find(quote, pos)
        found = [at for at in after.values() if at >= 0]
        if not found:
            return spans
        candidate = min(found)
        scan = max(pos, text.rfind("\n", 0, candidate) + 1)
        match = _STRING_OR_COMMENT.search(text, scan)
        while match is not None and match.end() <= candidate:
            match = _STRING_OR_COMMENT.search(text, match.end())
        if match is None:  # not valid TOML: nothing more to find
            return spans
        start, end = match.span()
        if text.startswith(('"""', "'''"), start) and text.find("\n", start, end) >= 0:
            spans.append((start, end))
        pos = max(match.end(), candidate + 1)


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """(field, message) for one pydantic error."""
    loc = [str(p) for p in error.get("loc", ())]
    field = ".".join(loc) if loc else ""
    message = error.get("msg", "invalid")
    if error.get("type") == "extra_forbidden":
        message = "unknown field"
    elif error.get("type") == "missing":
        message = "required field is missing"
    message = message.removeprefix("Value error, ")
    return field, message


def parse_catalog(
    text: str, path: Path, data: dict[str, Any] | None = None, lines: LineMap | None = None
) -> Catalog:
    """Validate catalog text; every invalid paper is reported, each with its line.

    ``data`` is the text already parsed by :func:`parse_toml`, and ``lines`` its
    :class:`LineMap`, when the caller has them.
    """
    from speechcompress.fast_validate import accept_header, accept_paper

    if data is None:
        data = parse_toml(text, path)
    shown = display_path(path)
    lines = LineMap(text) if lines is None else lines
    problems: list[SccError] = []

    for key in data:
        if key not in ("catalog", "papers"):
            problems.append(
                SccError(
                    f"unknown top-level table {key!r}",
                    where=f"{shown}:{lines.top_level(key)}",
                    hint="a catalog has [catalog] and [[papers]] tables",
                )
            )
    # Valid tables are accepted without Pydantic; the others go to models.py, which
    # says what is wrong (and is imported only then).
    header = accept_header(data.get("catalog", {}))
    if header is None:
        header = _validate_header(data.get("catalog", {}), lines, shown, problems)

    vocabulary = Catalog("", venues=header.venues if header else ()).vocabulary
    raw_papers = data.get("papers", [])
    if not isinstance(raw_papers, list):
        problems.append(SccError("'papers' must be an array of tables ([[papers]])", where=shown))
        raw_papers = []
    papers: list[Paper] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_papers):
        line = lines.paper(index)
        pid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(pid, str):
            if pid in seen:
                problems.append(
                    SccError(
                        f"{_label(pid, index)}: id: already used by the paper at line {seen[pid]}",
                        where=f"{shown}:{lines.key(index, 'id')}",
                        hint="ids must be unique",
                    )
                )
            else:
                seen[pid] = line
        paper = accept_paper(raw, vocabulary, line)
        if paper is None:
            paper = _validate_paper(raw, vocabulary, index, lines, shown, problems)
        if paper is not None:
            papers.append(paper)

    if problems:
        raise CatalogError(problems)
    assert header is not None
    return dataclasses.replace(header, papers=tuple(papers), path=str(path))


def _validate_header(
    raw: Any, lines: LineMap, shown: str, problems: list[SccError]
) -> Catalog | None:
    """The ``[catalog]`` table by Pydantic: a catalog without papers, or None after
    adding what is wrong to ``problems``."""
    from pydantic import ValidationError

    from speechcompress.models import CatalogHeader

    try:
        header = CatalogHeader.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            field, message = _describe(err)
            # A missing [catalog] table is reported at the top of the file.
            where = f"{shown}:{lines.catalog + 1 if lines.catalog >= 0 else 1}"
            hint = None if lines.catalog >= 0 else 'start the file with [catalog] and title = "..."'
            problems.append(SccError(f"[catalog] {field}: {message}", where=where, hint=hint))
        return None
    return Catalog(
        title=header.title,
        description=header.description,
        footer=header.footer,
        venues=header.extra_venues(),
        official_hosts=tuple(header.official_hosts),
    )


def _label(pid: Any, index: int) -> str:
    """How an error names a paper: by its id, or by its place when it has none."""
    return f"paper {pid!r}" if isinstance(pid, str) else f"paper #{index + 1}"


def _validate_paper(
    raw: Any,
    vocabulary: Vocabulary,
    index: int,
    lines: LineMap,
    shown: str,
    problems: list[SccError],
) -> Paper | None:
    """One paper by Pydantic, or None after adding what is wrong to ``problems``."""
    from pydantic import ValidationError

    from speechcompress.models import validate_paper

    try:
        return validate_paper(raw, vocabulary, lines.paper(index))
    except ValidationError as exc:
        for err in exc.errors():
            field, message = _describe(err)
            key = field.split(".")[0]
            where = f"{shown}:{lines.key(index, key) if key else lines.paper(index)}"
            label = _label(raw.get("id") if isinstance(raw, dict) else None, index)
            problems.append(SccError(f"{label}: {field}: {message}", where=where))
    return None
