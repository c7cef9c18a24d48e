"""Writes to a catalog keep every byte the user wrote, and fail without leaving a trace."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from speechcompress import load_catalog
from speechcompress.cli.app import app
from speechcompress.errors import CatalogError, FileProblem
from speechcompress.paper import Paper
from speechcompress.writer import add_papers, insert_papers, paper_text

FIXTURES = Path(__file__).parent / "fixtures"


def new_paper(pid: str = "fresh", year: int = 2022, **fields: object) -> Paper:
    # With its ``added`` day, so the write adds exactly the block paper_text shows.
    data: dict[str, object] = {
        "title": f"A Fresh Paper {pid}",
        "venue": "ICASSP",
        "added": dt.date(2026, 11, 30),
        **fields,
    }
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
    odd = new_paper("odd", 2022, title="Line\u2028separator and next\u2029line in a title")
    add_papers(path, [odd])
    add_papers(path, [new_paper("newer", 2024)])  # inserted above the odd one
    titles = [p.title for p in load_catalog(path, use_cache=False).papers]
    assert titles == ["A Fresh Paper newer", "Line\u2028separator and next\u2029line in a title"]


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


# --- a [[papers]] line inside a multi-line string is not a table --------------------------------


def quoting(quote: str) -> str:
    """A catalog whose first abstract quotes TOML, headers and banners included."""
    return f"""[catalog]
title = "T"

[[papers]]
id = "new"
title = "New"
year = 2024
venue = "ICASSP"
abstract = {quote}
We quote a catalog:
[[papers]]
id = "x"
venue = "X"

# --- 2020 ---{quote}

[[papers]]
id = "old"
title = "Old"
year = 2020
venue = "SLT"
"""


@pytest.mark.parametrize("quote", ['"""', "'''"])
def test_a_header_line_inside_an_abstract_is_not_a_paper(tmp_path: Path, quote: str) -> None:
    path = tmp_path / "c.toml"
    before = quoting(quote)
    path.write_text(before, encoding="utf-8")
    paper = new_paper(year=2022)
    add_papers(path, [paper])
    after = path.read_text(encoding="utf-8")
    assert_only_inserted(before, after, paper)
    assert after.index(paper_text(paper)) > after.index(f"# --- 2020 ---{quote}")
    papers = tomllib.loads(after)["papers"]
    assert [p["id"] for p in papers] == ["new", "fresh", "old"]
    assert papers[0] == tomllib.loads(before)["papers"][0]


@pytest.mark.parametrize("quote", ['"""', "'''"])
def test_line_numbers_skip_lines_inside_multi_line_strings(quote: str) -> None:
    from speechcompress.catalog import LineMap

    lines = LineMap(quoting(quote).replace("\n", "\r\n"))
    assert lines.papers == [3, 16]
    assert lines.quoted == frozenset(range(9, 15))
    assert lines.key(0, "venue") == 8  # not the quoted `venue = "X"` at line 13
    assert lines.key(1, "venue") == 21
    assert [i + 1 for i in lines.tables] == [1, 4, 17]


def test_quotes_in_strings_and_comments_do_not_open_a_multi_line_string() -> None:
    from speechcompress.catalog import LineMap

    text = (
        '[catalog]\ntitle = "a \\"\\"\\" b"  # a comment with """ in it\n'
        'description = \'"""\'\n\n'
        '[[papers]]\nid = "a"\ntitle = """x""""\nyear = 2020\nvenue = "SLT"\n\n'
        "[[papers]]\nid = 'b'\ntitle = '''y'''''\nyear = 2020\nvenue = \"SLT\"\n"
    )
    assert tomllib.loads(text)["papers"][1]["title"] == "y''"
    lines = LineMap(text)
    assert (lines.papers, lines.quoted) == ([4, 10], frozenset())


def test_a_header_scc_cannot_find_as_a_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[catalog]\ntitle = "T"\n\n[["papers"]]\nid = "a"\ntitle = "A"\nyear = 2020\n'
        'venue = "SLT"\n',
        encoding="utf-8",
    )
    before = path.read_bytes()
    with pytest.raises(FileProblem, match=r"0 \[\[papers\]\] header lines for 1 papers") as info:
        add_papers(path, [new_paper()])
    assert info.value.hint is not None and "[[papers]]" in info.value.hint
    assert path.read_bytes() == before


