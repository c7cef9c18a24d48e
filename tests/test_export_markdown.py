"""``scc export`` as Markdown: the seed list's format, its options, and keeping a file in sync."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import run
from speechcompress import load_catalog
from speechcompress.importers.markdown import parse_markdown
from speechcompress.importing import plan_import
from speechcompress.paper import Catalog, Paper
from speechcompress.render.markdown import (
    END_MARKER,
    START_MARKER,
    ExportOptions,
    normal_form,
    paper_line,
    render_markdown,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"
SEED = SEED / "speech-model-compression-papers.md"


def paper(title: str = "A Paper", **fields: object) -> Paper:
    data: dict[str, object] = {"id": "p", "year": 2023, "venue": "ICASSP", **fields}
    return Paper(title=title, **data)  # type: ignore[arg-type]


def write_catalog(path: Path, papers_toml: str, header: str = "") -> Path:
    path.write_text(f'[catalog]\ntitle = "T"\n{header}\n{papers_toml}', encoding="utf-8")
    return path


# --- one line a paper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {
                "venue_url": "https://v.org/p",
                "arxiv": "2305.17651",
                "code": "https://github.com/a/b",
            },
            "- [[ICASSP](https://v.org/p)] [[arXiv](https://arxiv.org/abs/2305.17651)] "
            "[[code](https://github.com/a/b)] A Paper",
        ),
        (
            {"arxiv": "2305.17651"},
            "- [[ICASSP]()] [[arXiv](https://arxiv.org/abs/2305.17651)] A Paper",
        ),
        ({"venue_url": "https://v.org/p"}, "- [[ICASSP](https://v.org/p)] A Paper"),
        (
            {"code": "https://github.com/a/b"},
            "- [[ICASSP]()] [[code](https://github.com/a/b)] A Paper",
        ),
        ({}, "- [[ICASSP]()] A Paper"),
        (
            {"venue": "arXiv", "arxiv": "2305.17651"},
            "- [[arXiv](https://arxiv.org/abs/2305.17651)] A Paper",
        ),
        ({"venue": "arXiv"}, "- [[arXiv]()] A Paper"),
        (
            {"venue": "arXiv", "venue_url": "https://v.org/p", "arxiv": "cs/0112017"},
            "- [[arXiv](https://v.org/p)] [[arXiv](https://arxiv.org/abs/cs/0112017)] A Paper",
        ),
    ],
)
def test_a_paper_line_has_the_seed_format_and_leaves_out_missing_links(
    fields: dict[str, object],
    line: str,
) -> None:
    assert paper_line(paper(**fields)) == line


def test_the_document_is_title_description_then_years_newest_first_in_catalog_order(
    tmp_path: Path,
) -> None:
    catalog = write_catalog(
        tmp_path / "c.toml",
        """
[[papers]]
id = "a"
title = "Old One"
year = 2021
venue = "ICASSP"

[[papers]]
id = "b"
title = "New First"
year = 2024
venue = "SLT"

[[papers]]
id = "c"
title = "Middle"
year = 2022
venue = "ASRU"

