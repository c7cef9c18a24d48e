"""``scc export --format bibtex|json|csv``: checked with a real BibTeX parser and the stdlib."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest

from conftest import run
from speechcompress import load_catalog
from speechcompress.importers.bibtex import parse_bibtex
from speechcompress.paper import PAPER_FIELDS, Paper
from speechcompress.render.bibtex import citation_keys, protect_title, render_bibtex
from speechcompress.vocab import Venue, Vocabulary

GOLDEN = Path(__file__).parent / "golden"
VOCAB = Vocabulary.with_extra_venues([Venue("TechRep", "report", "A Lab's Technical Reports")])


def parse(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """key -> (entry type, fields) as bibtexparser v2 reads them; nothing may fail to parse."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    entries = {e.key: (e.entry_type, {f.key: f.value for f in e.fields}) for e in library.entries}
    assert len(entries) == len(library.entries), "duplicate keys"
    return entries


def paper(title: str = "A Paper", **fields: object) -> Paper:
    data: dict[str, object] = {"id": "p", "year": 2023, "venue": "ICASSP", **fields}
    return Paper(title=title, **data)  # type: ignore[arg-type]


# --- the mini catalog, field by field -----------------------------------------------------------


MINI_NATBIB = {
    "peng2023dphubert": (
        "inproceedings",
        {
            "title": "{DPHuBERT}: Joint Distillation and Pruning of Self-Supervised Speech Models",
            "author": "Yifan Peng and Yui Sudo and Muhammad Shakeel and Shinji Watanabe",
            "booktitle": "Annual Conference of the International Speech Communication Association",
            "year": "2023",
            "doi": "10.21437/Interspeech.2023-1213",
            "eprint": "2305.17651",
            "archivePrefix": "arXiv",
            "url": "https://www.isca-speech.org/archive/interspeech_2023/peng23c_interspeech.html",
        },
    ),
    "guimaraes2023robustdistiller": (
        "inproceedings",
        {
            "title": "{RobustDistiller}: Compressing Universal Speech Representations for Enhanced "
            "Environment Robustness",
            "author": "Heitor R. Guimarães and Arthur Pimentel and Tiago H. Falk",
            "booktitle": "IEEE International Conference on Acoustics, Speech and Signal Processing",
            "year": "2023",
            "eprint": "2302.09437",
            "archivePrefix": "arXiv",
            "url": "https://arxiv.org/abs/2302.09437",
        },
    ),
    "wang2022lighthubert": (
        "inproceedings",
        {
            "title": "{LightHuBERT}: Lightweight and Configurable Speech Representation "
            "Learning with "
            "Once-for-All Hidden-Unit {BERT}",
            "author": "Rui Wang and Qibing Bai",
            "booktitle": "Annual Conference of the International Speech Communication Association",
            "year": "2022",
            "eprint": "2203.15610",
            "archivePrefix": "arXiv",
            "url": "https://www.isca-speech.org/archive/interspeech_2022/wang22t_interspeech",
        },
    ),
    "peng2021shrinking": (
        "inproceedings",
        {
            "title": "Shrinking Bigfoot: Reducing wav2vec 2.0 footprint",
            "author": "Zilun Peng and Akshay Budhkar",
            "booktitle": "Workshop on Simple and Efficient NLP",
            "year": "2021",
            "eprint": "2103.15760",
            "archivePrefix": "arXiv",
            "url": "https://aclanthology.org/2021.sustainlp-1.14/",
        },
    ),
    "kim2022integer": (
        "misc",
        {
            "title": "Integer-only Zero-shot Quantization for Efficient Speech Recognition",
            "author": "Sehoon Kim",
            "year": "2022",
            "eprint": "2103.16827",
            "archivePrefix": "arXiv",
            "url": "https://arxiv.org/abs/2103.16827",
        },
    ),
}


def test_every_field_of_every_entry_of_the_mini_catalog(mini: Path) -> None:
    result = run("export", "--db", str(mini), "--format", "bibtex")
    assert result.exit_code == 0
    assert parse(result.stdout) == MINI_NATBIB
    assert list(parse(result.stdout)) == list(MINI_NATBIB)  # catalog order
    assert result.stdout == (GOLDEN / "mini.bib").read_text(encoding="utf-8")


