"""Every number in data/results.toml is one the research notes print, and vice versa.

The notes (``../shared/research/results-facts.md``, beside the clone in CI) are parsed
here independently of tools/results_from_facts.py, so a slip in the converter or a
hand edit of results.toml shows up as a mismatch against the source notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from speechcompress import load_catalog
from speechcompress.results.load import load_results

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT.parent / "shared" / "research" / "results-facts.md"
DASH = "—"
_PLAIN = re.compile(
    r"^(?:(over|more than|up to|less than) )?(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(%|x|G|KB)?$"
)


def facts() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    paper = url = ""
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            paper = line[3:].split(" ", 1)[0]
        elif line.startswith("source: "):
            url = line.split()[1]
        elif line.startswith("| ") and not line.startswith("| model |"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            keys = "model teacher params bench task metric value lower".split()
            rows.append({"paper": paper, "url": url, **dict(zip(keys, cells, strict=True))})
    return rows


def params_of(text: str) -> str | None:
    if text == DASH or text.startswith("remaining"):
        return None
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    return numbers[0] if "(" in text else "+".join(numbers)


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    catalog = load_catalog(ROOT / "data" / "papers.toml", use_cache=False)
    return load_results(ROOT / "data" / "results.toml", {p.id for p in catalog.papers}).results


def test_the_notes_hold_508_rows_of_22_catalogued_papers() -> None:
    rows = facts()
    assert len(rows) == 508
    catalog = load_catalog(ROOT / "data" / "papers.toml", use_cache=False)
    ids = {p.id for p in catalog.papers}
    assert {r["paper"] for r in rows} <= ids
    assert len({r["paper"] for r in rows}) == 22


def test_every_printed_number_is_entered_exactly_with_its_source_and_size(loaded) -> None:  # type: ignore[no-untyped-def]
    want: dict[str, set[tuple[str, str | None, bool | None]]] = defaultdict(set)
    for row in facts():
        match = _PLAIN.match(row["value"])
        if not match:
            continue  # worded values, checked below
        qualifier, number, unit = match.groups()
        printed = f"{qualifier + ' ' if qualifier else ''}{number}{unit or ''}"
        lower = None if row["lower"] == DASH else row["lower"].startswith("yes")
        want[row["url"]].add((printed, params_of(row["params"]), lower))
    worded = {
        (row["paper"], figure)
        for row in facts()
        if row["value"] != DASH and not _PLAIN.match(row["value"])
        for figure in re.findall(r"\d+(?:\.\d+)?", row["value"])
    }
    got: dict[str, set[tuple[str, str | None, bool | None]]] = defaultdict(set)
    for result in loaded:
        if result.value is not None and (result.paper, result.value) not in worded:
            got[result.source].add((result.printed, result.params, result.lower_is_better))
    for url in want.keys() | got.keys():
        assert got[url] == want[url], url


def test_worded_values_keep_their_figures(loaded) -> None:  # type: ignore[no-untyped-def]
    worded = [r for r in facts() if r["value"] != DASH and not _PLAIN.match(r["value"])]
    assert len(worded) == 6
    for row in worded:
        mine = {r.value for r in loaded if r.paper == row["paper"]}
        for figure in re.findall(r"\d+(?:\.\d+)?", row["value"]):
            assert figure in mine, (row["paper"], row["value"])


def test_size_only_rows_are_entered_with_their_size(loaded) -> None:  # type: ignore[no-untyped-def]
    for row in facts():
        if row["value"] == DASH and row["metric"] == DASH:
            sizes = {r.params for r in loaded if r.paper == row["paper"] and r.value is None}
            assert params_of(row["params"]) in sizes, row["model"]


def test_superb_asr_wer_of_the_issue(loaded) -> None:  # type: ignore[no-untyped-def]
    asr = {
        (r.model, r.value)
        for r in loaded
        if (r.benchmark, r.task, r.metric) == ("SUPERB", "ASR", "WER")
    }
    assert {
        ("DPHuBERT (960h)", "10.47"),
        ("HuBERT Base", "6.42"),
        ("DistilHuBERT (960h)", "13.37"),
    } <= asr