def test_an_insert_that_goes_astray_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import speechcompress.writer as writer

    path = tmp_path / "c.toml"
    path.write_text(quoting('"""'), encoding="utf-8")
    before = path.read_bytes()
    # The old bug: the header count took the abstract's [[papers]] line for the second paper.
    monkeypatch.setattr(writer, "_banner_start", lambda lines, header, quoted=(): 10)
    with pytest.raises(FileProblem, match="without changing other entries") as info:
        add_papers(path, [new_paper()])
    assert info.value.lines()[0].endswith("nothing was written")
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_an_update_never_touches_a_quoted_key_or_another_paper(tmp_path: Path) -> None:
    from speechcompress.writer import update_paper_fields

    path = tmp_path / "c.toml"
    text = quoting('"""').replace('venue = "ICASSP"\n', "")  # the quoted venue comes first
    text = text.replace('# --- 2020 ---"""\n', '# --- 2020 ---"""\nvenue = "ICASSP"\n')
    path.write_text(text, encoding="utf-8")
    update_paper_fields(path, "new", {"venue": "SLT", "doi": "10.1000/x"})
    after = path.read_text(encoding="utf-8")
    assert 'venue = "X"\n' in after  # the quoted one
    assert 'year = 2024\ndoi = "10.1000/x"\nabstract = ' in after
    assert '# --- 2020 ---"""\nvenue = "SLT"\n\n[[papers]]' in after
    old, new = tomllib.loads(text)["papers"], tomllib.loads(after)["papers"]
    assert new[1] == old[1]
    assert new[0] == {**old[0], "venue": "SLT", "doi": "10.1000/x"}