def test_biblatex_style_with_ascii_accents(mini: Path) -> None:
    result = run("export", "--db", str(mini), "-f", "bibtex", "--bib-style", "biblatex", "--ascii")
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "mini-biblatex-ascii.bib").read_text(encoding="utf-8")
    assert result.stdout.isascii()
    expected = {}
    for key, (kind, fields) in MINI_NATBIB.items():
        fields = {k: v for k, v in fields.items() if k != "archivePrefix"}
        fields["eprinttype"] = "arxiv"
        if key == "guimaraes2023robustdistiller":
            fields["author"] = r"Heitor R. Guimar{\~a}es and Arthur Pimentel and Tiago H. Falk"
        expected[key] = (kind, fields)
    assert parse(result.stdout) == expected


def test_an_unknown_bib_style_is_a_usage_error(mini: Path) -> None:
    result = run("export", "--db", str(mini), "-f", "bibtex", "--bib-style", "apa")
    assert result.exit_code == 2
    assert result.stdout == ""


# --- entry types, keys --------------------------------------------------------------------------


def test_the_entry_type_follows_the_venue_kind() -> None:
    papers = [
        paper("Conference Paper", id="a", venue="INTERSPEECH"),
        paper("Journal Paper", id="b", venue="TASLP", doi="10.1109/TASLP.2024.1"),
        paper("Preprint Paper", id="c", venue="arXiv", arxiv="2401.01234"),
        paper("Report Paper", id="d", venue="TechRep"),
    ]
    entries = parse(render_bibtex(papers, VOCAB))
    assert [(kind, sorted(fields)) for kind, fields in entries.values()] == [
        ("inproceedings", ["booktitle", "title", "year"]),
        ("article", ["doi", "journal", "title", "year"]),
        ("misc", ["archivePrefix", "eprint", "title", "url", "year"]),
        ("misc", ["howpublished", "title", "year"]),
    ]
    fields = list(entries.values())
    assert fields[1][1]["journal"] == (
        "IEEE/ACM Transactions on Audio, Speech, and Language Processing"
    )
    assert fields[2][1] == {
        "title": "Preprint Paper",
        "year": "2023",
        "eprint": "2401.01234",
        "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2401.01234",
    }
    assert fields[3][1]["howpublished"] == "A Lab's Technical Reports"
    biblatex = parse(render_bibtex(papers[2:3], VOCAB, style="biblatex"))
    assert next(iter(biblatex.values()))[1]["eprinttype"] == "arxiv"


def test_keys_are_readable_and_collisions_get_letters() -> None:
    papers = [
        paper("DPHuBERT: Joint Distillation", id="a", authors=("Yifan Peng",)),
        paper("The Structured Pruning", id="b", authors=("Yifan Peng",)),
        paper("Structured Pruning Again", id="c", authors=("Zilun Peng",)),
        paper("Structured Pruning, Third", id="d", authors=("Ana Peng",)),
        paper("Anonymous Work", id="e"),
        paper("Сжатие моделей", id="f", authors=("Иван Петров",)),
        paper("Über Kompression", id="g", authors=("Jörg Müller",)),
    ]
    keys = citation_keys(papers)
    assert keys == [
        "peng2023dphubert",
        "peng2023structureda",
        "peng2023structuredb",
        "peng2023structuredc",
        "anon2023anonymous",
        "anon2023paper",
        "muller2023uber",
    ]
    assert all(k.isascii() for k in keys)
    assert list(parse(render_bibtex(papers, VOCAB))) == keys


def test_many_collisions_keep_counting_past_z() -> None:
    papers = [paper("Same Title", id=f"p{i}", authors=("A Lee",)) for i in range(28)]
    keys = citation_keys(papers)
    assert keys[:2] == ["lee2023samea", "lee2023sameb"]
    assert keys[25:] == ["lee2023samez", "lee2023sameaa", "lee2023sameab"]
    assert len(set(keys)) == 28


