"""The awesome-list style passes awesome-lint (run with Node where it is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES
from speechcompress import load_catalog
from speechcompress.render.awesome import render_awesome
from speechcompress.render.markdown import render_markdown

HERE = Path(__file__).resolve().parent
CATALOG = HERE.parent / "data" / "papers.toml"
# awesome-lint is installed here once; SCC_AWESOME_LINT_DIR points elsewhere if wanted.
NPM_DIR = Path(os.environ.get("SCC_AWESOME_LINT_DIR", "/tmp/scc-awesome-lint"))
AWESOME_LINT = "awesome-lint@2.3.0"


@pytest.fixture(scope="module")
def lint_modules() -> Path:
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("awesome-lint needs Node.js and npm")
    modules = NPM_DIR / "node_modules"
    if not (modules / "awesome-lint" / "config.js").is_file():
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--prefix", str(NPM_DIR), "--no-audit", "--no-fund", AWESOME_LINT],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            message = f"npm could not install {AWESOME_LINT}: {done.stderr[-500:]}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
    return modules


def awesome_lint(modules: Path, text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    readme = tmp_path / "readme.md"
    readme.write_text(text, encoding="utf-8")
    return subprocess.run(
        ["node", str(HERE / "awesome_lint.mjs"), str(modules), str(readme)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_awesome_list_passes_awesome_lint(lint_modules: Path, tmp_path: Path) -> None:
    catalog = load_catalog(CATALOG, use_cache=False)
    result = awesome_lint(lint_modules, render_awesome(catalog.papers, catalog), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_seed_style_export_is_what_awesome_lint_rejects(
    lint_modules: Path, tmp_path: Path
) -> None:
    # Proof that the lint run is real: the default export's [[VENUE](url)] groups fail it.
    catalog = load_catalog(CATALOG, use_cache=False)
    result = awesome_lint(lint_modules, render_markdown(catalog), tmp_path)
    assert result.returncode == 1
    assert "no-undefined-references" in result.stdout


def test_items_lead_with_a_link_and_never_an_empty_one() -> None:
    mini = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    text = render_awesome(mini.papers, mini, site_url="https://x.example/")
    assert "]()" not in text and "[[" not in text
    items = [line for line in text.splitlines() if line.startswith("- [") and " - " in line]
    assert len(items) == len(mini.papers)
    assert text.startswith("# Mini Catalog [![Awesome](https://awesome.re/badge.svg)]")
    assert "## Contents" in text and "[its website](https://x.example/)" in text
