"""The console entry point registers only the command it runs (start-up), and behaves alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from speechcompress.cli.app import COMMANDS, app, requested_command

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list", "--year", "2022"], "list"),
        (["--version"], None),
        (["-h"], None),
        ([], None),
        (["lsit"], None),  # a typo gets the whole app, and Click's "did you mean"
        (["search", "list"], "search"),
    ],
)
def test_requested_command(argv: list[str], expected: str | None) -> None:
    assert requested_command(argv) == expected


def test_completion_always_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_SCC_COMPLETE", "complete_bash")
    assert requested_command(["list"]) is None


def scc(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.argv[0] = 'scc'; from speechcompress.cli import main; main()"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--year", "2022..", "--format", "plain"],
        ["search", "prunning", "--format", "json"],
        ["show", "dphubert"],
        ["list", "--method", "prunin"],
        ["lsit"],
    ],
)
def test_entry_point_output_matches_the_full_app(args: list[str]) -> None:
    db = ["--db", str(FIXTURES / "mini.toml")] if args[0] in COMMANDS else []
    real = scc(*args, *db)
    full = CliRunner().invoke(app, [*args, *db])
    assert (real.returncode, real.stdout, real.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_entry_point_imports_only_the_command_it_runs() -> None:
    code = (
        "import sys; sys.argv = ['scc', 'info', '--db', sys.argv[1]]\n"
        "from speechcompress.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('speechcompress.cli.cmd_')))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "mini.toml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "['speechcompress.cli.cmd_info']"


def module(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m speechcompress``: the console script's quick-exit path."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "speechcompress", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_quick_exit_flushes_all_output_and_keeps_the_exit_code() -> None:
    import json

    listed = module("list", "--db", str(FIXTURES / "mini.toml"), "--format", "json")
    assert listed.returncode == 0
    assert len(json.loads(listed.stdout)) == 5
    missing = module("info", "--db", str(FIXTURES / "nowhere.toml"))
    assert missing.returncode == 4
    assert missing.stderr.startswith("error: catalog not found:")
    usage = module("list", "--db", str(FIXTURES / "mini.toml"), "--method", "prunin")
    assert (usage.returncode, usage.stdout) == (2, "")
    assert usage.stderr.splitlines() == [
        "error: unknown method 'prunin'",
        "hint: did you mean 'pruning'?",
    ]
    assert module("--version").stdout.startswith("scc ")


def test_main_called_in_process_leaves_the_cycle_collector_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from speechcompress.cli import main

    monkeypatch.setattr(sys, "argv", ["scc", "list", "--db", str(FIXTURES / "mini.toml")])
    assert gc.isenabled()
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code in (0, None)
    assert "dphubert" in capsys.readouterr().out
    assert gc.isenabled(), "main() must not disable gc for a program that called it"


def test_console_script_runs_quick_commands_without_the_cycle_collector() -> None:
    code = (
        "import gc, os, sys; sys.argv[0] = 'scc'\n"
        "from speechcompress import cli\n"
        "def leave(code):\n"
        "    sys.stderr.write(f'gc={gc.isenabled()} code={code}\\n'); sys.stderr.flush()\n"
        "    os.abort() if False else sys.exit(code)\n"
        "os._exit = leave\n"
        "cli.run()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", code, "list", "--db", str(FIXTURES / "mini.toml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "gc=False code=0" in result.stderr


def test_the_console_script_answers_a_tab() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SCC_DB": str(FIXTURES / "mini.toml"),
        "_SCC_COMPLETE": "complete_bash",
        "COMP_WORDS": "scc\nlist\n--model\nwav",
        "COMP_CWORD": "3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "speechcompress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "wav2vec\\ 2.0\nWavLM\n", "")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "robustdistiller"],
        ["export", "--format", "bibtex"],
        ["search", "guimaraes", "--format", "json"],
    ],
)
def test_an_ascii_terminal_gets_escapes_not_a_traceback(args: list[str]) -> None:
    code = "import sys; sys.argv[0] = 'scc'; from speechcompress.cli import run; run()"
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args, "--db", str(FIXTURES / "mini.toml")],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert b"Guimar\\xe3es" in result.stdout or b"Guimar\\u00e3es" in result.stdout
