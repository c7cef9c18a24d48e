"""Malformed, hostile or odd catalogs end in one clear line and an exit code, quickly."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, run

HEAD = '[catalog]\ntitle = "T"\n\n[[papers]]\nid = "x"\ntitle = "X"\nyear = 2020\nvenue = "SLT"\n'


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("[" * 500 + "]" * 500, 9),
        ("[\n" * 300 + "{a = [" * 150 + "]}" * 150 + "]" * 300, 309),  # past 400 on line 309
        ("{a = " * 450 + "1" + "}" * 450, 9),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["check"], ["export", "--format", "json"]])
def test_a_catalog_nested_too_deeply_is_a_syntax_error_with_its_line(
    tmp_path: Path, value: str, line: int, command: list[str]
) -> None:
    db = tmp_path / "deep.toml"
    db.write_text(HEAD + f"models = {value}\n", encoding="utf-8")
    result = run(*command, "--db", str(db))
    assert result.exit_code == 3  # as any TOML syntax error
    assert f"deep.toml:{line}: TOML syntax error: nested too deeply" in result.stderr


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    from speechcompress.catalog import _too_deep

    text = HEAD + 'summary = "' + "[" * 1000 + '"\n# ' + "{" * 1000 + "\n"
    assert _too_deep(text) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
@pytest.mark.parametrize("command", [["list"], ["check"], ["show", "x"], ["search", "x"]])
def test_a_fifo_as_the_catalog_is_refused_not_waited_on(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(run(*command, "--db", str(fifo))))
    worker.start()
    worker.join(20)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "w"):
            pass
        worker.join(5)
        pytest.fail("scc blocked on a FIFO")
    (result,) = done
    assert getattr(result, "exit_code", None) == 4
    assert "it is a FIFO (named pipe), not a regular file" in getattr(result, "stderr", "")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_catalog_path_that_is_not_utf8_works(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.toml")
    db = tmp_path / name
    db.write_bytes((FIXTURES / "mini.toml").read_bytes())
    expected = run("list", "--db", str(db), "--no-cache")
    assert expected.exit_code == 0
    for _ in range(2):  # cold, then warm through the index
        assert (run("list", "--db", str(db)).stdout, expected.exit_code) == (expected.stdout, 0)
    assert run("search", "hubert", "--db", str(db)).exit_code == 0
    missing = run("list", "--db", str(tmp_path / os.fsdecode(b"gone\xff.toml")))
    assert missing.exit_code == 4
    assert len(missing.stderr.strip().splitlines()) == 2  # the error and its hint


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("abstract", '"""' + "word " * 1_000_000 + '"""', "abstract: String should have at most"),
        ("title", '"' + "T" * 5_000_000 + '"', "title: String should have at most 1000"),
        ("authors", "[" + '"A B", ' * 300_000 + "]", "authors: List should have at most 1000"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["check"]])
def test_a_huge_field_is_refused_quickly_naming_field_paper_and_line(
    tmp_path: Path, field: str, value: str, message: str, command: list[str]
) -> None:
    db = tmp_path / "huge.toml"
    text = HEAD.replace('title = "X"\n', "") if field == "title" else HEAD
    db.write_text(text + f"{field} = {value}\n", encoding="utf-8")
    result = run(*command, "--db", str(db))
    assert result.exit_code == (1 if command == ["check"] else 3)
    where = "huge.toml:8" if field == "title" else "huge.toml:9"
    shown = result.stderr if command == ["list"] else result.stdout + result.stderr
    assert where in shown and message in shown
    if command == ["list"]:
        assert "paper 'x'" in result.stderr
