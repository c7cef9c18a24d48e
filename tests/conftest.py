"""Shared fixtures. Every test runs hermetically: no network, no user home, no user cache."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every piece of user state at a temp dir and clear scc's environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SCC_CACHE_DIR", str(home / "scc-cache"))
    # No proxies either: tests talk to 127.0.0.1 only, and a proxy would reroute that.
    for name in (
        "SCC_DB",
        "SCC_ARXIV_API",
        "NO_COLOR",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    # `scc refresh` asks every source by default; a test names the ones it serves.
    monkeypatch.setenv("SCC_SOURCES", "arxiv")
    for name in (
        "SCC_DBLP_API",
        "SCC_CROSSREF_API",
        "SCC_OPENALEX_API",
        "SCC_S2_API",
        "SCC_OPENREVIEW_API",
        "SCC_OPENREVIEW_V1_API",
    ):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: refused at once
    for name in ("SCC_MAILTO", "SCC_S2_API_KEY", "SCC_SOURCES_DELAY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small test catalog."""
    target = tmp_path / "mini.toml"
    shutil.copy(FIXTURES / "mini.toml", target)
    return target


@functools.cache
def _app_command() -> Any:
    from speechcompress.cli.app import app

    return typer.main.get_command(app)


@pytest.fixture(autouse=True)
def _build_the_command_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typer rebuilds the Click command on every CliRunner.invoke (~50 ms); build it once.

    ``typer.testing._get_command`` is private: if a Typer release drops it, the tests
    still pass, only slower.
    """
    from speechcompress.cli.app import app

    if hasattr(typer.testing, "_get_command"):
        monkeypatch.setattr(
            typer.testing,
            "_get_command",
            lambda given: _app_command() if given is app else typer.main.get_command(given),
        )


def run(*args: str, env: dict[str, str] | None = None) -> typer.testing.Result:
    """``scc ARGS`` in-process. A traceback, or an exception other than an exit, fails
    the test: every error a user can cause must end as a message and an exit code."""
    from speechcompress.cli.app import app

    result = typer.testing.CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
