"""Loading and locating a catalog, error messages with lines, and the derived index."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import FIXTURES, run
from speechcompress import load_catalog
from speechcompress.errors import CatalogError, FileProblem
from speechcompress.locate import bundled_catalog, locate_catalog


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the current folder; returns its data/papers.toml."""
    (tmp_path / "project" / "data").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project" / "data" / "papers.toml"


def indexes() -> list[Path]:
    return sorted((Path(os.environ["SCC_CACHE_DIR"]) / "catalogs").glob("*.sqlite"))


# --- loading -------------------------------------------------------------------------------------


def test_load_catalog_returns_every_paper_in_file_order(mini: Path) -> None:
    raw = tomllib.loads(mini.read_text(encoding="utf-8"))
    catalog = load_catalog(mini)
    assert catalog.title == raw["catalog"]["title"]
    assert [p.id for p in catalog.papers] == [p["id"] for p in raw["papers"]]
    assert [p.title for p in catalog.papers] == [p["title"] for p in raw["papers"]]
    assert [v.name for v in catalog.venues] == list(raw["catalog"]["venues"])


def test_each_paper_knows_the_line_of_its_table(mini: Path) -> None:
    text = mini.read_text(encoding="utf-8")
    for paper in load_catalog(mini, use_cache=False).papers:
        assert text.splitlines()[paper.line - 1] == "[[papers]]"
        assert text.splitlines()[paper.line] == f'id = "{paper.id}"'


def test_aliases_in_the_file_are_stored_canonical(project: Path) -> None:
    project.write_text(
        '[catalog]\ntitle = "T"\n\n[[papers]]\nid = "a"\ntitle = "A"\n'
        'year = 2022\nvenue = "isca interspeech"\nmethods = ["KD", "Prune"]\n'
    )
    (paper,) = load_catalog(project).papers
    assert (paper.venue, paper.methods) == ("INTERSPEECH", ("distillation", "pruning"))


def test_catalog_venue_with_alias_is_usable_in_papers_and_filters(project: Path) -> None:
    project.write_text(
        '[catalog]\ntitle = "T"\n\n[catalog.venues]\n'
        'MLSP = { kind = "workshop", aliases = ["ieee mlsp"] }\n\n'
        '[[papers]]\nid = "a"\ntitle = "A"\nyear = 2022\nvenue = "IEEE MLSP"\n\n'
        '[[papers]]\nid = "b"\ntitle = "B"\nyear = 2022\nvenue = "ICASSP"\n'
    )
    result = run("list", "--venue", "mlsp", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(p["id"], p["venue"]) for p in json.loads(result.stdout)] == [("a", "MLSP")]


# --- locating ------------------------------------------------------------------------------------


def test_locate_prefers_db_then_env_then_local_then_bundled(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "papers.toml").write_text("")
    env = {"SCC_DB": "/from/env.toml"}
    assert locate_catalog("x.toml", env, tmp_path) == locate_catalog("x.toml", {}, tmp_path)
    assert locate_catalog("x.toml", env, tmp_path).path == Path("x.toml")
    assert locate_catalog("x.toml", env, tmp_path).source == "--db"
    assert locate_catalog(None, env, tmp_path).path == Path("/from/env.toml")
    assert locate_catalog(None, env, tmp_path).source == "$SCC_DB"
    local = locate_catalog(None, {}, tmp_path)
    assert (local.path, local.source) == (tmp_path / "data" / "papers.toml", "./data/papers.toml")
    empty = tmp_path / "empty"
    empty.mkdir()
    bundled = locate_catalog(None, {"SCC_DB": ""}, empty)
    assert (bundled.path, bundled.source) == (bundled_catalog(), "bundled")


def test_bundled_catalog_is_the_checkouts_data_file() -> None:
    # Installed from a wheel it is a copy inside the package; in a dev install, the file itself.
    repo = Path(__file__).resolve().parents[1]
    assert bundled_catalog().read_bytes() == (repo / "data" / "papers.toml").read_bytes()