[[papers]]
id = "d"
title = "New Second"
year = 2024
venue = "ICASSP"
""",
        header='description = "Intro text."\nfooter = "## License\\n\\nCC0"',
    )
    result = run("export", "--db", str(catalog))
    assert result.exit_code == 0
    assert result.stdout == (
        "# T\n\nIntro text.\n\n"
        "## 2024\n\n- [[SLT]()] New First\n- [[ICASSP]()] New Second\n\n"
        "## 2022\n\n- [[ASRU]()] Middle\n\n"
        "## 2021\n\n- [[ICASSP]()] Old One\n\n"
        "## License\n\nCC0\n"
    )


def test_mini_catalog_export_matches_the_golden_file(mini: Path) -> None:
    result = run("export", "--db", str(mini))
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "mini.md").read_text(encoding="utf-8")


def test_group_by_method_with_contents_counts_and_chart_matches_the_golden_file(mini: Path) -> None:
    result = run(
        "export", "--db", str(mini), "--group-by", "method", "--toc", "--counts", "--chart"
    )
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "mini-by-method.md").read_text(encoding="utf-8")


def test_group_by_venue_sorts_venues_and_keeps_years_newest_first(mini: Path) -> None:
    out = run("export", "--db", str(mini), "--group-by", "venue").stdout
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## arXiv", "## ICASSP", "## INTERSPEECH", "## SustaiNLP"]
    interspeech = out.split("## INTERSPEECH\n\n")[1].split("\n\n")[0].splitlines()
    assert [line.rsplit("] ", 1)[1] for line in interspeech] == [
        "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models",
        "LightHuBERT: Lightweight and Configurable Speech Representation Learning with "
        "Once-for-All Hidden-Unit BERT",
    ]


def test_the_chart_counts_papers_per_year(mini: Path) -> None:
    out = run("export", "--db", str(mini), "--chart").stdout
    chart = out.split("```mermaid\n")[1].split("```")[0]
    assert "xychart-beta" in chart
    assert "x-axis [2021, 2022, 2023]" in chart
    assert "bar [1, 2, 2]" in chart
    assert out.index("```mermaid") < out.index("## 2023")


def test_contents_links_to_each_heading_anchor(mini: Path) -> None:
    out = run("export", "--db", str(mini), "--toc", "--counts").stdout
    assert (
        "## Contents\n\n- [2023 (2)](#2023-2)\n- [2022 (2)](#2022-2)\n- [2021 (1)](#2021-1)\n"
    ) in out
    assert "\n## 2023 (2)\n" in out


def test_an_unknown_grouping_is_a_usage_error(mini: Path) -> None:
    result = run("export", "--db", str(mini), "--group-by", "colour")
    assert result.exit_code == 2
    assert "unknown grouping 'colour'" in result.stderr
    assert result.stdout == ""


# --- filters ------------------------------------------------------------------------------------


def test_method_filter_gives_a_pruning_only_list(mini: Path) -> None:
    out = run("export", "--db", str(mini), "--method", "pruning").stdout
    items = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(items) == 2
    assert all("HuBERT" in line for line in items)
    assert out.startswith("# Mini Catalog\n\nPapers for tests.\n\n## 2023\n")


@pytest.mark.parametrize(
    ("args", "count"),
    [
        (["--year", "2022"], 2),
        (["--venue", "INTERSPEECH"], 2),
        (["--has-code"], 3),
        (["--author", "Peng"], 2),
        (["--model", "WavLM"], 2),
        (["--year", "2021", "--method", "quantization"], 1),
    ],
)
def test_every_list_filter_works_for_export(mini: Path, args: list[str], count: int) -> None:
    out = run("export", "--db", str(mini), *args).stdout
    assert sum(line.startswith("- [[") for line in out.splitlines()) == count


# --- the normal form and the seed round trip ----------------------------------------------------


def test_normal_form_trims_trailing_space_and_makes_blank_runs_single() -> None:
    messy = "# T  \r\n\r\n\r\ntext\t\n\n\n\n## 2023 \n- item   \n\n\n"
    assert normal_form(messy) == "# T\n\ntext\n\n## 2023\n- item\n"
    assert normal_form(normal_form(messy)) == normal_form(messy)
    assert normal_form("\n\n# T") == "# T\n"


def import_markdown(text: str) -> tuple[Catalog, int]:
    """The catalog a Markdown list imports into, and how many problems the import saw."""
    parsed = parse_markdown(text)
    plan = plan_import(parsed, None)
    catalog = Catalog(
        parsed.title, parsed.description, parsed.footer, tuple(plan.new_venues), tuple(plan.added)
    )
    return catalog, len(plan.problems) + len(plan.skipped)


def test_the_seedlike_fixture_round_trips_through_a_new_catalog_file(tmp_path: Path) -> None:
    fixture = FIXTURES / "seedlike.md"
    golden = (GOLDEN / "seedlike.md").read_text(encoding="utf-8")
    new = tmp_path / "new.toml"
    imported = run("import", str(fixture), "--db", str(new))
    assert imported.exit_code == 0, imported.stderr
    exported = run("export", "--db", str(new))
    assert exported.exit_code == 0
    # Byte for byte, except trailing spaces and runs of blank lines (the normal form).
    assert exported.stdout == golden
    assert normal_form(fixture.read_text(encoding="utf-8")) == golden
    assert fixture.read_bytes() != golden.encode()  # the fixture really is messy


@pytest.mark.skipif(not SEED.is_file(), reason=f"the seed list is not here ({SEED})")
def test_the_real_seed_list_round_trips_byte_for_byte_in_normal_form() -> None:
    text = SEED.read_text(encoding="utf-8")
    catalog, problems = import_markdown(text)
    assert problems == 0
    assert len(catalog.papers) == sum(line.startswith("- [[") for line in text.splitlines())
    assert render_markdown(catalog) == normal_form(text)


# --- escaping -----------------------------------------------------------------------------------


HOSTILE_TITLES = [
    "Brackets ] and [ in a title",
    "A [[fake](https://evil.example)] group",
    "Parens (and) ) in a title",
    "Pipes | in | a table",
    "Back`ticks` and ```fences```",
    "<script>alert(1)</script> Injection",
    "Emphasis *stars* and _under_ and back\\slash\\",
    "Ends with a backslash \\",
    "![image](x) and <!-- comment -->",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_keep_the_link_syntax_and_inject_no_html(title: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    links = {
        "venue_url": "https://v.org/a_(b)",
        "arxiv": "2305.17651",
        "code": "https://github.com/x/y?q=[1]|2",
    }
    line = paper_line(paper(title, **links))
    tokens = markdown_it.MarkdownIt("commonmark").parseInline(line)[0].children
    assert not [t for t in tokens if t.type.startswith("html")]
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert hrefs == [
        "https://v.org/a_(b)",
        "https://arxiv.org/abs/2305.17651",
        "https://github.com/x/y?q=%5B1%5D%7C2",
    ]
    last_link = max(i for i, t in enumerate(tokens) if t.type == "link_close")
    assert "".join(t.content for t in tokens[last_link + 1 :]) == "] " + title
    # The importer reads exactly the title back.
    parsed = parse_markdown(f"# T\n\n## 2023\n\n{line}\n")
    assert parsed.problems == []
    assert [
        (p["title"], p.get("venue_url"), p.get("arxiv"), p.get("code")) for _, p in parsed.papers
    ] == [(title, *links.values())]


def test_a_hostile_venue_name_and_url_stay_inside_their_group(tmp_path: Path) -> None:
    catalog = write_catalog(
        tmp_path / "c.toml",
        """
