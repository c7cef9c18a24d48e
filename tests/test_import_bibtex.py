"""A real-shaped project bibliography moves into scc without loss (issue: move in)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import bibtexparser
from pybtex.database import parse_string

from conftest import FIXTURES, run

BIB = FIXTURES / "lists" / "project-refs.bib"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def imported(tmp_path: Path) -> Path:
    new = tmp_path / "refs.toml"
    result = run("import", str(BIB), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    return new


def test_every_entry_comes_in_and_every_key_survives_the_export(tmp_path: Path) -> None:
    new = imported(tmp_path)
    source = bibtexparser.parse_string(BIB.read_text(encoding="utf-8"))
    exported = run("export", "--db", str(new), "--format", "bibtex").stdout
    keys = set(parse_string(exported, "bibtex").entries)  # pybtex reads it too
    # The preprint twins of two published papers became those papers.
    assert {e.key for e in source.entries} - keys == {
        "peng2023dphubertarxiv",
        "lee2022fithubert_arxiv",
    }


def test_journals_books_theses_and_preprints_keep_their_types_and_details(tmp_path: Path) -> None:
    new = imported(tmp_path)
    venues = tomllib.loads(new.read_text(encoding="utf-8"))["catalog"]["venues"]
    assert venues["Journal of Machine Learning Research"] == {"kind": "journal"}
    assert venues["TPAMI"]["kind"] == "journal"
    assert venues["IEEE Signal Processing Magazine"]["kind"] == "journal"
    entries = parse_string(
        run("export", "--db", str(new), "--format", "bibtex").stdout, "bibtex"
    ).entries
    assert entries["rastegari2016xnor"].type == "article"
    assert entries["goodfellow2016deep"].type == "book"
    assert entries["goodfellow2016deep"].fields["publisher"] == "MIT Press"
    assert entries["han2017thesis"].fields["school"] == "Stanford University"
    assert entries["krizhevsky2009learning"].type == "techreport"
    assert entries["gou2021knowledge"].fields["pages"] == "1789--1819"
    assert (
        entries["gou2021knowledge"].fields["journal"] == "International Journal of Computer Vision"
    )
    assert entries["cheng2018model"].fields["month"] == "January"
    dphubert = entries["Peng2023DPHuBERT"]
    assert dphubert.type == "inproceedings"
    assert dphubert.fields["eprint"] == "2305.17651"  # from the DataCite twin
    assert dphubert.fields["doi"] == "10.21437/Interspeech.2023-1213"
    assert entries["whispercpp"].fields["year"] == "2024"  # from urldate


def test_the_bench_meets_its_targets_on_the_bibliography() -> None:
    from migrate_bench import scores

    (score,) = scores([BIB])
    assert score.missed() == [], score.report()


def test_dry_run_lists_the_papers_and_writes_nothing(tmp_path: Path) -> None:
    new = tmp_path / "refs.toml"
    result = run("import", str(BIB), "--db", str(new), "--dry-run")
    assert result.exit_code == 0
    assert 'key = "goodfellow2016deep"' in result.stdout
    assert "would add 29 papers" in result.stderr
    assert not new.exists()


def test_theses_tools_and_dblp_preprints_find_a_venue() -> None:
    from speechcompress.importers.bibtex import parse_bibtex
    from speechcompress.importing import plan_import
    from speechcompress.vocab import Vocabulary

    parsed = parse_bibtex(
        "@phdthesis{a, title={A Thesis on Speech}, author={Doe, J.}, year={2020}}\n"
        "@misc{b, title={A Toolkit}, howpublished={GitHub}, url={https://github.com/x/y},"
        " year={2021}}\n"
        "@article{c, title={Old Preprint}, journal={CoRR}, volume={abs/1712.05877}, year={2017}}\n",
        Vocabulary(),
    )
    plan = plan_import(parsed, None)
    assert plan.problems == []
    assert [(p.key, p.venue, p.arxiv) for p in plan.added] == [
        ("a", "PhD thesis", None),
        ("b", "GitHub", None),
        ("c", "arXiv", "1712.05877"),
    ]
    assert {v.name: v.kind for v in plan.new_venues} == {"PhD thesis": "report", "GitHub": "report"}


def test_a_huge_bibtex_field_is_refused_for_its_length_not_decoded(tmp_path: Path) -> None:
    """LaTeX decoding grows faster than linearly; a field longer than any scc keeps is
    refused by validation without being decoded (a 1 MB title took minutes)."""
    bib = tmp_path / "huge.bib"
    title = "Pruning {HuBERT} " * 70_000  # ~1.2 MB, with markup
    entry = f"@inproceedings{{k,\n  title = {{{title}}},\n  booktitle = {{Proc. Interspeech}},\n"
    bib.write_text(entry + "  year = {2023}\n}\n", "utf-8")
    result = run("import", str(bib), "--db", str(tmp_path / "new.toml"))
    assert result.exit_code == 3
    assert "title: String should have at most 1000 characters" in result.stderr
