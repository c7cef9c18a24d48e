"""Shell completion: what each shell is told, and what a real shell then puts on the line."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES
from speechcompress.cli import complete_spec
from speechcompress.cli.complete import respond, split_words, unquote
from speechcompress.cli.complete_build import spec_from_app, vocabularies

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
REPO_CATALOG = ROOT / "data" / "papers.toml"
MINI = FIXTURES / "mini.toml"


def answer(env: dict[str, str]) -> tuple[int | None, list[str]]:
    out = io.StringIO()
    code = respond(env, out)
    return code, out.getvalue().splitlines()


@pytest.fixture(autouse=True)
def _mini_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_DB", str(MINI))


def bash(*words: str) -> list[str]:
    """What scc answers bash's completion function for a Tab after ``words`` (the
    last one being completed), with COMP_WORDS joined by newlines as Typer's script does."""
    code, lines = answer(
        {
            "_SCC_COMPLETE": "complete_bash",
            "COMP_WORDS": "\n".join(("scc", *words)),
            "COMP_CWORD": str(len(words)),
        }
    )
    assert code == 0
    return lines


def line(shell: str, typed: str, **extra: str) -> tuple[int | None, list[str]]:
    """zsh, fish and PowerShell send the command line up to the cursor."""
    return answer({"_SCC_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": typed, **extra})


# --- the table of commands and options cannot drift from the app ---------------------------


def test_the_precomputed_spec_is_the_apps() -> None:
    root, commands = spec_from_app()
    assert root == complete_spec.ROOT_OPTIONS, "run: python -m speechcompress.cli.complete_build"
    assert commands == complete_spec.COMMANDS, "run: python -m speechcompress.cli.complete_build"
    methods, venues = vocabularies()
    assert methods == complete_spec.METHODS, "run: python -m speechcompress.cli.complete_build"
    assert venues == complete_spec.VENUES, "run: python -m speechcompress.cli.complete_build"


def test_every_command_is_in_the_spec() -> None:
    from speechcompress.cli.app import COMMANDS

    assert list(complete_spec.COMMANDS) == list(COMMANDS)


# --- what is offered ---------------------------------------------------------------------------


def test_commands_and_options() -> None:
    assert {"list", "search", "show", "stats", "export", "cache"} <= set(bash(""))
    assert bash("li") == ["list"]
    assert bash("list", "--me") == ["--method"]
    # an option given once is not offered again, unless it repeats
    assert "--sort" not in bash("list", "--sort", "year", "--")
    assert "--venue" in bash("list", "--venue", "ICASSP", "--")


def test_values_match_whatever_the_case() -> None:
    assert bash("list", "--venue", "inter") == ["INTERSPEECH"]
    assert bash("list", "--venue", "sus") == ["SustaiNLP"]  # the catalog's own venue
    assert bash("list", "--model", "hub") == ["HuBERT"]


def test_values_match_through_aliases() -> None:
    assert bash("list", "--venue", "nips") == ["NeurIPS"]
    assert bash("list", "--method", "kd") == ["distillation"]
    assert bash("stats", "--method", "nas") == ["architecture-search"]


def test_fixed_choices() -> None:
    assert bash("export", "--format", "") == [
        "markdown",
        "bibtex",
        "json",
        "csv",
        "atom",
        "csljson",
        "ris",
    ]
    assert bash("export", "--style", "a") == ["awesome"]
    assert bash("export", "-f", "b") == ["bibtex"]
    assert bash("export", "--group-by", "") == ["year", "venue", "method"]
    assert bash("export", "--bib-style", "bib") == ["biblatex"]
    assert bash("list", "--sort", "t") == ["title"]
    assert bash("show", "dphubert", "--format", "") == ["text", "json", "bibtex"]
    assert bash("cache", "") == ["clear", "path"]
    assert bash("cache", "cl") == ["clear"]


def test_paper_ids_and_arxiv_ids() -> None:
    assert bash("show", "") == ["dphubert", "robustdistiller", "lighthubert", "bigfoot", "q-asr"]
    assert bash("show", "DP") == ["dphubert"]
    assert bash("show", "2305") == ["2305.17651"]
    assert bash("compare", "dphubert", "light") == ["lighthubert"]


def test_the_db_on_the_command_line_is_the_one_completed_from() -> None:
    # SCC_DB names the mini catalog, which has no "SpeechAI TTIC"; --db wins over it,
    # wherever it stands on the line and however it is written.
    assert bash("list", "--venue", "SpeechAI") == []
    db = str(REPO_CATALOG)
    assert bash("list", "--db", db, "--venue", "SpeechAI") == ["SpeechAI\\ TTIC"]
    assert bash("list", "--db", "=", db, "--venue", "SpeechAI") == ["SpeechAI\\ TTIC"]
    words = ["scc", "list", "--venue", "SpeechAI", "--db", db]
    env = {"_SCC_COMPLETE": "complete_bash", "COMP_WORDS": "\n".join(words), "COMP_CWORD": "3"}
    assert answer(env)[1] == ["SpeechAI\\ TTIC"]
    fish = line(
        "fish", f"scc list --db {db} --venue Speech", _TYPER_COMPLETE_FISH_ACTION="get-args"
    )
    assert [value.split("\t")[0] for value in fish[1]] == ["SpeechAI TTIC"]