# --- text: case protection, escaping, unicode ---------------------------------------------------


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("DPHuBERT: Joint Distillation", "{DPHuBERT}: Joint Distillation"),
        ("HuBERT, WavLM and ASR.", "{HuBERT}, {WavLM} and {ASR}."),
        ("Self-Supervised Speech Models", "Self-Supervised Speech Models"),
        ("VIC-KD for wav2vec 2.0", "{VIC-KD} for wav2vec 2.0"),
        ("Once-for-All Hidden-Unit BERT", "Once-for-All Hidden-Unit {BERT}"),
        ("50% Smaller & #1 on $mall_Set", r"50\% Smaller \& \#1 on {\$mall\_Set}"),
        (
            "Tilde ~ Caret ^ Backslash \\",
            r"Tilde \textasciitilde{} Caret \textasciicircum{} Backslash \textbackslash{}",
        ),
        # Escaped braces would still count for BibTeX: they are written as macros.
        ("{Braces} in a title", r"\textbraceleft{}Braces\textbraceright{} in a title"),
        ("Lone } brace", r"Lone \textbraceright{} brace"),
        ("Pages 1--2 --- and ``quotes''", "Pages 1-{}-2 -{}-{}- and `{}`quotes'{}'"),
    ],
)
def test_titles_protect_capitals_and_escape_latex(title: str, protected: str) -> None:
    assert protect_title(title) == protected


def test_special_characters_survive_a_real_parser_and_come_back_as_text() -> None:
    title = "100% of {HuBERT} & $x_1$ #2 ~ ^ \\ [draft] (v2) | <b>"
    entry = parse(render_bibtex([paper(title, authors=("A. O'Brien-Smith", "José Núñez"))], VOCAB))
    assert next(iter(entry.values()))[1]["title"] == (
        r"100\% of {\textbraceleft{}HuBERT\textbraceright{}} \& \$x\_1\$ \#2 "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{} [draft] (v2) | <b>"
    )
    back = parse_bibtex(render_bibtex([paper(title, authors=("José Núñez",))], VOCAB), VOCAB)
    assert back.problems == []
    assert back.papers[0][1]["title"] == title
    assert back.papers[0][1]["authors"] == ["José Núñez"]


def test_names_written_last_name_first_are_read_first_name_first() -> None:
    text = (
        "@inproceedings{x, title = {A Title}, year = {2022}, booktitle = {Proc. Interspeech},"
        " author = {Peng, Yifan and Doe, Jr., John and Ana Lima and {van der Berg}, Jan"
        " and {Speech Group, Inc.}}}\n"
    )
    authors = parse_bibtex(text, VOCAB).papers[0][1]["authors"]
    assert authors == [
        "Yifan Peng",
        "John Doe Jr.",
        "Ana Lima",
        "Jan van der Berg",
        "Speech Group, Inc.",
    ]


def test_names_bibtex_would_cut_are_braced_and_read_back_whole() -> None:
    p = paper("A Title", authors=("Speech Group, Inc.", "Johnson and Johnson Lab", "Ana Lima"))
    text = render_bibtex([p], VOCAB)
    assert "{Speech Group, Inc.} and {Johnson and Johnson Lab} and Ana Lima" in text
    assert parse_bibtex(text, VOCAB).papers[0][1]["authors"] == list(p.authors)


def test_non_ascii_names_stay_utf8_unless_ascii_is_asked_for() -> None:
    p = paper("Über Compression", authors=("Jörg Müller", "Łukasz Øster", "Renée Lefèvre"))
    utf8 = next(iter(parse(render_bibtex([p], VOCAB)).values()))[1]
    assert utf8["author"] == "Jörg Müller and Łukasz Øster and Renée Lefèvre"
    assert utf8["title"] == "Über Compression"
    text = render_bibtex([p], VOCAB, ascii_only=True)
    assert text.isascii()
    ascii_fields = next(iter(parse(text).values()))[1]
    assert ascii_fields["author"] == (
        r"J{\"o}rg M{\"u}ller and {\L}ukasz {\O}ster and Ren{\'e}e Lef{\`e}vre"
    )
    assert ascii_fields["title"] == r"{\"U}ber Compression"
    back = parse_bibtex(text, VOCAB).papers[0][1]
    assert back["authors"] == list(p.authors)
    assert back["title"] == p.title


def test_urls_are_verbatim_and_cannot_unbalance_the_entry() -> None:
    p = paper(venue_url="https://x.org/a%20b_c#frag?q={1}&r=\\", doi="10.1000/a_b(c)")
    for style in ("natbib", "biblatex"):
        fields = next(iter(parse(render_bibtex([p], VOCAB, style=style)).values()))[1]
        assert fields["url"] == "https://x.org/a%20b_c#frag?q=%7B1%7D&r=%5C"
    biblatex = next(iter(parse(render_bibtex([p], VOCAB, style="biblatex")).values()))[1]
    natbib = next(iter(parse(render_bibtex([p], VOCAB)).values()))[1]
    assert (biblatex["doi"], natbib["doi"]) == ("10.1000/a_b(c)", r"10.1000/a\_b(c)")
    for style in ("natbib", "biblatex"):
        back = parse_bibtex(render_bibtex([p], VOCAB, style=style), VOCAB).papers[0][1]
        assert back["doi"] == "10.1000/a_b(c)"
        assert back["venue_url"] == "https://x.org/a%20b_c#frag?q=%7B1%7D&r=%5C"