[[papers]]
id = "a"
title = "T"
year = 2023
venue = "W]] [x](y"
venue_url = "https://v.org/a)b]c"
""",
        header='[catalog.venues]\n"W]] [x](y" = { kind = "workshop" }\n',
    )
    line = run("export", "--db", str(catalog)).stdout.splitlines()[-1]
    assert line == r"- [[W\]\] \[x\](y](https://v.org/a\)b]c)] T"
    parsed = parse_markdown(f"## 2023\n{line}\n")
    assert [p for _, p in parsed.papers] == [
        {"title": "T", "year": 2023, "venue": "W]] [x](y", "venue_url": "https://v.org/a)b]c"}
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('code = "javascript:alert(1)"', "code: must be an http:// or https:// URL"),
        ('venue_url = "ftp://a.org/x"', "venue_url: must be an http:// or https:// URL"),
        ('venue_url = "https://a.org/x y"', "venue_url: must be an http:// or https:// URL"),
        ("code = 'https://a.org/\"><script>'", "code: must be an http:// or https:// URL"),
        ('summary = "Two\\nlines"', "summary: must be a single line"),
    ],
)
def test_what_cannot_be_escaped_is_rejected_at_validation(
    tmp_path: Path,
    line: str,
    message: str,
) -> None:
    catalog = write_catalog(
        tmp_path / "c.toml",
        f"""
