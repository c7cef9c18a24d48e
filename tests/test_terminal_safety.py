"""No control character from a catalog reaches the terminal raw (OSC 52 and friends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, run
from speechcompress.paper import Paper
from speechcompress.render.plain import render_plain, render_record, render_stats_plain
from speechcompress.render.table import render_bars, render_table
from speechcompress.render.visible import json_safe, visible
from speechcompress.stats import compute_stats

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
CSI_C1 = "\x9b31m"
EVIL = Paper(
    id="evil",
    title=f"Harmless {OSC52}Title{CSI_C1}",
    year=2024,
    venue="arXiv",
    authors=(f"Mallory {OSC52}",),
    models=(f"Model{OSC52}",),
    methods=("pruning",),
    summary=f"one\ntwo{OSC52}",
    abstract="line one\nline two \x1b[2J\x08\x7f",
)
RAW = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x0A]


def raw_controls(text: str, *, allow_sgr: bool = False) -> list[str]:
    """The control characters in ``text`` other than newlines (and rich's own colours)."""
    if allow_sgr:
        import re

        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [c for c in text if c in RAW]


def test_visible_keeps_length_and_shows_each_control() -> None:
    shown = visible(OSC52)
    assert len(shown) == len(OSC52) and shown.startswith("␛]52") and shown.endswith("␇")
    assert visible("a\nb") == "a␊b" and visible("a\nb", keep_newlines=True) == "a\nb"
    assert visible("\x9b") == "\ufffd" and visible("plain Ünïcode") == "plain Ünïcode"
    assert json.loads(json_safe(json.dumps(["\x9b\x7f"], ensure_ascii=False))) == ["\x9b\x7f"]
    assert raw_controls(json_safe(json.dumps([OSC52 + CSI_C1], ensure_ascii=False))) == []


@pytest.mark.parametrize("color", [True, False])
def test_renderers_never_emit_a_raw_control(color: bool) -> None:
    assert raw_controls(render_plain([EVIL])) == []
    assert raw_controls(render_record(EVIL)) == []
    assert "line one\nline two" in render_record(EVIL)  # multi-line blocks stay multi-line
    table = render_table([EVIL], spans=[[(0, 8)]], color=color, width=200)
    assert raw_controls(table, allow_sgr=color) == [] and "␛]52" in table
    stats = compute_stats([EVIL])
    assert raw_controls(render_stats_plain(stats)) == []
    for title, counts in stats.sections():
        assert raw_controls(render_bars(title, counts, color=color), allow_sgr=color) == []


def _evil_catalog(tmp_path: Path) -> Path:
    text = (FIXTURES / "mini.toml").read_text(encoding="utf-8")
    text += (
        '\n[[papers]]\nid = "evil"\n'
        'title = "Harmless Title"\nyear = 2024\nvenue = "arXiv"\n'
        'summary = "harmless summary"\n'
        'abstract = "one\\ntwo \\u001b]52;c;eA==\\u0007 \\u001b[2J"\n'
    )
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["show", "evil"],
        ["show", "evil", "-f", "json"],
        ["list", "-f", "plain"],
        ["list", "-f", "table"],
        ["list", "-f", "csv"],
        ["list", "-f", "json"],
        ["search", "harmless", "-f", "table"],
        ["search", "harmless", "-f", "plain"],
        ["stats", "-f", "plain"],
        ["export"],
        ["export", "-f", "bibtex"],
        ["export", "-f", "json"],
    ],
)
def test_no_command_prints_a_raw_control(tmp_path: Path, args: list[str]) -> None:
    result = run(*args, "--db", str(_evil_catalog(tmp_path)))
    # Validation may refuse such a catalog one day; then the error must be clean too.
    assert result.exit_code in (0, 3), result.stderr
    assert raw_controls(result.stdout) == []
    assert raw_controls(result.stderr) == []
    if result.exit_code == 0 and args[0] in ("show", "list", "search"):
        assert "Harmless" in result.stdout


def test_an_error_message_naming_a_control_shows_it(tmp_path: Path) -> None:
    result = run("show", "no\x1b]52;c;eA==\x07such", "--db", str(FIXTURES / "mini.toml"))
    assert result.exit_code == 2
    assert raw_controls(result.stderr) == []
