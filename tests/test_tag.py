"""``scc tag``: methods, models and tags on many papers at once, in one atomic write."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import run


def records(path: Path) -> dict[str, dict[str, object]]:
    return {p["id"]: p for p in tomllib.loads(path.read_text(encoding="utf-8"))["papers"]}


def test_tagging_papers_by_id_is_a_few_line_diff(mini: Path) -> None:
    before = mini.read_text(encoding="utf-8")
    result = run("tag", "--db", str(mini), "dphubert", "lighthubert", "--model", "Whisper")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        'dphubert: models = ["HuBERT", "WavLM", "Whisper"]',
        'lighthubert: models = ["HuBERT", "Whisper"]',
    ]
    after = mini.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 2  # one line a paper; comments and order kept


def test_a_query_finds_the_papers_and_remove_takes_values_away(mini: Path) -> None:
    assert run("tag", "--db", str(mini), "hubert", "--tag", "ssl").exit_code == 0
    tagged = {pid for pid, p in records(mini).items() if p.get("tags") == ["ssl"]}
    assert "dphubert" in tagged and "lighthubert" in tagged
    assert run("tag", "--db", str(mini), "hubert", "--tag", "ssl", "--remove").exit_code == 0
    assert all("tags" not in p for p in records(mini).values())  # the emptied list is gone


def test_dry_run_writes_nothing_and_bad_values_are_usage_errors(mini: Path) -> None:
    before = mini.read_bytes()
    result = run("tag", "--db", str(mini), "dphubert", "--method", "quantization", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == 'dphubert: methods = ["distillation", "pruning", "quantization"]\n'
    assert "dry run" in result.stderr
    bad = run("tag", "--db", str(mini), "dphubert", "--method", "prunning")
    assert bad.exit_code == 2 and "did you mean 'pruning'" in bad.stderr
    assert run("tag", "--db", str(mini), "dphubert").exit_code == 2
    assert run("tag", "--db", str(mini), "no such words", "--tag", "x").exit_code == 1
    assert mini.read_bytes() == before
