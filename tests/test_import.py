"""``scc import``: Markdown lists and BibTeX files, into a new or the current catalog."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, run
from speechcompress import load_catalog
from speechcompress.cli.app import app
from speechcompress.importers.markdown import parse_markdown
from speechcompress.importing import plan_import


def papers_of(path: Path) -> list[dict[str, object]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- Markdown into a new catalog ----------------------------------------------------------------


def test_seedlike_list_becomes_a_new_catalog_with_every_link(tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    result = run("import", str(FIXTURES / "seedlike.md"), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    assert "added 9 papers" in result.stderr
    data = tomllib.loads(new.read_text(encoding="utf-8"))
    assert data["catalog"]["title"] == "Tiny Speech Compression List"
    assert data["catalog"]["description"] == (
        "A hand-kept list in the seed's format, for the tests.\n"
        "Odd spacing on purpose: trailing spaces, runs of blank lines."
    )
    # A venue scc does not know is declared in the new catalog.
    assert data["catalog"]["venues"] == {"SustaiNLP": {"kind": "conference"}}
    papers = {p["title"]: p for p in data["papers"]}
    assert [p["year"] for p in data["papers"]] == [2024] * 3 + [2023] * 4 + [2021] * 2
    assert papers["OneBit-Whisper: Quantizing Whisper Weights to a Single Bit"] == {
        "id": "onebit-whisper",
        "title": "OneBit-Whisper: Quantizing Whisper Weights to a Single Bit",
        "year": 2024,
        "venue": "ICASSP",
        "arxiv": "2401.01234",
        "code": "https://github.com/example/one-bit",
        "added": dt.date.today(),  # the day it entered the catalog
    }
    preprint = papers["A Preprint Without a Venue Page"]
    assert (preprint["venue"], preprint["arxiv"]) == ("arXiv", "2402.05678")
    assert "venue_url" not in preprint
    journal = papers["Layer Dropping for Conformer Transducers (Extended Version)"]
    assert journal["venue"] == "TASLP" and "arxiv" not in journal
    assert journal["venue_url"] == "https://ieeexplore.ieee.org/document/10400001"
    german = next(p for p in data["papers"] if p["venue"] == "SustaiNLP")
    assert german["title"].startswith("Kompakte Sprachmodelle: Über")
    no_link = papers["Efficient Speech Models: A Survey Without an arXiv Link"]
    assert set(no_link) == {"id", "title", "year", "venue", "added"}
    assert load_catalog(new, use_cache=False).papers  # the new file is a valid catalog


def test_dry_run_prints_the_toml_and_writes_nothing(tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    result = run("import", str(FIXTURES / "seedlike.md"), "--db", str(new), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.count("[[papers]]") == 9
    assert 'id = "dphubert"' in result.stdout
    assert "would add 9 papers" in result.stderr
    assert not new.exists()


def test_dry_run_into_an_existing_catalog_changes_nothing(mini: Path, tmp_path: Path) -> None:
    before = mini.read_bytes()
    result = run(
        "import", str(FIXTURES / "seedlike.md"), "--db", str(mini), "--dry-run", "--skip-invalid"
    )
    assert result.exit_code == 0
    assert "skipped: 'DPHuBERT" in result.stderr
    assert mini.read_bytes() == before


# --- merging, duplicates ------------------------------------------------------------------------


MERGE = """# Somebody's list

## 2023

- [[INTERSPEECH]()] [[arXiv](https://arxiv.org/abs/2305.17651v2)] DPHuBERT (camera-ready title)
- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2302.99999)] A Genuinely New Paper

## 2022