def test_an_update_that_goes_astray_is_refused(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import speechcompress.writer as writer

    before = mini.read_bytes()
    real = writer.set_paper_fields

    def astray(text: str, paper_id: str, changes: dict[str, object]) -> str:
        return real(text, paper_id, changes).replace('id = "q-asr"', 'id = "q-asr2"')

    monkeypatch.setattr(writer, "set_paper_fields", astray)
    with pytest.raises(FileProblem, match="could not update 'bigfoot' in place"):
        writer.update_paper_fields(mini, "bigfoot", {"doi": "10.1000/x"})
    assert mini.read_bytes() == before


QUOTED_LINES = st.sampled_from(
    [
        "[[papers]]",
        "  [[ papers ]]",
        "# --- 2020 ---",
        "",
        'id = "x"',
        "[catalog]",
        "say \"\" and ''",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    years=st.lists(st.integers(2000, 2024), min_size=1, max_size=5),
    abstracts=st.lists(st.lists(QUOTED_LINES, max_size=4), min_size=5, max_size=5),
    quote=st.sampled_from(['"""', "'''"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    year=st.integers(1999, 2025),
)
def test_any_abstract_leaves_headers_and_inserts_where_they_belong(
    years: list[int], abstracts: list[list[str]], quote: str, newline: str, year: int
) -> None:
    from speechcompress.catalog import LineMap

    lines = ["[catalog]", 'title = "T"', ""]
    headers = []
    for n, (y, abstract) in enumerate(zip(years, abstracts, strict=False)):
        headers.append(len(lines))
        lines += ["[[papers]]", f'id = "p{n}"', f'title = "P{n}"', f"year = {y}", 'venue = "SLT"']
        lines += [f"abstract = {quote}", *abstract, f"end{quote}", ""]
    text = newline.join(lines)
    assert LineMap(text).papers == headers
    old = tomllib.loads(text)["papers"]
    paper = new_paper(year=year)
    after = insert_papers(text, [paper])
    assert "\n" not in after.replace(newline, "") if newline == "\r\n" else "\r" not in after
    at = next((i for i, p in enumerate(old) if p["year"] < year), len(old))
    expected = [*old[:at], tomllib.loads(paper_text(paper))["papers"][0], *old[at:]]
    assert tomllib.loads(after)["papers"] == expected


# --- a CRLF catalog stays CRLF ------------------------------------------------------------------


def test_adding_to_a_crlf_catalog_is_a_crlf_one_paper_diff(mini: Path) -> None:
    lf = mini.read_bytes()
    mini.write_bytes(lf.replace(b"\n", b"\r\n"))
    paper = new_paper(authors=("Ana Lima",))
    add_papers(mini, [paper])
    after = mini.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    # Exactly what the LF file gets, line endings aside.
    mini.write_bytes(lf)
    add_papers(mini, [paper])
    assert after == mini.read_bytes().replace(b"\n", b"\r\n")


def test_the_oldest_paper_appended_to_a_crlf_catalog_ends_in_crlf(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(STYLED.replace("\n", "\r\n").encode())
    paper = new_paper(year=2001)
    add_papers(path, [paper, new_paper("mid", 2023)])
    after = path.read_bytes().decode("utf-8")
    assert after.endswith("\r\n\r\n" + paper_text(paper).replace("\n", "\r\n"))
    assert "\n" not in after.replace("\r\n", "")


def test_updating_a_crlf_catalog_keeps_crlf_end_to_end(mini: Path) -> None:
    from speechcompress.writer import update_paper_fields

    mini.write_bytes(mini.read_bytes().replace(b"\n", b"\r\n"))
    before = mini.read_bytes()
    update_paper_fields(mini, "bigfoot", {"doi": "10.1000/x", "venue": "SLT"})
    after = mini.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    old, new = before.decode().split("\r\n"), after.decode().split("\r\n")
    changed = [
        line
        for line in difflib.unified_diff(old, new, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ['-venue = "SustaiNLP"', '+venue = "SLT"', '+doi = "10.1000/x"']


def test_importing_into_a_crlf_catalog_keeps_crlf(mini: Path) -> None:
    mini.write_bytes(mini.read_bytes().replace(b"\n", b"\r\n"))
    result = CliRunner().invoke(
        app, ["import", str(FIXTURES / "seedlike.md"), "--db", str(mini), "--skip-invalid"]
    )
    assert result.exit_code == 0, result.stderr
    assert b"\n" not in mini.read_bytes().replace(b"\r\n", b"")


# --- the lock is on the catalog file itself ----------------------------------------------------


def test_a_write_leaves_no_lock_file_beside_the_catalog(mini: Path) -> None:
    add_papers(mini, [new_paper()])
    assert sorted(p.name for p in mini.parent.iterdir()) == ["mini.toml"]


def test_writers_with_different_cache_folders_still_exclude_each_other(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is the file's, not the cache's: a CI job and a person share it."""
    import threading

    from speechcompress.fs import locked

    entered = threading.Event()

    def other() -> None:
        monkeypatch.setenv("SCC_CACHE_DIR", str(tmp_path / "another-cache"))
        with locked(mini.parent / "." / mini.name):
            entered.set()

    with locked(mini):
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.3)
    assert entered.wait(5)
    thread.join()


def test_a_waiting_writer_locks_the_file_that_replaced_the_one_it_waited_on(mini: Path) -> None:
    """A write renames a new file into place; a waiter must not hold the old file's lock."""
    import threading

    from speechcompress.fs import locked

    order: list[str] = []
    entered = threading.Event()

    def other() -> None:
        with locked(mini):
            order.append("second in")
            entered.set()

    with locked(mini):
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.2)
        add_papers_unlocked_replace = mini.read_text(encoding="utf-8")
        tmp = mini.with_name("replacement.toml")
        tmp.write_text(add_papers_unlocked_replace, encoding="utf-8")
        tmp.replace(mini)  # what a writer's atomic rename does
        order.append("first out")
    assert entered.wait(5)
    thread.join()
    assert order == ["first out", "second in"]


def test_the_lock_excludes_another_writer_until_released(mini: Path) -> None:
    import threading

    from speechcompress.writer import locked

    entered = threading.Event()

    def other() -> None:
        with locked(mini):
            entered.set()

    with locked(mini):
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.3)
    assert entered.wait(5)
    thread.join()


def test_an_unwritable_cache_does_not_stop_a_write(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SCC_CACHE_DIR", str(blocker / "cache"))
    add_papers(mini, [new_paper()])
    assert "A Fresh Paper fresh" in mini.read_text(encoding="utf-8")


def test_a_written_paper_gets_the_day_it_entered_the_catalog(mini: Path) -> None:
    """The feed orders papers by ``added``: every command that adds one stamps it."""
    import dataclasses

    undated = dataclasses.replace(new_paper("undated"), added=None)
    kept = new_paper("dated", added=dt.date(2024, 1, 2))
    catalog = add_papers(mini, [undated, kept], today=dt.date(2026, 5, 6))
    added = {p.id: p.added for p in catalog.papers}
    assert added["undated"] == dt.date(2026, 5, 6)
    assert added["dated"] == dt.date(2024, 1, 2)
    assert "added = 2026-05-06" in mini.read_text(encoding="utf-8")
