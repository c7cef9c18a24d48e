"""Measure how well real-shaped lists and bibliographies move into scc, without hand edits.

Run from the repository root::

    PYTHONPATH=src python bench/migrate_bench.py [FILE ...]

Default files: ``tests/fixtures/lists/*.md`` and ``*.bib``. For a Markdown list, a
``NAME.expected.tsv`` beside it (line, year, title; written and checked by hand) is the
truth the list is measured against; without one, only the measures that need no truth
are printed. Targets (the issue's): Markdown - at least 97% of paper lines become
papers with the right year, no title carries markup, at least 95% of arXiv and code links
kept, ``scc export`` reproduces at least 90% of paper lines exactly (whitespace aside);
BibTeX - at least 97% of entries in, every imported key kept, fields read back equal
by bibtexparser. Exits 1 when a target is missed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "tests" / "fixtures" / "lists"

#: What may not appear in an imported title: link or emphasis syntax, HTML, badges, emoji.
MARKUP = re.compile(
    r"\]\(|\[\[|</?[a-z]|<!--|\*\*|__|`|:[a-z_]+:|[\u2600-\u27bf\U0001f300-\U0001faff\u2b50]"
)
ARXIV_LINK = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.IGNORECASE
)
CODE_LINK = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^\s)\]]+", re.IGNORECASE)
#: BibTeX fields compared after a round trip (text compared without braces, case, spaces).
BIB_FIELDS = (
    "title",
    "year",
    "volume",
    "number",
    "pages",
    "month",
    "publisher",
    "journal",
    "booktitle",
    "doi",
    "editor",
    "address",
    "isbn",
    "note",
    "school",
    "institution",
    "series",
    "edition",
)


@dataclass
class Score:
    name: str
    measures: dict[str, tuple[int, int]] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    def add(self, measure: str, good: int, total: int, target: float | None = None) -> None:
        self.measures[measure] = (good, total)
        if target is not None:
            self.targets[measure] = target

    def missed(self) -> list[str]:
        return [
            m
            for m, target in self.targets.items()
            if self.measures[m][1] and self.measures[m][0] / self.measures[m][1] < target
        ]

    def report(self) -> str:
        lines = [self.name]
        for measure, (good, total) in self.measures.items():
            share = f"{100 * good / total:5.1f}%" if total else "   -  "
            target = self.targets.get(measure)
            goal = f"  (target {100 * target:.0f}%)" if target is not None else ""
            lines.append(f"  {measure:<44} {good:>4} / {total:<4} {share}{goal}")
        return "\n".join(lines + [f"    {d}" for d in self.details[:10]])


def _flat(text: str) -> str:
    return " ".join(text.split())


def measure_markdown(path: Path) -> Score:
    """Import ``path`` into a fresh in-memory catalog, export it, compare."""
    from speechcompress.importers.markdown import parse_markdown
    from speechcompress.importing import plan_import
    from speechcompress.paper import Catalog
    from speechcompress.render.markdown import render_markdown

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    parsed = parse_markdown(text)
    plan = plan_import(parsed, None)
    score = Score(path.name)
    by_line = {line: data for line, data in parsed.papers}
    added_lines = {p.line for p in plan.added} | {
        line for line, _ in parsed.papers if line not in {p.line for p in plan.added}
    }
    expected = _expected(path)
    if expected is not None:
        right = 0
        for line, (year, title) in expected.items():
            data = by_line.get(line)
            if data and data.get("year") == year and _flat(data["title"]) == _flat(title):
                right += 1
            else:
                got = (data.get("year"), data.get("title")) if data else None
                score.details.append(f"line {line}: want ({year}, {title!r}), got {got}")
        score.add("paper lines -> papers, right year and title", right, len(expected), 0.97)
        extra = [n for n in by_line if n not in expected]
        score.add("non-paper lines taken as papers (fewer is better)", len(extra), len(lines))
        score.details += [f"line {n}: not a paper, read as {by_line[n]['title']!r}" for n in extra]
        paper_lines = sorted(expected)
    else:
        paper_lines = sorted(by_line)
    marked = [d["title"] for _, d in parsed.papers if MARKUP.search(d["title"])]
    score.add("titles without markup", len(parsed.papers) - len(marked), len(parsed.papers), 1.0)
    score.details += [f"markup in title: {t!r}" for t in marked]
    arxiv_total = arxiv_kept = code_total = code_kept = 0
    for n in paper_lines:
        source = lines[n - 1]
        data = by_line.get(n, {})
        ids = {m.group(1) for m in ARXIV_LINK.finditer(source)}
        if ids:
            arxiv_total += 1
            arxiv_kept += data.get("arxiv") in {re.sub(r"v\d+$", "", i) for i in ids}
        codes = CODE_LINK.findall(source)
        if codes:
            code_total += 1
            code_kept += bool(data.get("code"))
    score.add("arXiv links kept", arxiv_kept, arxiv_total, 0.95)
    score.add("code links kept", code_kept, code_total, 0.95)
    problems = [p for p in plan.problems]
    score.add("lines reported as problems (fewer is better)", len(problems), len(paper_lines))
    score.details += [f"line {p.line}: {p.message}" for p in problems]
    catalog = Catalog(
        title=parsed.title or "Paper list",
        description=parsed.description,
        footer=parsed.footer,
        venues=tuple(plan.new_venues),
        papers=tuple(plan.added),
    )
    exported = {_flat(line) for line in render_markdown(catalog, style=plan.style).splitlines()}
    same = sum(_flat(lines[n - 1]) in exported for n in paper_lines)
    score.add("paper lines exported exactly", same, len(paper_lines), 0.90)
    score.add("other lines skipped, counted", parsed.skipped, len(lines))
    del added_lines
    return score


def _expected(path: Path) -> dict[int, tuple[int, str]] | None:
    truth = path.with_suffix(".expected.tsv")
    if not truth.exists():
        return None
    out: dict[int, tuple[int, str]] = {}
    for row in truth.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            line, year, title = row.split("\t", 2)
            out[int(line)] = (int(year), title)
    return out


def _norm_field(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    # BibTeX's -- is an en dash: either spelling reads the same.
    text = LatexNodes2Text().latex_to_text(value).replace("\u2013", "-").replace("--", "-")
    return " ".join(text.replace("{", "").replace("}", "").split()).casefold()


def measure_bibtex(path: Path) -> Score:
    """Import ``path`` into a new catalog, export BibTeX, read both with bibtexparser."""
    import bibtexparser

    from speechcompress.importers.bibtex import parse_bibtex
    from speechcompress.importing import plan_import
    from speechcompress.render.bibtex import render_bibtex
    from speechcompress.vocab import Vocabulary

    text = path.read_text(encoding="utf-8")
    source = bibtexparser.parse_string(text)
    parsed = parse_bibtex(text, Vocabulary())
    plan = plan_import(parsed, None)
    vocab = Vocabulary.with_extra_venues(plan.new_venues)
    exported = bibtexparser.parse_string(render_bibtex(plan.added, vocab))
    score = Score(path.name)
    merged = sum("merged with" in n.message for n in plan.notices)
    total = len(source.entries)
    score.add("entries in (merged versions count)", len(plan.added) + merged, total, 0.97)
    score.details += [f"line {p.line}: {p.message}" for p in plan.problems]
    back = {e.key: e for e in exported.entries}
    kept = [e for e in source.entries if e.key in back]
    imported_keys = {p.key for p in plan.added}
    score.add("imported entries keeping their key", len(kept), len(imported_keys), 1.0)
    same_type = sum(e.entry_type.lower() == back[e.key].entry_type.lower() for e in kept)
    score.add("entry types kept", same_type, len(kept), 0.95)
    good = checked = 0
    for entry in kept:
        other = {f.key.lower(): str(f.value) for f in back[entry.key].fields}
        for f in entry.fields:
            name = f.key.lower()
            if name not in BIB_FIELDS:
                continue
            checked += 1
            if name in other and _norm_field(str(f.value)) == _norm_field(other[name]):
                good += 1
            else:
                score.details.append(f"{entry.key}.{name}: {f.value!r} -> {other.get(name)!r}")
    score.add("fields read back equal", good, checked, 0.97)
    return score


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    files = [Path(a) for a in args if a != "-v"] or sorted(
        p for p in LISTS.iterdir() if p.suffix in (".md", ".bib")
    )
    missed: list[str] = []
    for file in files:
        score = measure_bibtex(file) if file.suffix == ".bib" else measure_markdown(file)
        if not verbose:
            score.details = []
        print(score.report())
        missed += [f"{file.name}: {m}" for m in score.missed()]
    if missed:
        print("missed: " + "; ".join(missed))
        return 1
    print("every target met")
    return 0


def scores(files: Sequence[Path]) -> list[Any]:
    """The scores of ``files`` (for the tests)."""
    return [measure_bibtex(f) if f.suffix == ".bib" else measure_markdown(f) for f in files]


if __name__ == "__main__":
    sys.exit(main())