def test_an_unreadable_catalog_offers_builtins_or_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("this is not = = toml")
    assert bash("list", "--db", str(broken), "--venue", "ICA") == ["ICASSP"]
    assert bash("list", "--db", str(broken), "--model", "") == []
    assert bash("show", "--db", str(tmp_path / "missing.toml"), "") == []


def test_values_follow_the_catalog_when_it_changes(mini: Path) -> None:
    assert bash("show", "--db", str(mini), "dp") == ["dphubert"]
    stored = list((Path(os.environ["SCC_CACHE_DIR"]) / "completion").iterdir())
    assert len(stored) == 1
    text = mini.read_text().replace('id = "dphubert"', 'id = "dphubert-2023"')
    mini.write_text(text + "\n")  # another size: a values file keyed by it is stale
    assert bash("show", "--db", str(mini), "dp") == ["dphubert-2023"]
    assert bash("list", "--db", str(mini), "--model", "wav2") == ["wav2vec\\ 2.0"]


@pytest.mark.parametrize("where", ["--db", "SCC_DB", "./data", "bundled"])
def test_the_catalog_is_found_as_commands_find_it(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from speechcompress.cli.complete import catalog_path
    from speechcompress.locate import locate_catalog

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCC_DB")
    db = None
    if where == "--db":
        db = "elsewhere.toml"
    elif where == "SCC_DB":
        monkeypatch.setenv("SCC_DB", "env.toml")
    elif where == "./data":
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "papers.toml").write_text("")
    assert catalog_path(db) == os.path.abspath(locate_catalog(db).path)


