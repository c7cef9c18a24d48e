"""``scc init``: a new list that scc's own checks accept from the first commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run


def test_a_new_list_has_a_catalog_a_readme_and_a_workflow_that_pass_the_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "tiny"
    result = run("init", str(new), "--title", "Awesome Tiny ASR", "--description", "Small.")
    assert result.exit_code == 0, result.stderr
    catalog = (new / "data" / "papers.toml").read_text(encoding="utf-8")
    assert catalog.startswith("# The paper catalog read by scc")
    assert 'title = "Awesome Tiny ASR"' in catalog
    readme = (new / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Awesome Tiny ASR\n\nSmall.\n\n<!-- scc:start -->")
    workflow = (new / ".github" / "workflows" / "catalog.yml").read_text(encoding="utf-8")
    assert 'SCC_PACKAGE: "speechcompress"' in workflow
    assert "scc export --check README.md" in workflow
    monkeypatch.chdir(new)
    assert run("export", "--check", "README.md").exit_code == 0
    assert run("check").exit_code == 0


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "data").exists()
