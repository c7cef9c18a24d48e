"""Real-shaped paper lists move into scc as they are and come back out looking the same."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from conftest import FIXTURES, run
from speechcompress.importers.markdown import parse_markdown
from speechcompress.importers.mdline import read_line
from speechcompress.vocab import Vocabulary

LISTS = FIXTURES / "lists"
SHAPES = sorted(LISTS.glob("*.md"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def papers_of(path: Path) -> list[dict[str, object]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["papers"]


@pytest.mark.parametrize("source", SHAPES, ids=[p.stem for p in SHAPES])
def test_each_shape_meets_the_migration_targets(source: Path) -> None:
    from migrate_bench import scores

    (score,) = scores([source])
    assert score.missed() == [], score.report()
    assert score.measures["lines reported as problems (fewer is better)"][0] == 0


@pytest.mark.parametrize("source", SHAPES, ids=[p.stem for p in SHAPES])
def test_import_then_export_gives_the_list_back(source: Path, tmp_path: Path) -> None:
    new = tmp_path / "papers.toml"
    result = run("import", str(source), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    exported = run("export", "--db", str(new)).stdout.splitlines()
    wanted = [" ".join(line.split()) for line in source.read_text(encoding="utf-8").splitlines()]
    paper_lines = {int(row.split("\t")[0]) for row in _truth(source)}
    kept = sum(wanted[n - 1] in {" ".join(e.split()) for e in exported} for n in paper_lines)
    assert kept >= 0.9 * len(paper_lines)


def _truth(source: Path) -> list[str]:
    rows = source.with_suffix(".expected.tsv").read_text(encoding="utf-8").splitlines()
    return [r for r in rows if r and not r.startswith("#")]


LINE_SHAPES = [
    (
        "[[ICASSP](https://ieeexplore.ieee.org/document/1)] [[arXiv](https://arxiv.org/abs/2302.09437)]"
        " [[code](https://github.com/a/b)] RobustDistiller: Compressing Speech Models",
        (
            "RobustDistiller: Compressing Speech Models",
            "ICASSP",
            "2302.09437",
            "https://github.com/a/b",
        ),
    ),
    (
        "[72:fire:] [[NeurIPS](https://arxiv.org/pdf/2402.04291v2.pdf)] BiLLM: Pushing the Limit."
        " [__`bnn`__] [[code](https://github.com/x/BiLLM)] [[torch](https://github.com/x/t)]"
        " [387⭐]",
        ("BiLLM: Pushing the Limit", "NeurIPS", "2402.04291", "https://github.com/x/BiLLM"),
    ),
    (
        "🔥 DPHuBERT: [DPHuBERT: Joint Distillation and Pruning](https://arxiv.org/html/2305.17651v3)"
        " - *Yifan Peng, Shinji Watanabe*, `Interspeech 2023`",
        ("DPHuBERT: Joint Distillation and Pruning", "INTERSPEECH", "2305.17651", None),
    ),
    (
        "**Sparsely Shared LoRA on Whisper**, Wei Liu, Tan Lee, ICASSP 2024"
        " [[paper](https://arxiv.org/abs/2309.11756)] [[PyTorch(Wei Liu)](https://example.org/x)]",
        ("Sparsely Shared LoRA on Whisper", "ICASSP", "2309.11756", "https://example.org/x"),
    ),
    (
        "[Big-Little Net: Multi-Scale Features](https://openreview.net/forum?id=H)"
        " - *C. Chen et al.*, (ICLR 2019) <!-- checked --> ![badge](https://img.shields.io/x)",
        ("Big-Little Net: Multi-Scale Features", "ICLR", None, None),
    ),
]


LINE_SHAPES += [
    (
        "**CodeTalker: Speech-Driven Facial Animation**, ***CVPR 2023***."
        " [[Paper]](https://arxiv.org/abs/2301.02379) [[Project Page]](https://x.github.io/p/)"
        " [[Code]](https://gitee.com/a/b)",
        (
            "CodeTalker: Speech-Driven Facial Animation",
            "CVPR",
            "2301.02379",
            "https://gitee.com/a/b",
        ),
    ),
    (
        "[A Title With Words](https://openreview.net/forum?id=x)"
        " [[pdf]](https://openreview.net/pdf?id=x) - *A. Author, B. Author*, _Interspeech 2022_",
        ("A Title With Words", "INTERSPEECH", None, None),
    ),
]


@pytest.mark.parametrize(("line", "want"), LINE_SHAPES)
def test_line_shapes(line: str, want: tuple[str, str, str | None, str | None]) -> None:
    data = read_line(line, Vocabulary()).data
    assert (data["title"], data["venue"], data.get("arxiv"), data.get("code")) == want


def test_topic_sections_give_section_and_the_line_gives_the_year() -> None:
    parsed = parse_markdown(
        "# L\n\n## Pruning\n\n"
        "- [PARP: Prune, Adjust and Re-Prune](https://arxiv.org/abs/2106.05933) - `NeurIPS 2021`\n"
        "- [A Paper Without a Year](https://example.org/p) - *A. Author*\n"
        "\n**2020**\n\n- [[ICASSP](https://x.org/p)] An Older Paper\n"
    )
    assert [(d["title"], d["year"], d.get("section")) for _, d in parsed.papers] == [
        ("PARP: Prune, Adjust and Re-Prune", 2021, "Pruning"),
        ("An Older Paper", 2020, "Pruning"),
    ]
    assert [(p.line, p.message.split(":")[0]) for p in parsed.problems] == [(6, "no year")]


def test_prose_contents_badges_and_tools_are_passed_over_and_counted(tmp_path: Path) -> None:
    source = LISTS / "quantization-years.md"
    result = run("import", str(source), "--db", str(tmp_path / "q.toml"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "passed over 10 lines that are not papers" in result.stderr
    assert "would keep the list's format in" in result.stderr
    assert not (tmp_path / "q.toml").exists() and not (tmp_path / "q.list.md").exists()


def test_journals_in_a_list_are_declared_as_journals(tmp_path: Path) -> None:
    new = tmp_path / "q.toml"
    assert run("import", str(LISTS / "quantization-years.md"), "--db", str(new)).exit_code == 0
    venues = tomllib.loads(new.read_text(encoding="utf-8"))["catalog"]["venues"]
    assert venues["TPAMI"]["kind"] == venues["IJCV"]["kind"] == venues["TNNLS"]["kind"] == "journal"
    assert venues["ICCV"]["kind"] == "conference"
    bib = run("export", "--db", str(new), "--format", "bibtex").stdout
    assert "@article{" in bib and "journal       = {IEEE Transactions on Pattern Analysis" in bib
    tagged = {p["title"]: p.get("tags") for p in papers_of(new)}
    assert tagged["QLoRA: Efficient Finetuning of Quantized LLMs"] == ["qnn", "llm"]


def test_a_new_paper_in_a_migrated_list_takes_the_lists_format(tmp_path: Path) -> None:
    new = tmp_path / "q.toml"
    assert run("import", str(LISTS / "bold-titles.md"), "--db", str(new)).exit_code == 0
    from speechcompress.render.markdown import read_style, render_styled
    from speechcompress.source import load_catalog

    catalog = load_catalog(new, use_cache=False)
    style = read_style((tmp_path / "q.list.md").read_text(encoding="utf-8"))
    import dataclasses

    extra = dataclasses.replace(
        catalog.papers[0], id="x", title="A Brand New Paper", list_line=None, year=2024
    )
    out = render_styled([*catalog.papers, extra], style)
    assert "A Brand New Paper" in out
    assert out.index("**2024**") < out.index("A Brand New Paper") < out.index("**2023**")


@pytest.mark.parametrize("name", ["tables.md", "bold-titles.md"])
def test_a_migrated_readme_passes_export_check_in_a_fresh_repository(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "README.md").write_text((LISTS / name).read_text(encoding="utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    # data/ does not exist yet: the import creates it.
    assert run("import", "README.md", "--db", "data/papers.toml").exit_code == 0
    assert (tmp_path / "data" / "papers.list.md").exists()
    result = run("export", "--check", "README.md")
    assert result.exit_code == 0, result.stdout


def test_a_topic_list_keeps_its_order_though_the_catalog_is_by_year(tmp_path: Path) -> None:
    new = tmp_path / "t.toml"
    assert run("import", str(LISTS / "speech-topics.md"), "--db", str(new)).exit_code == 0
    out = run("export", "--db", str(new)).stdout
    first, second = "DistilHuBERT: [DistilHuBERT", "DPHuBERT: [DPHuBERT"
    assert out.index(first) < out.index(second)  # 2022 before 2023, as the list has them
    assert out.index("## Knowledge Distillation") < out.index(first) < out.index("## Pruning")


def test_links_within_the_document_are_not_papers_and_year_headings_may_count() -> None:
    parsed = parse_markdown(
        "# L\n\n## Overview\n\n- [Benchmark of Binarization (BiBench)](#BiBench)\n"
        "- [Related Survey on Pruning](docs/survey.md)\n\n### 2022 (45 papers)\n\n"
        "- [[ICASSP](https://x.org/a)] Paper A Title Here\n"
    )
    assert [(d["year"], d["title"]) for _, d in parsed.papers] == [(2022, "Paper A Title Here")]
    assert (parsed.problems, parsed.skipped) == ([], 2)


def test_a_paper_listed_under_two_topics_is_one_paper_shown_in_both(tmp_path: Path) -> None:
    line = "- [PARP: Prune, Adjust and Re-Prune](https://arxiv.org/abs/2106.05933) - `NeurIPS 2021`"
    source = tmp_path / "two.md"
    source.write_text(f"# L\n\n## Pruning\n\n{line}\n\n## Speech\n\n{line}\n", encoding="utf-8")
    new = tmp_path / "two.toml"
    result = run("import", str(source), "--db", str(new))
    assert result.exit_code == 0, result.stderr
    assert len(papers_of(new)) == 1
    assert run("export", "--db", str(new)).stdout == source.read_text(encoding="utf-8")
