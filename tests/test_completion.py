"""Shell completion: Typer's protocol, completing option values from the vocabularies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES


def complete(words: str, cwd: Path) -> list[str]:
    """What bash completion offers for the command line ``words`` (cursor at the end)."""
    env = {
        **os.environ,
        "_SCC_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "SCC_DB": str(FIXTURES / "mini.toml"),
    }
    code = "import sys; sys.argv[0] = 'scc'; from speechcompress.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    return result.stdout.splitlines()


def test_completes_commands(tmp_path: Path) -> None:
    assert {"list", "search", "show", "stats", "export"} <= set(complete("scc ", tmp_path))


def test_completes_method_values(tmp_path: Path) -> None:
    assert complete("scc list --method pr", tmp_path) == ["pruning"]


def test_completes_venues_including_the_catalogs_own(tmp_path: Path) -> None:
    assert complete("scc list --venue Sus", tmp_path) == ["SustaiNLP"]
    assert "INTERSPEECH" in complete("scc list --venue IN", tmp_path)


def test_completes_models_from_the_catalog(tmp_path: Path) -> None:
    assert complete("scc list --model wav", tmp_path) == ["wav2vec 2.0"]
    assert complete("scc list --model Wav", tmp_path) == ["WavLM"]
