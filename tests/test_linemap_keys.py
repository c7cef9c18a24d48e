"""LineMap.key searches one paper's text; it must give the lines a line-by-line scan gives."""

from __future__ import annotations

import random
import re

import pytest
import tomli

from speechcompress.catalog import _TABLE_HEADER, LineMap

PIECES = [
    'id = "x"\n',
    'venue = "I"\n',
    '  venue="J"\n',
    "\tvenue =1\r\n",
    'abstract = """\nvenue = "q"\n[[papers]]\n[x]\n"""\n',
    "s = '''\nvenue = 2\n'''\n",
    "[papers.sub]\n",
    "[catalog]\n",
    "# c\n",
    "\n",
    'title = "a [[papers]] b"\n',
    "[[papers]] # c\n",
    "[[ papers ]]\n",
    'x = """one line"""\n',
    'note = """\n  [catalog]\n  venue = 1"""\n',
    'm = ["a", "b"]\n',
    "  [ catalog . venues ]  \n",
    'x = "venue = 3"\n',
    '  venue_url = "u"\n',
    'a = [\n  "venue",\n]\n',
    "[[papers]]\nvenue = 9\n",
    "[[papers]]",
    "venue = 1",
    "\n[x]",
    '[[papers]]\nid = "q"\ncode = "c"\n',
]
KEYS = ["id", "venue", "title", "abstract", "venue_url", "code"]


def reference_key(lines: LineMap, index: int, key: str) -> int:
    """The line-by-line scan LineMap.key replaced."""
    if index >= len(lines.papers):
        return 0
    rows = lines._text.split("\n")
    quoted = lines.quoted
    tables = [i for i, s in enumerate(rows) if _TABLE_HEADER.match(s) and i not in quoted]
    start = lines.papers[index]
    end = next((t for t in tables if t > start), len(rows))
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i in range(start, end):
        if pattern.match(rows[i]) and i not in quoted:
            return i + 1
    return start + 1


@pytest.mark.parametrize("seed", range(4))
def test_key_lines_match_a_line_by_line_scan(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    while checked < 300:
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        try:
            tomli.loads(text)  # LineMap only ever sees text that parsed
        except tomli.TOMLDecodeError:
            continue
        lines = LineMap(text)
        for index in range(len(lines.papers) + 1):
            for key in KEYS:
                assert lines.key(index, key) == reference_key(lines, index, key), (text, key)
        checked += 1