@pytest.mark.parametrize("setting", ["SCC_CACHE_DIR", "XDG_CACHE_HOME", "HOME"])
def test_the_cache_folder_is_fs_own(setting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from speechcompress.cli.complete import cache_dir
    from speechcompress.fs import cache_dir as fs_cache_dir

    if setting != "SCC_CACHE_DIR":
        monkeypatch.delenv("SCC_CACHE_DIR")
    if setting == "HOME":
        monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == str(fs_cache_dir())


def test_paths_and_free_text_are_left_to_the_shell() -> None:
    assert bash("list", "--db", "") == []
    assert bash("export", "-o", "RE") == []
    assert bash("search", "") == []
    assert bash("nosuchcommand", "") == []


# --- how each shell is told ----------------------------------------------------------------------


def test_bash_gets_values_escaped_unless_the_word_opened_a_quote() -> None:
    assert bash("list", "--model", "wav") == ["wav2vec\\ 2.0", "WavLM"]
    assert bash("list", "--model", "wav2vec\\ ") == ["wav2vec\\ 2.0"]
    assert bash("list", "--model", "'wav") == ["wav2vec 2.0", "WavLM"]
    assert bash("list", "--model", '"wav2') == ["wav2vec 2.0"]


def test_bash_completes_the_value_after_an_equals_sign() -> None:
    # bash splits `--venue=IN` into `--venue`, `=`, `IN`; it replaces only `IN`.
    assert bash("list", "--venue", "=", "inter") == ["INTERSPEECH"]
    assert "ICASSP" in bash("list", "--venue", "=")


def test_a_line_typed_by_hand_is_split_like_bash() -> None:
    env = {
        "_SCC_COMPLETE": "complete_bash",
        "COMP_WORDS": "scc list --model 'wav2vec 2",
        "COMP_CWORD": "3",
    }
    assert answer(env)[1] == ["wav2vec 2.0"]
    assert split_words("a 'b c' d\\ e \"f") == ["a", "'b c'", "d\\ e", '"f']
    assert split_words("a ") == ["a", ""]
    assert unquote("'wav2") == ("wav2", "'")
    assert unquote("wav2vec\\ 2") == ("wav2vec 2", "")


def test_zsh_gets_compadd_with_every_match_kept_and_quoted() -> None:
    code, lines = line("zsh", "scc list --model wav")
    assert code == 0
    assert lines == ["compadd -U -V scc -- 'wav2vec 2.0' 'WavLM'"]
    code, lines = line("zsh", "scc list --venue inter")
    assert lines[0].endswith("compadd -U -V scc -l -d _scc_shown -- 'INTERSPEECH'")
    assert "-- Annual Conference of the International Speech" in lines[0]
    assert line("zsh", "scc list --db ") == (0, ["_files"])
    assert line("zsh", "scc list --venue=Sus")[1][0].endswith("-- '--venue=SustaiNLP'")


def test_fish_gets_values_and_descriptions_and_knows_when_to_offer_files() -> None:
    code, lines = line("fish", "scc list --model wav", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert (code, lines) == (0, ["wav2vec 2.0", "WavLM"])
    code, lines = line("fish", "scc exp", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert lines == ["export\tExport the catalog: the awesome-list README by default."]
    assert line("fish", "scc list --venue=sus", _TYPER_COMPLETE_FISH_ACTION="get-args")[1] == [
        "--venue=SustaiNLP\tWorkshop on Simple and Efficient NLP"
    ]
    assert line("fish", "scc list --model ", _TYPER_COMPLETE_FISH_ACTION="is-args") == (0, [])
    assert line("fish", "scc list --db ", _TYPER_COMPLETE_FISH_ACTION="is-args") == (1, [])


def test_powershell_gets_values_quoted() -> None:
    code, lines = line("powershell", "scc list --model wav", _TYPER_COMPLETE_WORD_TO_COMPLETE="wav")
    assert (code, lines) == (0, ["'wav2vec 2.0'::: ", "WavLM::: "])


def test_other_instructions_are_left_to_typer() -> None:
    assert answer({"_SCC_COMPLETE": "source_bash"}) == (None, [])
    assert answer({}) == (None, [])


def test_the_embedded_app_answers_as_the_console_script_does(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from speechcompress.cli.app import app

    env = {
        "_SCC_COMPLETE": "complete_bash",
        "COMP_WORDS": "scc\nlist\n--venue\ninter",
        "COMP_CWORD": "3",
        "SCC_DB": str(MINI),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="scc")
    assert result.stdout.splitlines() == ["INTERSPEECH"]


# --- in real shells ----------------------------------------------------------------------------


@pytest.fixture
def scc_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH starts with an ``scc`` that runs this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "scc"
    script.write_text(
        "#!/bin/sh\n"
        f'exec {sys.executable} -c \'import sys; sys.argv[0] = "scc"; '
        'from speechcompress.cli import run; run()\' "$@"\n'
    )
    script.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(SRC),
        "SCC_DB": str(MINI),
        "TERM": "dumb",
        "PS1": "$ ",
    }


def test_bash_completion_function_fills_compreply(scc_on_path: dict[str, str]) -> None:
    """Typer's own bash script, sourced into a real bash, called as readline calls it."""
    script = (
        'eval "$(_SCC_COMPLETE=source_bash scc)"\n'
        'ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _scc_completion scc;'
        " printf '<%s>' \"${COMPREPLY[@]}\"; echo; }\n"
        "ask scc list --model wav\n"
        'ask scc list --model "\'wav2"\n'
        "ask scc list --venue inter\n"
        "ask scc show ''\n"
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=scc_on_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == [
        "<wav2vec\\ 2.0><WavLM>",
        "<wav2vec 2.0>",
        "<INTERSPEECH>",
        "<dphubert><robustdistiller><lighthubert><bigfoot><q-asr>",
    ], result.stderr


SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], 'eval "$(_SCC_COMPLETE=source_bash scc)"'),
    "zsh": (
        ["zsh", "-f", "-i"],
        'autoload -Uz compinit; compinit -u; eval "$(_SCC_COMPLETE=source_zsh scc)"',
    ),
    "fish": (["fish", "--no-config", "-i"], "_SCC_COMPLETE=source_fish scc | source"),
}


def type_into(shell: str, typed: str, env: dict[str, str]) -> str:
    """Type ``typed`` into an interactive ``shell`` on a terminal, Tab keys and all, press
    Enter, and return what the terminal showed once the command said ``RC=<exit code>``."""
    argv, setup = SHELLS[shell]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{shell} is not installed")
    status = "$status" if shell == "fish" else "$?"
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover (the child)
        os.execvpe(argv[0], argv, env)
    seen = b""

    def wait_for(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 30
        while not re.search(marker, seen) and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    return

    try:
        # The markers are quoted so that the terminal's echo of the line does not match.
        os.write(fd, f"{setup}; echo 'READ''Y'\n".encode())
        wait_for(rb"READY\r\n")
        seen = b""
        os.write(fd, f"{typed}; echo RC={status}'X'\n".encode())
        wait_for(rb"RC=\d+X\r\n")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return seen.decode(errors="replace")


@pytest.mark.parametrize(
    ("shell", "typed", "found"),
    [
        ("bash", "scc list --format plain --model wav2\t", "bigfoot"),
        ("bash", "scc list --format plain --model 'wav2\t", "bigfoot"),
        ("bash", "scc list --format plain --venue sus\t", "bigfoot"),
        ("bash", f"scc list -f plain --db={REPO_CATALOG} --venue speech\t", "context-driven"),
        ("zsh", "scc list --format plain --model wav2\t", "bigfoot"),
        ("zsh", "scc list --format plain --venue sus\t", "bigfoot"),
        ("fish", "scc list --format plain --model wav2\t", "bigfoot"),
        ("fish", "scc list --format plain --venue sus\t", "bigfoot"),
    ],
)
def test_a_tab_in_a_real_shell_makes_a_command_that_runs(
    shell: str, typed: str, found: str, scc_on_path: dict[str, str]
) -> None:
    shown = type_into(shell, typed, scc_on_path)
    assert "RC=0X" in shown, shown
    assert found in shown and "unexpected extra argument" not in shown, shown