[[papers]]
id = "a"
title = "T"
year = 2023
venue = "ICASSP"
{line}
""",
    )
    result = run("export", "--db", str(catalog))
    assert result.exit_code == 3
    assert message in result.stderr
    assert result.stdout == ""


def test_a_title_with_a_newline_is_rejected(tmp_path: Path) -> None:
    catalog = write_catalog(
        tmp_path / "c.toml",
        """
[[papers]]
id = "a"
title = "Two\\nlines"
year = 2023
venue = "ICASSP"
""",
    )
    result = run("export", "--db", str(catalog))
    assert result.exit_code == 3
    assert "title: must be a single line" in result.stderr


# --- --output, --update, --check ----------------------------------------------------------------


def test_output_writes_the_file_atomically_and_keeps_its_mode(mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    result = run("export", "--db", str(mini), "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == (GOLDEN / "mini.md").read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "mini.toml"]


def test_output_leaves_the_old_file_when_the_write_fails(
    mini: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\r\ncontent  \n")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = run("export", "--db", str(mini), "-o", str(target))
    assert result.exit_code == 4
    assert "No space left on device" in result.stderr
    assert target.read_bytes() == b"old\r\ncontent  \n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "mini.toml"]


README = f"""# My project

Some words about it.

{START_MARKER}
stale list
{END_MARKER}

## License

MIT
"""


def test_update_replaces_only_the_text_between_the_markers(mini: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    result = run("export", "--db", str(mini), "--update", str(readme))
    assert result.exit_code == 0
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START_MARKER)
    body, tail = rest.split(END_MARKER)
    assert head == "# My project\n\nSome words about it.\n\n"
    assert tail == "\n\n## License\n\nMIT\n"
    golden = (GOLDEN / "mini.md").read_text(encoding="utf-8")
    assert body == "\n\n" + golden.split("Papers for tests.\n\n", 1)[1] + "\n"
    # Running it again changes nothing, and --check agrees.
    assert run("export", "--db", str(mini), "--update", str(readme)).exit_code == 0
    assert readme.read_text(encoding="utf-8") == text
    assert run("export", "--db", str(mini), "--check", str(readme)).exit_code == 0


def test_update_keeps_a_crlf_readme_crlf(mini: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.replace("\n", "\r\n").encode())
    assert run("export", "--db", str(mini), "--update", str(readme)).exit_code == 0
    data = readme.read_bytes()
    assert b"stale list" not in data
    assert data.count(b"\n") == data.count(b"\r\n")  # every line still ends in CRLF
    assert data.startswith(b"# My project\r\n\r\n") and data.endswith(b"MIT\r\n")
    # The same list in CRLF is up to date, and a second update changes nothing.
    assert run("export", "--db", str(mini), "--check", str(readme)).exit_code == 0
    assert run("export", "--db", str(mini), "--update", str(readme)).exit_code == 0
    assert readme.read_bytes() == data


def test_update_changes_only_the_list_of_a_file_with_mixed_line_ends(
    mini: Path, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    head, tail = README.split(START_MARKER)
    readme.write_bytes((head.replace("\n", "\r\n") + START_MARKER + tail).encode())
    assert run("export", "--db", str(mini), "--update", str(readme)).exit_code == 0
    data = readme.read_bytes().decode()
    assert data.startswith(head.replace("\n", "\r\n") + START_MARKER)  # kept as it was
    assert data.endswith(END_MARKER + "\n\n## License\n\nMIT\n")  # LF, as it was


def test_update_without_markers_refuses_and_leaves_the_file(mini: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Nothing to replace\n", encoding="utf-8")
    result = run("export", "--db", str(mini), "--update", str(readme))
    assert result.exit_code == 2
    assert "markers" in result.stderr
    assert readme.read_text(encoding="utf-8") == "# Nothing to replace\n"


def test_check_prints_a_unified_diff_and_exits_1_when_out_of_date(
    mini: Path,
    tmp_path: Path,
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    result = run("export", "--db", str(mini), "--check", str(readme))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {readme} (current)\n+++ {readme} (scc export)\n@@ ")
    assert "-stale list\n" in result.stdout
    assert "+## 2023\n" in result.stdout
    assert "out of date" in result.stderr
    assert readme.read_text(encoding="utf-8") == README


def test_check_of_a_whole_file_without_markers(mini: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text((GOLDEN / "mini.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("export", "--db", str(mini), "--check", str(readme)).exit_code == 0
    # A filtered export is a different document.
    result = run("export", "--db", str(mini), "--method", "pruning", "--check", str(readme))
    assert result.exit_code == 1
    assert "-- [[SustaiNLP]" in result.stdout
    # A trailing space is enough to be out of date: the file must be in normal form.
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("tests.", "tests. "), encoding="utf-8"
    )
    assert run("export", "--db", str(mini), "--check", str(readme)).exit_code == 1


def test_check_of_a_missing_file_fails(mini: Path, tmp_path: Path) -> None:
    result = run("export", "--db", str(mini), "--check", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_only_one_of_output_update_and_check(mini: Path, tmp_path: Path) -> None:
    result = run(
        "export", "--db", str(mini), "-o", str(tmp_path / "a"), "--check", str(tmp_path / "b")
    )
    assert result.exit_code == 2
    assert not (tmp_path / "a").exists()


def test_the_catalog_table_gives_header_and_footer(tmp_path: Path) -> None:
    catalog = write_catalog(
        tmp_path / "c.toml",
        """