def test_the_bundled_catalog_exports_to_bibtex_a_parser_reads_entirely() -> None:
    catalog = load_catalog(Path(__file__).parents[1] / "data" / "papers.toml", use_cache=False)
    for style in ("natbib", "biblatex"):
        entries = parse(render_bibtex(catalog.papers, catalog.vocabulary, style=style))
        assert len(entries) == len(catalog.papers)
        for (_, fields), p in zip(entries.values(), catalog.papers, strict=True):
            assert fields["year"] == str(p.year)
            assert ("eprint" in fields) == bool(p.arxiv)


def test_bibtex_export_imports_back_to_the_same_papers(mini: Path) -> None:
    catalog = load_catalog(mini)
    back = parse_bibtex(render_bibtex(catalog.papers, catalog.vocabulary), catalog.vocabulary)
    assert back.problems == []
    for (_, got), want in zip(back.papers, catalog.papers, strict=True):
        assert got["title"] == want.title
        assert got["authors"] == list(want.authors)
        links = (got.get("arxiv"), got.get("doi"), got.get("venue_url"))
        assert (got["year"], got["venue"], *links) == (
            want.year,
            want.venue,
            want.arxiv,
            want.doi,
            want.venue_url,
        )


# --- JSON and CSV -------------------------------------------------------------------------------


