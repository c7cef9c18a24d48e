"""The project's README carries the bundled catalog's list, kept in sync by ``scc export``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from speechcompress import load_catalog
from speechcompress.cli.app import app
from speechcompress.render.markdown import END_MARKER, START_MARKER, paper_line

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CATALOG = ROOT / "data" / "papers.toml"


@pytest.fixture
def readme() -> str:
    text = README.read_text(encoding="utf-8")
    assert START_MARKER in text and END_MARKER in text, "README.md must carry the scc markers"
    return text


def test_readme_lists_every_paper_of_the_bundled_catalog_between_the_markers(readme: str) -> None:
    body = readme.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0]
    lines = set(body.splitlines())
    catalog = load_catalog(CATALOG, use_cache=False)
    missing = [p.id for p in catalog.papers if paper_line(p) not in lines]
    assert missing == [], "run: scc export --update README.md"


def test_scc_export_check_readme_passes(readme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["export", "--check", "README.md", "--db", str(CATALOG)])
    hint = "\nrun: scc export --update README.md"
    assert result.exit_code == 0, result.stdout + result.stderr + hint
