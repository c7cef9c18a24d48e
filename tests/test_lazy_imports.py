"""Start-up stays light: heavy libraries are imported only on the paths that need them.

Each check runs scc in a fresh interpreter and reads ``sys.modules`` at exit; no timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = (
    "httpx",
    "tomlkit",
    "rich",
    "pydantic",
    "pydantic_core",
    "tomli",
    "typer",
    "rapidfuzz",
    # scc discover's text model: only discover may load them.
    "sklearn",
    "scipy",
    "numpy",
    "snowballstemmer",
)
DISCOVER = {"sklearn", "scipy", "numpy", "snowballstemmer"}

# Runs the Typer app in-process (stdout is a pipe), then reports which heavy packages loaded.
RUN_APP = """
import json, os, sys
from speechcompress.cli.app import app
try:
    app(sys.argv[1:], prog_name="scc")
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
watched = set(json.loads(os.environ["SCC_TEST_WATCHED"]))
heavy = sorted({name.split(".")[0] for name in sys.modules} & watched)
sys.stderr.write("\\nMODULES " + json.dumps({"exit": code, "modules": heavy}) + "\\n")
"""

RUN_LIBRARY = """
import json, sys
from speechcompress import load_catalog
catalog = load_catalog(sys.argv[2])
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"papers": len(catalog.papers), "modules": heavy}))
"""


def scc(*args: str) -> tuple[int, set[str], str]:
    """(exit code, heavy packages imported, stdout) of one ``scc`` run in a new process."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "SCC_TEST_WATCHED": json.dumps(HEAVY)}
    proc = subprocess.run(
        [sys.executable, "-c", RUN_APP, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    report = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES "))
    data = json.loads(report.removeprefix("MODULES "))
    return data["exit"], set(data["modules"]), proc.stdout


def test_help_imports_neither_httpx_nor_tomlkit() -> None:
    code, modules, out = scc("--help")
    assert code == 0 and "list" in out and "discover" in out
    assert not modules & ({"httpx", "tomlkit"} | DISCOVER)


def test_list_into_a_pipe_stays_light_and_lighter_when_warm(mini: Path) -> None:
    code, modules, cold_out = scc("list", "--db", str(mini))
    assert code == 0 and "dphubert" in cold_out
    assert not modules & ({"httpx", "tomlkit", "rich"} | DISCOVER)
    # the cold run had to parse (proof that the check sees imports at all); a valid
    # catalog is validated without Pydantic
    assert "tomli" in modules
    assert not modules & {"pydantic", "pydantic_core"}

    code, modules, warm_out = scc("list", "--db", str(mini))
    assert code == 0 and warm_out == cold_out
    assert not modules & {"httpx", "tomlkit", "rich", "pydantic", "pydantic_core", "tomli"}

    code, modules, _ = scc("list", "--db", str(mini), "--no-cache")
    assert code == 0
    assert "tomli" in modules


def test_an_invalid_paper_is_explained_by_pydantic(tmp_path: Path, mini: Path) -> None:
    broken = tmp_path / "papers.toml"
    broken.write_text(mini.read_text().replace("year = 2023", 'year = "2023"', 1))
    code, modules, _ = scc("list", "--db", str(broken))
    assert code == 3
    assert "pydantic" in modules


def test_warm_search_and_show_stay_light_too(mini: Path) -> None:
    assert scc("info", "--db", str(mini))[0] == 0  # writes the index
    for args in (
        ["search", "--db", str(mini), "prunning", "year:2022.."],
        ["show", "--db", str(mini), "bigfoot"],
        ["list", "--db", str(mini), "--method", "kd", "--model", "hubert"],
    ):
        code, modules, out = scc(*args)
        assert code == 0 and out, args
        heavy = {"httpx", "tomlkit", "rich", "pydantic", "pydantic_core", "tomli", "rapidfuzz"}
        heavy |= DISCOVER
        assert not modules & heavy


def test_the_library_needs_no_cli_framework(mini: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-c", RUN_LIBRARY, json.dumps(HEAVY), str(mini)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert data["papers"] == 5
    assert not set(data["modules"]) & {"typer", "rich", "httpx", "tomlkit"}


def test_discover_help_does_not_load_its_text_model() -> None:
    code, modules, out = scc("discover", "--help")
    assert code == 0 and "--accept" in out
    assert not modules & DISCOVER


def test_discover_loads_its_text_model_only_when_it_ranks(mini: Path) -> None:
    # Proof that the check sees them: a bad date fails before ranking, a run ranks.
    code, modules, _ = scc("discover", "--db", str(mini), "--since", "soon")
    assert code == 2 and not modules & DISCOVER
    from speechcompress.discover.rank import Document, rank

    assert rank([Document("a", "Pruning speech models")], [Document("b", "Pruning")])
    import sys as _sys

    assert "sklearn" in _sys.modules


RUN_TAB = """
import os, sys
sys.argv[0] = "scc"
from speechcompress.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
loaded = {name.split(".")[0] for name in sys.modules}
import json
watched = set(json.loads(os.environ["SCC_TEST_WATCHED"]))
heavy = sorted(loaded & watched)
sys.stderr.write("\\nMODULES " + json.dumps({"exit": code, "modules": heavy}) + "\\n")
"""


#: Not even these load for a Tab once the catalog's values are cached (~15 ms together).
TAB_LIGHT = ("click", "pathlib", "dataclasses", "platformdirs", "sqlite3", "json")


def tab(words: list[str], db: Path) -> tuple[int, set[str], str]:
    """One Tab as bash's completion function sends it: (exit code, heavy imports, answer)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SCC_TEST_WATCHED": json.dumps([*HEAVY, *TAB_LIGHT]),
        "SCC_DB": str(db),
        "_SCC_COMPLETE": "complete_bash",
        "COMP_WORDS": "\n".join(words),
        "COMP_CWORD": str(len(words) - 1),
    }
    proc = subprocess.run(
        [sys.executable, "-c", RUN_TAB], capture_output=True, text=True, env=env, timeout=60
    )
    report = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES "))
    data = json.loads(report.removeprefix("MODULES "))
    return data["exit"], set(data["modules"]), proc.stdout


def test_a_tab_imports_neither_typer_nor_click(mini: Path) -> None:
    # The first Tab after the catalog changed reads it and keeps its values.
    assert tab(["scc", "show", "dp"], mini)[::2] == (0, "dphubert\n")
    for words, expected in (
        (["scc", "li"], "list\n"),
        (["scc", "export", "--format", "b"], "bibtex\n"),
        (["scc", "list", "--method", "kd"], "distillation\n"),
        (["scc", "list", "--venue", "inter"], "INTERSPEECH\n"),
        (["scc", "list", "--model", "wav2"], "wav2vec\\ 2.0\n"),
        (["scc", "show", "dp"], "dphubert\n"),
    ):
        code, modules, out = tab(words, mini)
        assert (code, out) == (0, expected), words
        assert not modules, (words, modules)