def test_json_is_the_full_records_with_stable_field_names(mini: Path) -> None:
    result = run("export", "--db", str(mini), "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "mini.json").read_text(encoding="utf-8")
    records = json.loads(result.stdout)
    assert [list(r) for r in records] == [list(PAPER_FIELDS)] * 5
    catalog = load_catalog(mini)
    assert [Paper.from_dict(r) for r in records] == list(catalog.papers)
    assert records[0]["published"] == "2023-05-28" and records[1]["published"] is None


def test_csv_has_one_row_a_paper_with_lists_joined(mini: Path) -> None:
    result = run("export", "--db", str(mini), "--format", "csv", "--method", "quantization")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["bigfoot", "q-asr"]
    assert rows[0]["authors"] == "Zilun Peng; Akshay Budhkar"
    assert rows[0]["methods"] == "distillation; quantization"
    assert rows[1]["venue_url"] == "" and rows[1]["year"] == "2022"
    full = run("export", "--db", str(mini), "-f", "csv").stdout
    assert full == (GOLDEN / "mini.csv").read_text(encoding="utf-8")


def test_csv_quotes_commas_quotes_and_newlines_in_fields() -> None:
    from speechcompress.render.data import render_csv

    p = paper('Title, with "quotes"', abstract="Two\nlines", authors=("A, B",))
    row = next(csv.DictReader(io.StringIO(render_csv([p]))))
    assert (row["title"], row["abstract"], row["authors"]) == (
        'Title, with "quotes"',
        "Two\nlines",
        "A, B",
    )


def test_output_file_for_other_formats(mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    result = run("export", "--db", str(mini), "-f", "bibtex", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == (GOLDEN / "mini.bib").read_text(encoding="utf-8")
    assert run("export", "--db", str(mini), "-f", "json", "--check", str(target)).exit_code == 2
    assert run("export", "--db", str(mini), "-f", "yaml").exit_code == 2


# --- every entry parses and comes back: a property ----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402 - grouped with its tests
from hypothesis import strategies as st  # noqa: E402

_TRICKY = st.sampled_from(
    ["{", "}", "\\", "--", "---", "%", "#", "&", "$", "_", "~", "^", "``", "''", "?`", "!`",
     "é", "ß", "Ž", "—", "中", "HuBERT", "and", ",", "-", "'", "`"]
)  # fmt: skip
_PLAIN = st.text(alphabet="abcXYZ019 .:;()/", min_size=1, max_size=6)
_TEXT = (
    st.lists(st.one_of(_TRICKY, _PLAIN), min_size=1, max_size=10)
    .map(lambda parts: " ".join("".join(parts).split()))
    .filter(lambda t: t.strip() != "" and any(c.isalnum() for c in t))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, authors=st.lists(_TEXT, min_size=1, max_size=3), ascii_only=st.booleans())
def test_every_exported_entry_parses_and_round_trips(
    title: str, authors: list[str], ascii_only: bool
) -> None:
    import pybtex.database

    entry = render_bibtex(
        [paper(title, venue="arXiv", arxiv="2301.00001", authors=tuple(authors))],
        VOCAB,
        ascii_only=ascii_only,
    )
    # pybtex is strict about braces: one unbalanced brace rejects the whole file.
    read = pybtex.database.parse_string(entry, "bibtex")
    (only,) = read.entries.values()
    assert len(only.persons["author"]) == len(authors)
    parse(entry)  # bibtexparser reads it without a failed block
    back = parse_bibtex(entry, VOCAB)
    assert back.problems == []
    (_, data) = back.papers[0]
    assert data["title"] == title
    assert data["authors"] == authors


# --- keys that do not move ----------------------------------------------------------------------


def test_a_stored_key_wins_and_generated_keys_step_around_it() -> None:
    papers = [
        paper("Structured Pruning", id="a", authors=("Ana Peng",), key="Peng:2023"),
        paper("Structured Pruning Again", id="b", authors=("Ana Peng",), key="peng2023structured"),
        paper("Structured Pruning, Third", id="c", authors=("Ana Peng",)),
    ]
    assert citation_keys(papers) == ["Peng:2023", "peng2023structured", "peng2023structureda"]


def test_an_unusable_stored_key_is_replaced_by_a_generated_one() -> None:
    assert citation_keys([paper("Pruning", key="has space", authors=("A Lee",))]) == [
        "lee2023pruning"
    ]


def test_keys_do_not_depend_on_the_filter() -> None:
    papers = [
        paper("Effective Pruning", id="a", authors=("H Xu",), methods=("pruning",)),
        paper("Effective Quantization", id="b", authors=("H Xu",), methods=("quantization",)),
    ]
    whole = citation_keys(papers)
    assert whole == ["xu2023effectivea", "xu2023effectiveb"]
    assert citation_keys(papers[1:], papers) == ["xu2023effectiveb"]


def test_export_keys_are_the_same_under_a_filter(mini: Path) -> None:
    whole = parse(run("export", "--db", str(mini), "--format", "bibtex").stdout)
    for paper_key, (_, fields) in whole.items():
        year = fields["year"]
        part = run("export", "--db", str(mini), "--format", "bibtex", "--year", year).stdout
        assert paper_key in parse(part)


def test_cite_prints_the_entries_named_with_their_export_keys(mini: Path) -> None:
    whole = parse(run("export", "--db", str(mini), "--format", "bibtex").stdout)
    result = run("cite", "--db", str(mini), "dphubert", "2305.17651", "peng2023dphubert")
    assert result.exit_code == 0, result.stderr
    assert parse(result.stdout) == {"peng2023dphubert": whole["peng2023dphubert"]}


def test_cite_names_every_unknown_paper_and_exits_2(mini: Path) -> None:
    result = run("cite", "--db", str(mini), "dphubert", "nope", "nada")
    assert result.exit_code == 2
    assert "'nope', 'nada'" in result.stderr and result.stdout == ""


def test_bibliographic_fields_are_written_and_read_back_by_pybtex() -> None:
    from pybtex.database import parse_string

    p = paper(
        "A Book on Speech",
        key="Book:2020",
        entry_type="book",
        venue="TechRep",
        publisher="MIT Press",
        address="Cambridge, MA",
        edition="2nd",
        isbn="978-0-262-03384-8",
        month="may",
        note="Chapter 4 & 5",
        authors=("A Lee",),
    )
    text = render_bibtex([p], VOCAB)
    entry = parse_string(text, "bibtex").entries["Book:2020"]
    assert entry.type == "book"
    assert entry.fields["publisher"] == "MIT Press"
    assert entry.fields["month"] == "May"
    assert entry.fields["note"] == r"Chapter 4 \& 5"
    article = paper(
        "Deep Speech",
        venue="TASLP",
        venue_name="IEEE/ACM Trans. Audio Speech Lang. Process.",
        volume="31",
        number="2",
        pages="1--12",
    )
    fields = parse(render_bibtex([article], VOCAB))["anon2023deep"][1]
    assert fields["journal"] == "IEEE/ACM Trans. Audio Speech Lang. Process."
    assert (fields["volume"], fields["number"], fields["pages"]) == ("31", "2", "1--12")
