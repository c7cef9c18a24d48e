"""Writes to a catalog keep every byte the user wrote, and fail without leaving a trace."""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from speechcompress import load_catalog
from speechcompress.cli.app import app
from speechcompress.errors import CatalogError, FileProblem
from speechcompress.paper import Paper
from speechcompress.writer import add_papers, insert_papers, paper_text

FIXTURES = Path(__file__).parent / "fixtures"


def new_paper(pid: str = "fresh", year: int = 2022, **fields: object) -> Paper:
    data: dict[str, object] = {"title": f"A Fresh Paper {pid}", "venue": "ICASSP", **fields}
    return Paper(id=pid, year=year, **data)  # type: ignore[arg-type]


def assert_only_inserted(before: str, after: str, paper: Paper) -> None:
    """``after`` is ``before`` plus the paper's block (and one blank line), nothing else."""
    block = paper_text(paper) + "\n"
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert all(line.startswith("+") for line in changed)
    assert len(changed) == block.count("\n")
    assert block in after or after.endswith("\n" + block.rstrip("\n") + "\n")
    appended = before + "\n" + block.rstrip("\n") + "\n"
    assert after.replace(block, "", 1) == before or after == appended


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- a one-paper add is a one-paper diff --------------------------------------------------------


def test_adding_one_paper_is_a_one_paper_diff(mini: Path) -> None:
    before = mini.read_text(encoding="utf-8")
    paper = new_paper(authors=("Ana Lima",), arxiv="2205.01234", methods=("pruning",))
    add_papers(mini, [paper])
    after = mini.read_text(encoding="utf-8")
    assert_only_inserted(before, after, paper)
    block = paper_text(paper)
    # It went after the last 2022 paper, before the first older one.
    assert after.index(block) < after.index('id = "bigfoot"')
    assert after.index('id = "lighthubert"') < after.index(block)
    assert [p.id for p in load_catalog(mini, use_cache=False).papers] == [
        "dphubert",
        "robustdistiller",
        "lighthubert",
        "fresh",
        "bigfoot",
        "q-asr",
    ]


STYLED = """# My catalog. Hand-formatted; scc must not touch any of this.
[catalog]
title   = 'Styled'      # literal strings, aligned
description = \"\"\"
Two
lines.\"\"\"

# --- 2024 ---

[[papers]]
id="newest"   # no spaces around =
title = 'Newest'
year = 2024
venue = "ICASSP"
# a note glued to the newest paper

# --- 2022 ---
# (two banner lines)

[[papers]]
id = "older"
title = "Older"
year    = 2022
venue = "SLT"
methods = [ "pruning",
            "distillation" ]   # multi-line array
"""


@pytest.mark.parametrize(
    ("year", "before_line"),
    [
        (2025, "# --- 2024 ---"),
        (2023, "# --- 2022 ---"),
    ],
)
def test_a_new_paper_goes_above_the_comment_banner_of_the_next_year(
    tmp_path: Path,
    year: int,
    before_line: str,
) -> None:
    path = tmp_path / "styled.toml"
    path.write_text(STYLED, encoding="utf-8")
    paper = new_paper(year=year)
    add_papers(path, [paper])
    after = path.read_text(encoding="utf-8")
    assert_only_inserted(STYLED, after, paper)
    assert after.index(paper_text(paper) + "\n" + before_line) > 0
    # The comment glued to the newest paper's last key stays with it.
    assert 'venue = "ICASSP"\n# a note glued to the newest paper\n\n' in after


def test_the_oldest_paper_goes_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "styled.toml"
    path.write_text(STYLED, encoding="utf-8")
    paper = new_paper(year=2001)
    add_papers(path, [paper])
    assert path.read_text(encoding="utf-8") == STYLED + "\n" + paper_text(paper)


def test_several_papers_land_in_year_order(tmp_path: Path) -> None:
    path = tmp_path / "styled.toml"
    path.write_text(STYLED, encoding="utf-8")
    add_papers(
        path,
        [new_paper("a", 2023), new_paper("b", 2030), new_paper("c", 2022), new_paper("d", 1999)],
    )
    ids = [p.id for p in load_catalog(path, use_cache=False).papers]
    assert ids == ["b", "newest", "a", "older", "c", "d"]
    # Every original line is still there, in order.
    original = STYLED.splitlines()
    kept = iter(path.read_text(encoding="utf-8").splitlines())
    assert all(any(line == other for other in kept) for line in original)


