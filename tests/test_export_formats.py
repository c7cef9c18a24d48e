"""`scc export`'s feed, citation and awesome formats, the results section, and `scc check`
on the results file: each read back by the tool a user would read it with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run

RESULTS = FIXTURES / "results" / "results.toml"


@pytest.fixture
def with_results(mini: Path) -> Path:
    """The mini catalog with the hand-made results file beside it."""
    shutil.copy(RESULTS, mini.parent / "results.toml")
    return mini


def test_atom_is_a_valid_feed_newest_addition_first(mini: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    text = mini.read_text(encoding="utf-8")
    # Give one paper a later 'added' day: it must lead the feed.
    text = text.replace("published = 2023-05-28", "published = 2023-05-28\nadded = 2026-11-29")
    mini.write_text(text, encoding="utf-8")
    result = run("export", "--format", "atom", "--db", str(mini))
    assert result.exit_code == 0, result.stderr
    feed = feedparser.parse(result.stdout)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title.startswith("DPHuBERT")
    assert len(feed.entries) == result.stdout.count("<entry>")


def test_ris_and_csljson_read_back_with_every_paper(mini: Path) -> None:
    rispy = pytest.importorskip("rispy")
    listed = json.loads(run("list", "--db", str(mini), "--format", "json").stdout)
    ris = run("export", "--format", "ris", "--db", str(mini))
    assert ris.exit_code == 0, ris.stderr
    titles = {entry["title"] for entry in rispy.loads(ris.stdout)}
    assert titles == {p["title"] for p in listed}
    csl = run("export", "--format", "csljson", "--db", str(mini))
    assert csl.exit_code == 0, csl.stderr
    assert {item["title"] for item in json.loads(csl.stdout)} == titles


def test_the_awesome_style_has_no_empty_links(mini: Path) -> None:
    result = run("export", "--style", "awesome", "--db", str(mini))
    assert result.exit_code == 0, result.stderr
    assert "awesome.re/badge" in result.stdout
    assert "]()" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--style", "awesome"], "markdown format"),
        (["--format", "bibtex", "--results"], "markdown format"),
        (["--style", "fancy"], "unknown style"),
        (["--style", "awesome", "--update", "README.md"], "whole document"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(
    mini: Path, args: list[str], message: str
) -> None:
    result = run("export", *args, "--db", str(mini))
    assert result.exit_code == 2
    assert message in result.stderr


def test_results_add_a_section_of_tables_for_the_papers_exported(with_results: Path) -> None:
    result = run("export", "--results", "--db", str(with_results))
    assert result.exit_code == 0, result.stderr
    section = result.stdout.split("## Compression results", 1)[1]
    assert "### SUPERB — ASR" in section
    assert "| Small B | 30 | WER ↓ | 9.0 | dphubert |" in section
    # Only the exported papers' results: a filter that leaves out dphubert drops its rows.
    other = run("export", "--results", "--db", str(with_results), "--year", "2022")
    assert "| dphubert |" not in other.stdout


def test_update_keeps_the_results_between_the_markers(with_results: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Mine\n\n<!-- scc:start -->\n<!-- scc:end -->\n\nAfter.\n", "utf-8")
    update = run("export", "--results", "--update", str(readme), "--db", str(with_results))
    assert update.exit_code == 0, update.stderr
    text = readme.read_text(encoding="utf-8")
    assert text.index("## Compression results") < text.index("<!-- scc:end -->")
    assert text.endswith("After.\n")
    check = run("export", "--results", "--check", str(readme), "--db", str(with_results))
    assert check.exit_code == 0, check.stderr


def test_check_warns_about_results_that_disagree(with_results: Path) -> None:
    results = with_results.parent / "results.toml"
    text = results.read_text(encoding="utf-8")
    text += (
        '\n[[sources]]\npaper = "dphubert"\nurl = "https://example.org/another"\n'
        'where = "Table 2"\nrows = [\n  { model = "Small B", teacher = "Big", params = "30", '
        'benchmark = "SUPERB", task = "ASR", metric = "WER", value = "9.5", '
        "lower_is_better = true },\n]\n"
    )
    results.write_text(text, encoding="utf-8")
    result = run("check", "--db", str(with_results))
    assert result.exit_code == 0, result.output
    assert "Small B SUPERB/ASR/WER: 9.0 (Table 1" in result.stdout
    assert "against 9.5 (Table 2)" in result.stdout
    strict = run("check", "--strict", "--db", str(with_results))
    assert strict.exit_code == 1


def test_check_reports_an_invalid_results_file_as_errors(with_results: Path) -> None:
    shutil.copy(FIXTURES / "results" / "bad.toml", with_results.parent / "results.toml")
    result = run("check", "--db", str(with_results))
    assert result.exit_code == 1
    assert "results.toml:" in result.stdout and "no paper 'nosuchpaper'" in result.stdout


def test_a_filter_never_renames_a_paper_in_any_citation_format(tmp_path: Path) -> None:
    """Two papers whose generated keys collide: a filter keeps each one's full-export key."""
    rispy = pytest.importorskip("rispy")
    catalog = tmp_path / "c.toml"
    catalog.write_text(
        '[catalog]\ntitle = "T"\n\n'
        '[[papers]]\nid = "a"\ntitle = "Effective Pruning"\nauthors = ["Lu Xu"]\n'
        'year = 2025\nvenue = "ICASSP"\nmethods = ["pruning"]\n\n'
        '[[papers]]\nid = "b"\ntitle = "Effective Quantization"\nauthors = ["Lu Xu"]\n'
        'year = 2025\nvenue = "ICASSP"\nmethods = ["quantization"]\n',
        encoding="utf-8",
    )
    db = ["--db", str(catalog)]
    bib = run("export", "--format", "bibtex", *db).stdout
    key_b = bib.split("@inproceedings{", 2)[2].split(",", 1)[0]
    assert key_b.startswith("xu2025effective") and key_b != "xu2025effective"
    only_b = ["--method", "quantization", *db]
    ris = rispy.loads(run("export", "--format", "ris", *only_b).stdout)
    csl = json.loads(run("export", "--format", "csljson", *only_b).stdout)
    assert [e["id"] for e in ris] == [key_b]
    assert [item["id"] for item in csl] == [key_b]