@pytest.mark.parametrize("how", ["--db", "SCC_DB"])
def test_missing_catalog_names_the_path_it_looked_for(tmp_path: Path, how: str) -> None:
    missing = tmp_path / "nowhere" / "papers.toml"
    if how == "--db":
        result = run("list", "--db", str(missing))
    else:
        result = run("list", env={"SCC_DB": str(missing)})
    assert result.exit_code == 4
    assert result.stdout == ""
    assert f"error: catalog not found: {missing}" in result.stderr
    assert "--db" in result.stderr and "SCC_DB" in result.stderr  # the hint says how to fix it


def test_a_folder_instead_of_a_file_is_a_file_problem(tmp_path: Path) -> None:
    result = run("list", "--db", str(tmp_path))
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ")
    assert str(tmp_path) in result.stderr


def test_load_catalog_raises_file_problem_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        load_catalog(tmp_path / "missing.toml")
    assert info.value.exit_code == 4
    assert str(tmp_path / "missing.toml") in info.value.message


# --- TOML syntax errors --------------------------------------------------------------------------


def test_toml_syntax_error_gives_path_line_and_column(project: Path) -> None:
    text = (FIXTURES / "broken_syntax.toml").read_text(encoding="utf-8")
    project.write_text(text, encoding="utf-8")
    line = line_of(text, "year = 20 23")
    column = text.splitlines()[line - 1].index("20 23") + len("20 ") + 1  # the stray "23"
    result = run("list")
    assert result.exit_code == 3
    assert result.stdout == ""
    (first, *rest) = result.stderr.splitlines()
    assert first.startswith(f"error: data/papers.toml:{line}:{column}: ")
    assert "TOML" in first
    assert rest == []