def test_a_title_with_a_unicode_line_separator_survives_a_later_insert(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[catalog]\ntitle = "T"\n', encoding="utf-8")
    odd = new_paper("odd", 2022, title="Line\u2028separator and next\x85line in a title")
    add_papers(path, [odd])
    add_papers(path, [new_paper("newer", 2024)])  # inserted above the odd one
    titles = [p.title for p in load_catalog(path, use_cache=False).papers]
    assert titles == ["A Fresh Paper newer", "Line\u2028separator and next\x85line in a title"]


def test_a_file_without_a_final_newline_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    text = '[catalog]\ntitle = "T"\n\n[[papers]]\nid = "x"\ntitle = "X"\nyear = 2020\nvenue = "SLT"'
    path.write_text(text, encoding="utf-8")
    assert insert_papers(text, [new_paper(year=2021)]).endswith(text.split("\n\n", 1)[1])


# --- new catalogs -------------------------------------------------------------------------------


def test_a_new_catalog_gets_its_header_footer_and_venues(tmp_path: Path) -> None:
    from speechcompress.vocab import Venue

    path = tmp_path / "new.toml"
    add_papers(
        path,
        [new_paper(venue="MyConf")],
        create=("Title", "Intro\n\nmore", "Bye"),
        venues=[Venue("MyConf", "conference")],
    )
    catalog = load_catalog(path, use_cache=False)
    assert (catalog.title, catalog.description, catalog.footer) == ("Title", "Intro\n\nmore", "Bye")
    assert [v.name for v in catalog.venues] == ["MyConf"]
    # The two-element form still works.
    other = tmp_path / "other.toml"
    add_papers(other, [new_paper()], create=("Title", ""))
    assert load_catalog(other, use_cache=False).footer == ""


def test_no_catalog_and_nothing_to_create_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="catalog not found"):
        add_papers(tmp_path / "missing.toml", [new_paper()])
    assert not (tmp_path / "missing.toml").exists()


# --- failures leave the file exactly as it was --------------------------------------------------


def test_failed_validation_leaves_the_file_byte_identical(mini: Path) -> None:
    before = mini.read_bytes()
    with pytest.raises(CatalogError, match="already used"):
        add_papers(mini, [new_paper("dphubert")])  # an id the catalog already has
    with pytest.raises(CatalogError, match="unknown venue"):
        add_papers(mini, [new_paper(venue="Nowhere")])
    assert mini.read_bytes() == before
    assert leftovers(mini.parent) == []


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_exception_during_the_rename_leaves_the_file_byte_identical(
    mini: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    before = mini.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(FileProblem if isinstance(error, OSError) else KeyboardInterrupt):
        add_papers(mini, [new_paper()])
    assert mini.read_bytes() == before
    assert leftovers(mini.parent) == []


def test_an_exception_while_writing_the_temp_file_leaves_the_file_byte_identical(
    mini: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = mini.read_bytes()

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(FileProblem, match="Input/output error"):
        add_papers(mini, [new_paper()])
    assert mini.read_bytes() == before
    assert leftovers(mini.parent) == []


def test_a_failed_import_write_leaves_the_catalog_byte_identical(
    mini: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = mini.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    result = CliRunner().invoke(
        app, ["import", str(FIXTURES / "seedlike.md"), "--db", str(mini), "--skip-invalid"]
    )
    assert result.exit_code == 4
    assert "Permission denied" in result.stderr
    assert "Traceback" not in result.output
    assert mini.read_bytes() == before
    assert leftovers(mini.parent) == []


def test_a_failed_import_into_a_new_catalog_creates_no_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    result = CliRunner().invoke(
        app, ["import", str(FIXTURES / "seedlike.md"), "--db", str(tmp_path / "new.toml")]
    )
    assert result.exit_code == 4
    assert not (tmp_path / "new.toml").exists()
    assert leftovers(tmp_path) == []


def test_add_papers_returns_the_catalog_it_wrote(mini: Path) -> None:
    catalog = add_papers(mini, [new_paper()])
    assert catalog.papers == load_catalog(mini, use_cache=False).papers
    assert tomllib.loads(mini.read_text(encoding="utf-8"))["papers"][3]["id"] == "fresh"
