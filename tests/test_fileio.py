"""Reading user files: every failure is one ``error:`` line and exit 4, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run
from speechcompress import load_catalog
from speechcompress.catalog import read_text
from speechcompress.errors import CatalogError, FileProblem
from speechcompress.fileio import MissingFile, NotUtf8, read_user_text

# --- read_user_text -----------------------------------------------------------------------------


def test_a_missing_file_names_what_and_where(tmp_path: Path) -> None:
    with pytest.raises(MissingFile) as info:
        read_user_text(tmp_path / "gone.md", "file to import")
    assert info.value.exit_code == 4
    assert info.value.lines() == [f"error: file to import not found: {tmp_path / 'gone.md'}"]


def test_a_folder_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        read_user_text(tmp_path)
    assert info.value.lines() == [f"error: cannot read {tmp_path}: it is a folder, not a file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_gives_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(FileProblem, match="Permission denied"):
        read_user_text(path)


def test_bytes_that_are_not_utf8_give_the_line_and_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(b"@article{a,\n  title = {ok},\n  note = {Caf\xe9},\n}\n")
    with pytest.raises(NotUtf8) as info:
        read_user_text(path)
    error = info.value
    assert (error.exit_code, error.line, error.reason) == (4, 3, "invalid continuation byte")
    assert error.lines()[0] == (
        f"error: {path}:3: not UTF-8 text (byte 0xe9: invalid continuation byte)"
    )
    assert error.hint is not None and "iconv -f latin1 -t utf-8" in error.hint


def test_line_endings_are_translated_unless_asked_to_keep_them(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"a\r\nb\rc\nd")
    assert read_user_text(path) == "a\nb\nc\nd"
    assert read_user_text(path, keep_newlines=True) == "a\r\nb\rc\nd"


# --- the catalog reader uses it -----------------------------------------------------------------


def test_the_catalog_is_read_with_its_line_endings_and_parses_the_same(
    mini: Path, tmp_path: Path
) -> None:
    crlf = tmp_path / "crlf.toml"
    crlf.write_bytes(mini.read_bytes().replace(b"\n", b"\r\n"))
    assert read_text(crlf) == crlf.read_bytes().decode("utf-8")
    assert load_catalog(crlf, use_cache=False).papers == load_catalog(mini, use_cache=False).papers


def test_line_numbers_of_errors_in_a_crlf_catalog_count_lines_as_editors_do(
    tmp_path: Path,
) -> None:
    text = (
        '[catalog]\ntitle = "T"\n\n[[papers]]\nid = "a"\ntitle = "A"\nyear = 1800\nvenue = "SLT"\n'
    )
    path = tmp_path / "c.toml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    with pytest.raises(CatalogError) as info:
        load_catalog(path, use_cache=False)
    assert info.value.where == f"{path}:7"  # the year line


def test_a_catalog_folder_or_missing_catalog_keeps_its_messages(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        read_text(tmp_path / "gone.toml")
    assert info.value.message == f"catalog not found: {tmp_path / 'gone.toml'}"
    assert info.value.hint is not None and "--db" in info.value.hint
    with pytest.raises(FileProblem, match="it is a folder"):
        read_text(tmp_path)


# --- the CLI's safety net -----------------------------------------------------------------------


def test_a_stray_os_error_is_one_line_and_exit_4(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from speechcompress.cli import cmd_export

    def fail(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/some/where/papers.toml")

    monkeypatch.setattr(cmd_export, "open_source", fail)
    result = run("export", "--db", str(mini))
    assert result.exit_code == 4
    assert result.stderr == "error: /some/where/papers.toml: Permission denied\n"
    assert result.stdout == ""


def test_export_check_of_a_folder_and_of_latin1_text(mini: Path, tmp_path: Path) -> None:
    result = run("export", "--db", str(mini), "--check", str(tmp_path))
    assert (result.exit_code, result.stderr.startswith("error: ")) == (4, True)
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff")
    result = run("export", "--db", str(mini), "--check", str(bad))
    assert result.exit_code == 4
    assert result.stderr.startswith(f"error: {bad}:1: not UTF-8 text")