def test_toml_error_outside_the_current_folder_shows_the_full_path(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "cat.toml"
    target.parent.mkdir()
    shutil.copy(FIXTURES / "broken_syntax.toml", target)
    line = line_of(target.read_text(encoding="utf-8"), "year = 20 23")
    result = run("list", "--db", str(target))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {target}:{line}:")


def test_catalog_that_is_not_utf8_is_invalid(project: Path) -> None:
    project.write_bytes(b'[catalog]\ntitle = "Caf\xe9"\n')
    result = run("list")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: data/papers.toml:2: not UTF-8 text (byte 0xe9")
    assert "UTF-8" in result.stderr


# --- schema errors -------------------------------------------------------------------------------


def test_every_schema_problem_is_reported_at_once_with_id_line_and_field(project: Path) -> None:
    text = (FIXTURES / "broken_schema.toml").read_text(encoding="utf-8")
    project.write_text(text, encoding="utf-8")
    first_good = line_of(text, "[[papers]]")
    notitle = line_of(text, 'id = "notitle"') - 1
    venue = line_of(text, 'venue = "interspeach"')
    reused_id = line_of(text, 'id = "good"', first_good + 2)
    expected = {
        f"data/papers.toml:{line_of(text, 'year = 1900')}: paper 'dphubert': year: ",
        f"data/papers.toml:{venue}: paper 'badlinks': venue: ",
        f"data/papers.toml:{line_of(text, 'arxiv = ')}: paper 'badlinks': arxiv: ",
        f"data/papers.toml:{line_of(text, 'code = ')}: paper 'badlinks': code: ",
        f"data/papers.toml:{line_of(text, 'colour = ')}: paper 'badlinks': colour: ",
        f"data/papers.toml:{notitle}: paper 'notitle': title: ",
        f"data/papers.toml:{line_of(text, 'methods = ')}: paper 'notitle': methods: ",
        f"data/papers.toml:{reused_id}: paper 'good': id: ",
    }
    result = run("list")
    assert result.exit_code == 3
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected)
    for prefix in expected:
        assert any(e.startswith(f"error: {prefix}") for e in errors), (prefix, result.stderr)
    assert any(line.startswith(f"{len(expected)} problems") for line in result.stderr.splitlines())


def test_schema_messages_say_what_is_wrong(project: Path) -> None:
    text = (FIXTURES / "broken_schema.toml").read_text(encoding="utf-8")
    project.write_text(text, encoding="utf-8")
    first_good = line_of(text, "[[papers]]")
    stderr = run("list").stderr
    assert "did you mean 'INTERSPEECH'?" in stderr
    assert "write '2305.17651'" in stderr
    assert "colour: unknown field" in stderr
    assert "title: required field is missing" in stderr
    assert "did you mean 'pruning'?" in stderr
    assert f"already used by the paper at line {first_good}" in stderr
    # the valid paper at a catalog venue is not blamed for anything but the reused id
    assert not any("paper 'good'" in line and "id:" not in line for line in stderr.splitlines())


def test_load_catalog_raises_catalog_error_listing_every_problem() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(FIXTURES / "broken_schema.toml")
    assert info.value.exit_code == 3
    assert len(info.value.problems) == 8


def test_duplicate_of_an_invalid_paper_is_reported_too(project: Path) -> None:
    text = (
        '[catalog]\ntitle = "T"\n\n'
        '[[papers]]\nid = "a"\ntitle = "A"\nyear = 1900\nvenue = "arXiv"\n\n'
        '[[papers]]\nid = "a"\ntitle = "A again"\nyear = 2020\nvenue = "arXiv"\n'
    )
    project.write_text(text)
    stderr = run("list").stderr
    assert f"error: data/papers.toml:{line_of(text, 'year = 1900')}: paper 'a': year: " in stderr
    second_id = line_of(text, 'id = "a"', line_of(text, "A again") - 1)
    assert f"error: data/papers.toml:{second_id}: paper 'a': id: already used" in stderr


def test_missing_field_points_at_the_paper_even_when_catalog_table_comes_last(
    project: Path,
) -> None:
    text = '[[papers]]\nid = "a"\nyear = 2020\nvenue = "arXiv"\n\n[catalog]\ntitle = "T"\n'
    project.write_text(text)
    result = run("list")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == (
        "error: data/papers.toml:1: paper 'a': title: required field is missing"
    )


def test_bad_catalog_table_and_unknown_top_level_table(project: Path) -> None:
    project.write_text(
        '[catalog]\ntitle = "T"\n\n[catalog.venues]\nX = { kind = "blog" }\n\n[extra]\nfoo = 1\n'
    )
    result = run("list")
    assert result.exit_code == 3
    assert "[catalog] venues.X.kind" in result.stderr
    assert "unknown top-level table 'extra'" in result.stderr


def test_empty_file_lacks_a_catalog_title(project: Path) -> None:
    project.write_text("")
    result = run("list")
    assert result.exit_code == 3
    assert "title: required field is missing" in result.stderr


# --- the index -----------------------------------------------------------------------------------


def test_first_load_writes_an_index_that_the_next_load_uses(
    mini: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from speechcompress import catalog as catalog_module

    cold = load_catalog(mini)
    assert len(indexes()) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("a warm load must not parse the TOML file")

    monkeypatch.setattr(catalog_module, "parse_catalog", no_parsing)
    warm = load_catalog(mini)
    assert warm == cold
    assert [p.line for p in warm.papers] == [p.line for p in cold.papers]
    assert warm.vocabulary.venue("sustainlp") is not None


def test_edited_catalog_is_never_served_stale(mini: Path) -> None:
    before = run("list", "--db", str(mini))
    assert "Shrinking Bigfoot" in before.stdout
    mini.write_text(
        mini.read_text(encoding="utf-8").replace("Shrinking Bigfoot", "Shrinking the Bigfoot"),
        encoding="utf-8",
    )
    after = run("list", "--db", str(mini))
    assert after.exit_code == 0
    assert "Shrinking the Bigfoot" in after.stdout


def test_same_size_edit_with_new_mtime_is_seen(mini: Path) -> None:
    run("show", "--db", str(mini), "bigfoot")
    stat = mini.stat()
    mini.write_text(
        mini.read_text(encoding="utf-8").replace("year = 2021", "year = 2020"), encoding="utf-8"
    )
    assert mini.stat().st_size == stat.st_size
    os.utime(mini, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "year       2020" in run("show", "--db", str(mini), "bigfoot").stdout


def test_file_replaced_with_same_size_and_mtime_is_seen(mini: Path) -> None:
    """Editors save by writing a new file and renaming it over the old one."""
    run("show", "--db", str(mini), "bigfoot")
    stat = mini.stat()
    fresh = mini.with_name("fresh.toml")
    fresh.write_text(
        mini.read_text(encoding="utf-8").replace("year = 2021", "year = 2020"), encoding="utf-8"
    )
    os.utime(fresh, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(fresh, mini)
    assert "year       2020" in run("show", "--db", str(mini), "bigfoot").stdout


def test_catalog_broken_after_caching_is_reported(mini: Path) -> None:
    assert run("list", "--db", str(mini)).exit_code == 0
    with mini.open("a", encoding="utf-8") as fh:
        fh.write('\n[[papers]]\nid = "new"\ntitle = "New"\nyear = 1800\nvenue = "arXiv"\n')
    result = run("list", "--db", str(mini))
    assert result.exit_code == 3
    assert "paper 'new': year" in result.stderr


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"{",
        b"\xff\xfe\x00garbage",
        b"null",
        b"[]",
        b"{}",
        b'{"title": "x"}',
        b'{"title": "T", "description": "", "footer": "", "venues": [], "papers": [{"id": "x"}]}',
    ],
)
def test_corrupt_index_file_is_ignored_and_rebuilt(mini: Path, garbage: bytes) -> None:
    first = run("list", "--db", str(mini), "--format", "json")
    (index_file,) = indexes()
    good = index_file.read_bytes()
    index_file.write_bytes(garbage)
    again = run("list", "--db", str(mini), "--format", "json")
    assert again.exit_code == 0
    assert again.stdout == first.stdout
    assert again.stderr == ""
    assert index_file.read_bytes() == good


def test_unwritable_cache_is_not_an_error(mini: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("list", "--db", str(mini), env={"SCC_CACHE_DIR": str(blocker / "cache")})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "dphubert" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "json"],
        ["list", "--year", "2022..", "--method", "kd", "--format", "csv"],
        ["search", "guimaraes", "--format", "json"],
        ["search", "prunning", "--format", "plain"],
        ["show", "2305.17651"],
        ["stats", "--format", "json"],
        ["info"],
    ],
)
def test_results_are_identical_with_and_without_no_cache(mini: Path, args: list[str]) -> None:
    cold = run(*args, "--db", str(mini))
    warm = run(*args, "--db", str(mini))
    uncached = run(*args, "--db", str(mini), "--no-cache")
    assert cold.exit_code == warm.exit_code == uncached.exit_code == 0
    assert cold.stdout == warm.stdout == uncached.stdout
    assert cold.stdout.strip()


def test_a_stray_table_and_a_missing_catalog_table_are_reported_with_their_lines(
    tmp_path: Path,
) -> None:
    stray = tmp_path / "stray.toml"
    stray.write_text('bogus = 1\n[catalog]\ntitle = "x"\n\n[extra]\na = 1\n', encoding="utf-8")
    result = run("list", "--db", str(stray), "--no-cache")
    assert result.exit_code == 3
    assert f"error: {stray}:1: unknown top-level table 'bogus'" in result.stderr
    assert f"error: {stray}:5: unknown top-level table 'extra'" in result.stderr
    bare = tmp_path / "bare.toml"
    bare.write_text("# only a comment\n", encoding="utf-8")
    result = run("list", "--db", str(bare), "--no-cache")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {bare}:1: [catalog] title: required field is missing")
    assert "start the file with [catalog]" in result.stderr