- [[INTERSPEECH]()] lighthubert -- lightweight and configurable speech representation \
learning with once for all hidden unit BERT
- [[SLT]()] [[arXiv](https://arxiv.org/abs/2302.99999)] A Genuinely New Paper, Listed Twice
"""


def test_merge_skips_duplicates_and_names_the_existing_entry(mini: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "list.md", MERGE)
    before = papers_of(mini)
    result = run("import", str(source), "--db", str(mini))
    assert result.exit_code == 0, result.stderr
    # Same arXiv id (the link has a version), same normalized title, and a repeat in the file.
    assert "skipped: 'DPHuBERT (camera-ready title)': same arXiv id as 'dphubert'" in result.stderr
    assert "same title as 'lighthubert'" in result.stderr
    assert "same arXiv id as 'genuinely-new-paper'" in result.stderr
    assert "added 1 paper to" in result.stderr and "skipped 3 already there" in result.stderr
    after = papers_of(mini)
    assert len(after) == len(before) + 1
    assert [p for p in after if p not in before] == [
        {
            "id": "genuinely-new-paper",
            "title": "A Genuinely New Paper",
            "year": 2023,
            "venue": "ICASSP",
            "arxiv": "2302.99999",
            "added": dt.date.today(),
        }
    ]


def test_importing_the_catalogs_own_export_adds_nothing(mini: Path, tmp_path: Path) -> None:
    exported = write(tmp_path / "README.md", run("export", "--db", str(mini)).stdout)
    before = mini.read_bytes()
    result = run("import", str(exported), "--db", str(mini))
    assert result.exit_code == 0
    assert result.stderr.count("skipped: ") == 5
    assert mini.read_bytes() == before


# --- lines that cannot be read ------------------------------------------------------------------


BROKEN = """# List

## 2023

- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2303.00001)] A Good Paper
- [ICASSP] A line without link groups
- [[ICASSP](https://x.org/a] An unclosed group
- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2303.00002)]
- [[ICASSP]()] [[SLT]()] Two venues
- [[]()] No venue name
- [[NoSuchVenue]()] [[arXiv](https://arxiv.org/abs/2303.00003)] Unknown to this catalog
- [[ICASSP]()] [[code](ftp://x.org/code)] A code link that is not http

a stray note in the middle of the list

- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2303.00004)] Another Good Paper
"""


def test_every_unreadable_line_is_reported_with_its_number_and_nothing_is_written(
    mini: Path,
    tmp_path: Path,
) -> None:
    source = write(tmp_path / "broken.md", BROKEN)
    before = mini.read_bytes()
    result = run("import", str(source), "--db", str(mini))
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[2] for e in errors] == ["7", "8", "9", "10", "11", "12"]
    assert "broken.md:7: not a paper line" in result.stderr
    assert "broken.md:8: the paper has no title" in result.stderr
    assert "broken.md:9: more than one venue group ('ICASSP' and 'SLT')" in result.stderr
    assert "broken.md:10: a link group has no venue name" in result.stderr
    assert "broken.md:11: unknown venue 'NoSuchVenue'" in result.stderr
    assert "broken.md:12: code: must be an http:// or https:// URL" in result.stderr
    # A bullet without links and a note between papers are not papers: skipped, not errors.
    assert "broken.md:6" not in result.stderr and "broken.md:14" not in result.stderr
    assert "hint: nothing was imported" in result.stderr.splitlines()[-2]
    assert "6 problems" in result.stderr
    assert mini.read_bytes() == before


def test_skip_invalid_imports_the_rest_and_warns_about_each_line(
    mini: Path,
    tmp_path: Path,
) -> None:
    source = write(tmp_path / "broken.md", BROKEN)
    result = run("import", str(source), "--db", str(mini), "--skip-invalid")
    assert result.exit_code == 0
    assert result.stderr.count("(not imported)") == 6
    titles = [p["title"] for p in papers_of(mini)]
    assert "A Good Paper" in titles and "Another Good Paper" in titles
    assert len(titles) == 7


def test_a_paper_outside_a_year_section_needs_a_year_in_its_line() -> None:
    parsed = parse_markdown(
        "# L\n\n- [[ICASSP]()] Too Early\n\n## ICASSP\n\n- [[ICASSP]()] No Year\n"
        "- [[ICASSP 2023]()] A Year In The Label\n"
        "- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2210.01234)] A Year From arXiv\n"
    )
    message = "no year: not under a year heading (## 2023) and none in the line"
    assert [(p.line, p.message) for p in parsed.problems] == [(3, message), (7, message)]
    assert [(p["title"], p["year"], p["venue"]) for _, p in parsed.papers] == [
        ("A Year In The Label", 2023, "ICASSP"),
        ("A Year From arXiv", 2022, "ICASSP"),
    ]
    assert {p["section"] for _, p in parsed.papers} == {"ICASSP"}


def test_a_list_grouped_by_venue_takes_years_from_the_arxiv_ids(mini: Path, tmp_path: Path) -> None:
    exported = run("export", "--db", str(mini), "--group-by", "venue").stdout
    by_venue = write(tmp_path / "v.md", exported)
    new = tmp_path / "new.toml"
    result = run("import", str(by_venue), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    assert ("dphubert", 2023, "INTERSPEECH") in {
        (p["id"], p["year"], p["section"]) for p in papers_of(new)
    }


# --- what surrounds the list --------------------------------------------------------------------


AWESOME = """<!-- badges before the title are not part of the catalog -->
# Awesome Small Speech Models

Papers on making speech models small.

- Sorted by year, newest first.
- Pull requests welcome.

### How to read the links

Each line links the venue, arXiv and code.

```mermaid
xychart-beta
```

## Contents

- [2024](#2024)

## 2024

- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2401.01234)] A Title Long Enough That Its Author
  Wrapped It Onto a Second Line
- [[SLT]()] Short One

## Contributing

- Fork the repository.
- [Read the guide](CONTRIBUTING.md).

## License

CC0
"""


def test_description_footer_and_wrapped_titles_are_kept() -> None:
    parsed = parse_markdown(AWESOME)
    assert parsed.problems == []
    assert parsed.title == "Awesome Small Speech Models"
    assert parsed.description == (
        "Papers on making speech models small.\n\n- Sorted by year, newest first.\n"
        "- Pull requests welcome.\n\n### How to read the links\n\n"
        "Each line links the venue, arXiv and code."
    )
    assert parsed.footer == (
        "## Contributing\n\n- Fork the repository.\n- [Read the guide](CONTRIBUTING.md).\n\n"
        "## License\n\nCC0"
    )
    assert [p["title"] for _, p in parsed.papers] == [
        "A Title Long Enough That Its Author Wrapped It Onto a Second Line",
        "Short One",
    ]


def test_a_new_catalog_keeps_the_footer_and_exports_it_again(tmp_path: Path) -> None:
    source = write(tmp_path / "awesome.md", AWESOME)
    new = tmp_path / "new.toml"
    assert run("import", str(source), "--db", str(new)).exit_code == 0
    out = run("export", "--db", str(new)).stdout
    assert out.endswith(
        "- [[SLT]()] Short One\n\n## Contributing\n\n- Fork the repository.\n"
        "- [Read the guide](CONTRIBUTING.md).\n\n## License\n\nCC0\n"
    )
    assert "A Title Long Enough That Its Author Wrapped It Onto a Second Line\n" in out
    # Exported once, the list is stable: importing and exporting it again changes nothing.
    again = tmp_path / "again.toml"
    assert run("import", str(write(tmp_path / "out.md", out)), "--db", str(again)).exit_code == 0
    assert run("export", "--db", str(again)).stdout == out


def test_a_footer_paragraph_right_after_the_list_is_the_footer() -> None:
    parsed = parse_markdown("# L\n\n## 2023\n\n- [[SLT]()] P\n\nMaintained by the tests.\n")
    assert parsed.problems == []
    assert parsed.footer == "Maintained by the tests."


def test_readme_markers_are_not_part_of_description_or_footer() -> None:
    text = (
        "# L\n\nIntro.\n\n<!-- scc:start -->\n\n## 2023\n\n- [[SLT]()] P\n\n"
        "<!-- scc:end -->\n\nBye.\n"
    )
    parsed = parse_markdown(text)
    assert (parsed.description, parsed.footer, len(parsed.papers)) == ("Intro.", "Bye.", 1)


def test_a_title_heading_with_a_hash_in_it() -> None:
    assert parse_markdown("# Speech in C# and F# #\n").title == "Speech in C# and F#"


# --- ids ----------------------------------------------------------------------------------------


def test_ids_are_ascii_slugs_whatever_the_title_and_stay_unique() -> None:
    parsed = parse_markdown(
        "# L\n\n## 2023\n\n"
        "- [[ICASSP]()] Сжатие моделей речи\n"
        "- [[ICASSP]()] 语音模型压缩\n"
        "- [[ICASSP]()] Сжатие for ASR: Ünïcode Öptimal\n"
        "- [[ICASSP]()] Compressing Speech Models: A Survey\n"
        "- [[SLT]()] Compressing Speech Models: Another View\n"
    )
    plan = plan_import(parsed, None)
    assert plan.problems == []
    assert [p.id for p in plan.added] == [
        "paper",
        "paper-2",
        "for-asr",
        "compressing-speech-models",
        "compressing-speech-models-2",
    ]


# --- BibTeX -------------------------------------------------------------------------------------


def test_bibtex_entries_become_papers_and_problems_are_reported_by_line(tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    result = run("import", str(FIXTURES / "refs.bib"), "--db", str(new))
    assert result.exit_code == 3
    assert "refs.bib:48: cannot parse this BibTeX entry: Unexpectedly reached end" in result.stderr
    assert "aborted on line" not in result.stderr  # bibtexparser's own log line, said once by scc
    assert not new.exists()

    result = run("import", str(FIXTURES / "refs.bib"), "--db", str(new), "--skip-invalid")
    assert result.exit_code == 0
    assert "added 5 papers" in result.stderr
    assert "refs.bib:41: new venue 'Imaginary Workshop on Speech' declared as a workshop" in (
        result.stderr
    )
    papers = {p["id"]: p for p in papers_of(new)}
    assert papers["robustdistiller"] == {
        "id": "robustdistiller",
        "title": "RobustDistiller: Compressing Universal Speech Representations for Enhanced "
        "Environment Robustness",
        "authors": ["Heitor R. Guimarães", "Arthur Pimentel", "Tiago H. Falk"],
        "year": 2023,
        "venue": "INTERSPEECH",
        "venue_url": "https://www.isca-speech.org/archive/interspeech_2023/guimaraes23_interspeech.html",
        "doi": "10.21437/Interspeech.2023-9999",
        "key": "guimaraes2023",
        "venue_name": "Proc. Interspeech 2023",
        "added": dt.date.today(),
    }
    sparse = next(p for p in papers.values() if p["title"].startswith("Sparse"))
    assert sparse["title"] == "Sparse Conformers for On-Device ASR: A Study in München and Montréal"
    assert sparse["authors"] == ["Jörg Müller", "Renée Lefèvre"]  # "and others" is not a name
    assert (sparse["venue"], sparse["doi"]) == ("TASLP", "10.1109/TASLP.2024.1234567")
    assert papers["dphubert"]["arxiv"] == "2305.17651"  # version dropped
    assert papers["dphubert"]["venue"] == "arXiv"
    scholar = next(p for p in papers.values() if p["title"].startswith("Whisper"))
    assert scholar["title"] == "Whisper on a Diet: 100% Smaller & Still Listening"
    assert (scholar["venue"], scholar["arxiv"]) == ("arXiv", "2405.01234")
    assert scholar["authors"] == ["Zofia Nowak"]


def test_bibtex_merge_finds_duplicates_by_arxiv_id_and_title(mini: Path) -> None:
    result = run("import", str(FIXTURES / "refs.bib"), "--db", str(mini), "--skip-invalid")
    assert result.exit_code == 0
    assert "same arXiv id as 'dphubert'" in result.stderr
    assert "same title as 'robustdistiller'" in result.stderr
    assert "added 2 papers" in result.stderr


def test_bibtex_duplicate_by_doi(mini: Path, tmp_path: Path) -> None:
    bib = write(
        tmp_path / "doi.bib",
        """@inproceedings{x,
  title = {Another Title Entirely},
  booktitle = {Interspeech},
  year = {2023},
  doi = {10.21437/INTERSPEECH.2023-1213}
}
""",
    )
    result = run("import", str(bib), "--db", str(mini))
    assert result.exit_code == 0
    assert "same DOI as 'dphubert'" in result.stderr


def test_import_format_can_be_forced_and_unknown_formats_are_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "list.txt", "# L\n\n## 2023\n\n- [[SLT]()] P\n")
    forced = run("import", str(source), "--db", str(tmp_path / "a.toml"), "-f", "markdown")
    assert forced.exit_code == 0
    result = run("import", str(source), "--db", str(tmp_path / "b.toml"), "-f", "docx")
    assert result.exit_code == 2
    missing = run("import", str(tmp_path / "missing.md"), "--db", str(tmp_path / "c.toml"))
    assert missing.exit_code == 4


@pytest.mark.parametrize(
    "link",
    [
        "https://arxiv.org/abs/2305.17651v3",
        "https://arxiv.org/pdf/2305.17651.pdf",
        "http://arxiv.org/abs/2305.17651",
    ],
)
def test_any_arxiv_link_after_the_venue_gives_the_bare_id(link: str) -> None:
    parsed = parse_markdown(f"## 2023\n- [[ICASSP]()] [[arXiv]({link})] P\n")
    assert [p["arxiv"] for _, p in parsed.papers] == ["2305.17651"]


def test_import_refuses_to_edit_the_bundled_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --db, no $SCC_DB and no ./data/papers.toml, the target would be the bundled file."""
    from speechcompress.locate import bundled_catalog

    monkeypatch.chdir(tmp_path)
    before = bundled_catalog().read_bytes()
    source = tmp_path / "list.md"
    source.write_text("# L\n\n## 2023\n\n- [[ICASSP]()] A Paper That Is New\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(source)])
    assert result.exit_code == 2
    assert "will not edit the catalog bundled with it" in result.stderr
    assert bundled_catalog().read_bytes() == before


# --- new venues and counts ----------------------------------------------------------------------


TYPO = """# Typos

## 2023

- [[INTERSPEACH]()] A Paper at a Misspelt Venue
- [[SustaiNLP]()] A Paper at a Workshop scc Does Not Know
- [[INTERSPEACH]()] Another Paper at the Same Misspelt Venue
"""


def test_each_new_venue_of_a_new_catalog_is_declared_with_a_warning(tmp_path: Path) -> None:
    source = write(tmp_path / "list.md", TYPO)
    new = tmp_path / "new.toml"
    result = run("import", str(source), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {source}:5: new venue 'INTERSPEACH' declared as a conference "
        "(did you mean 'INTERSPEECH'?)",
        f"warning: {source}:6: new venue 'SustaiNLP' declared as a conference",
    ]
    # Still declared: a hand-written list may use any venue.
    assert [v.name for v in load_catalog(new, use_cache=False).venues] == [
        "INTERSPEACH",
        "SustaiNLP",
    ]
    # A dry run says the same, and a catalog that knows its venues hears nothing of them.
    dry = run("import", str(source), "--db", str(tmp_path / "dry.toml"), "--dry-run")
    assert warnings[0] in dry.stderr.splitlines()
    assert "warning:" not in run("import", str(source), "--db", str(new)).stderr


def test_counts_are_pluralised(mini: Path, tmp_path: Path) -> None:
    one = write(tmp_path / "one.md", "# L\n\n## 2023\n\n- [[ICASSP]()] Exactly One New Paper\n")
    result = run("import", str(one), "--db", str(mini), "--dry-run")
    assert "would add 1 paper to" in result.stderr
    result = run("import", str(one), "--db", str(mini))
    assert result.stderr.startswith(f"added 1 paper to {mini}")
    result = run("import", str(one), "--db", str(mini))
    assert result.stderr.endswith(f"added 0 papers to {mini}, skipped 1 already there\n")


# --- files that cannot be read ------------------------------------------------------------------


def test_a_latin1_bibtex_file_is_a_file_problem_with_its_line_and_a_hint(tmp_path: Path) -> None:
    source = tmp_path / "refs.bib"
    source.write_bytes(b"@article{a,\n  title = {Caf\xe9 Speech},\n  year = 2023,\n}\n")
    new = tmp_path / "new.toml"
    result = run("import", str(source), "--db", str(new))
    assert result.exit_code == 4
    first, hint = result.stderr.splitlines()
    assert first == f"error: {source}:2: not UTF-8 text (byte 0xe9: invalid continuation byte)"
    assert hint.startswith("hint: scc reads UTF-8 only") and "iconv -f latin1" in hint
    assert not new.exists()


@pytest.mark.parametrize("kind", ["folder", "missing", "binary"])
def test_an_unreadable_import_file_is_one_error_line(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "in.md"
    if kind == "folder":
        source.mkdir()
    elif kind == "binary":
        source.write_bytes(b"\xff")
    result = run("import", str(source), "--db", str(tmp_path / "n.toml"))
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ")
    assert str(source) in result.stderr.splitlines()[0]
    assert not (tmp_path / "n.toml").exists()


# --- concurrent imports --------------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src"


def _parallel_imports(mini: Path, tmp_path: Path, lines: list[str]) -> list[tuple[int, str]]:
    """Start one ``python -m speechcompress import`` a line, all at once, on one catalog."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = []
    for i, line in enumerate(lines):
        source = write(tmp_path / f"list{i}.md", f"# L\n\n## 2024\n\n{line}\n")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "speechcompress", "import", str(source), "--db", str(mini)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    return [(p.wait(timeout=120), p.communicate()[1]) for p in procs]


def test_parallel_imports_of_one_paper_leave_one_copy(mini: Path, tmp_path: Path) -> None:
    before = len(papers_of(mini))
    lines = [
        f"- [[arXiv](https://arxiv.org/abs/2409.01234)] Same Paper, Title Variant {i}"
        for i in range(6)
    ]
    results = _parallel_imports(mini, tmp_path, lines)
    assert [code for code, _ in results] == [0] * 6, results
    copies = [p for p in papers_of(mini) if p.get("arxiv") == "2409.01234"]
    assert len(copies) == 1
    assert len(papers_of(mini)) == before + 1
    added = [err for _, err in results if "added 1 paper to" in err]
    skipped = [err for _, err in results if "skipped: " in err and "added 0 papers" in err]
    assert (len(added), len(skipped)) == (1, 5), results


def test_parallel_imports_with_titles_sharing_a_prefix_get_distinct_ids(
    mini: Path, tmp_path: Path
) -> None:
    before = len(papers_of(mini))
    lines = [
        f"- [[arXiv](https://arxiv.org/abs/2409.0{i}000)] Shared Prefix Title" + " Again" * i
        for i in range(1, 7)
    ]
    results = _parallel_imports(mini, tmp_path, lines)
    assert [code for code, _ in results] == [0] * 6, results
    ids = [p["id"] for p in papers_of(mini)]
    assert len(ids) == before + 6 and len(set(ids)) == len(ids)
    assert load_catalog(mini, use_cache=False).papers  # still valid


def test_bibtex_with_deeply_nested_braces_is_reported_not_a_traceback(tmp_path: Path) -> None:
    deep = "{" * 400 + "T" + "}" * 400
    bib = write(
        tmp_path / "deep.bib",
        f"@article{{x, title={{{deep}}}, year={{2020}}, author={{A B}}, journal={{arXiv}}}}\n",
    )
    result = run("import", str(bib), "--db", str(tmp_path / "new.toml"))
    assert result.exit_code == 3
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and first.endswith(
        "deep.bib:1: entry 'x': braces nested too deeply to read"
    )