[[papers]]
id = "a"
title = "T"
year = 2023
venue = "ICASSP"
""",
        header='description = """\nFirst paragraph.  \n\n\n\nSecond one.\n"""\n'
        'footer = "Contributions welcome: open a pull request."',
    )
    loaded = load_catalog(catalog)
    text = render_markdown(loaded, options=ExportOptions())
    assert text == (
        "# T\n\nFirst paragraph.\n\nSecond one.\n\n## 2023\n\n- [[ICASSP]()] T\n\n"
        "Contributions welcome: open a pull request.\n"
    )


# --- filters that match nothing, files that cannot be read ---------------------------------------


def test_filters_matching_nothing_warn_on_stderr_like_list(mini: Path) -> None:
    result = run("export", "--db", str(mini), "--year", "1990")
    assert result.exit_code == 0
    assert result.stderr == "no papers match these filters\n"
    assert result.stdout.startswith("# ") and "- [[" not in result.stdout
    assert run("export", "--db", str(mini), "--year", "2023").stderr == ""
    # Data formats too; the data on stdout is still the (empty) document.
    result = run("export", "--db", str(mini), "--year", "1990", "-f", "json")
    assert (result.stdout.strip(), result.stderr) == ("[]", "no papers match these filters\n")


@pytest.mark.parametrize("flag", ["--check", "--update"])
def test_a_folder_given_to_check_or_update_is_a_file_problem(
    mini: Path, tmp_path: Path, flag: str
) -> None:
    result = run("export", "--db", str(mini), flag, str(tmp_path))
    assert result.exit_code == 4
    assert result.stderr == f"error: cannot read {tmp_path}: it is a folder, not a file\n"


@pytest.mark.parametrize("flag", ["--check", "--update"])
def test_a_file_that_is_not_utf8_is_a_file_problem_and_is_left_alone(
    mini: Path, tmp_path: Path, flag: str
) -> None:
    readme = tmp_path / "bad.md"
    readme.write_bytes(b"# List\n\n<!-- scc:start -->\n\xff\n<!-- scc:end -->\n")
    before = readme.read_bytes()
    result = run("export", "--db", str(mini), flag, str(readme))
    assert result.exit_code == 4
    first, hint = result.stderr.splitlines()
    assert first == f"error: {readme}:4: not UTF-8 text (byte 0xff: invalid start byte)"
    assert hint.startswith("hint: ")
    assert readme.read_bytes() == before


# --- never onto the catalog; one marker pair -------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "json", "bibtex", "csv"])
def test_output_onto_the_catalog_is_refused_and_the_catalog_kept(
    mini: Path, tmp_path: Path, fmt: str
) -> None:
    before = mini.read_bytes()
    link = tmp_path / "link.toml"
    link.symlink_to(mini)
    hard = tmp_path / "hard.toml"
    os.link(mini, hard)
    spellings = [str(mini), str(link), str(hard), os.path.relpath(mini)]
    for target in spellings:
        result = run("export", "--db", str(mini), "-f", fmt, "-o", target)
        assert result.exit_code == 2, (target, result.stderr)
        assert result.stderr.startswith("error: --output ")
        assert "is the catalog itself" in result.stderr
        assert mini.read_bytes() == before


def test_update_of_the_catalog_is_refused(mini: Path) -> None:
    before = mini.read_bytes()
    result = run("export", "--db", str(mini), "--update", str(mini))
    assert result.exit_code == 2
    assert "is the catalog itself" in result.stderr
    assert mini.read_bytes() == before


def test_output_beside_the_catalog_still_works(mini: Path, tmp_path: Path) -> None:
    result = run("export", "--db", str(mini), "-o", str(tmp_path / "new.md"))
    assert result.exit_code == 0
    assert (tmp_path / "new.md").read_text(encoding="utf-8").startswith("# ")


def test_a_file_with_two_marker_pairs_is_refused_naming_the_second(
    mini: Path, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    text = (
        "# Mine\n\n<!-- scc:start -->\nold\n<!-- scc:end -->\n\n"
        "## Again\n\n<!-- scc:start -->\nstale\n<!-- scc:end -->\n"
    )
    readme.write_text(text, encoding="utf-8")
    for flag, code in (("--update", 2), ("--check", 2)):
        result = run("export", "--db", str(mini), flag, str(readme))
        assert result.exit_code == code, result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"error: {readme}:9: a second scc marker"), first
    assert readme.read_text(encoding="utf-8") == text


def test_method_headings_use_the_vocabularys_display_names(mini: Path) -> None:
    from speechcompress.vocab import METHOD_NAMES, METHODS

    assert set(METHOD_NAMES) == set(METHODS)
    out = run("export", "--db", str(mini), "--group-by", "method").stdout
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## Pruning", "## Knowledge distillation", "## Quantization"]
    # The seed's own export (grouped by year) is unchanged, byte for byte.
    assert run("export", "--db", str(mini)).stdout == (GOLDEN / "mini.md").read_text(
        encoding="utf-8"
    )


def test_a_hand_edited_list_line_that_is_no_template_falls_back_to_the_seed_line() -> None:
    from speechcompress.render.markdown import fill_line, render_styled

    p = Paper(id="a", title="A Title", year=2020, venue="ICASSP")
    assert fill_line("- **{title}** ({venue})", p) == "- **A Title** (ICASSP)"
    for broken in ("- {title", "- {title!r}", "- {abstract}", "- {title:>20}", "- [x]({code})"):
        assert fill_line(broken, p) is None
    style = {"document": '# L\n\n<!-- scc:papers {"year": 2020} -->\n', "line": "- {title"}
    assert render_styled([p], style) == "# L\n\n- [[ICASSP]()] A Title\n"
