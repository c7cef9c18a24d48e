"""What a user sees from list, search, show, stats, info, cache and --version.

Expected results come from reading tests/fixtures/mini.toml with the stdlib ``tomllib``
and applying each option's documented meaning in plain Python, not from scc's own code.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, run
from speechcompress import __version__
from speechcompress.paper import FIELDS, PAPER_FIELDS

SRC = Path(__file__).resolve().parents[1] / "src"
RAW = tomllib.loads((FIXTURES / "mini.toml").read_text(encoding="utf-8"))
PAPERS: list[dict[str, Any]] = RAW["papers"]
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "list")


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def usage_error(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


def record(raw: dict[str, Any]) -> dict[str, Any]:
    """The JSON record a TOML paper table should become (full, stable field names)."""
    out: dict[str, Any] = {}
    for name in PAPER_FIELDS:
        value = raw.get(name, [] if name in LIST_FIELDS else None)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def newest_first(papers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for _, p in sorted(enumerate(papers), key=lambda ip: (-ip[1]["year"], ip[0]))]


def expected_ids(keep: Callable[[dict[str, Any]], bool]) -> list[str]:
    return [p["id"] for p in newest_first(PAPERS) if keep(p)]


def listed(*args: str) -> list[str]:
    return [p["id"] for p in json.loads(ok(*args, "--format", "json"))]


@pytest.fixture
def db(mini: Path) -> list[str]:
    return ["--db", str(mini)]


# --- scc list: default order and plain output ----------------------------------------------------


def test_list_is_plain_aligned_text_when_piped(db: list[str]) -> None:
    lines = ok("list", *db).splitlines()
    header = lines[0]
    assert header.split() == ["ID", "YEAR", "VENUE", "METHODS", "TITLE"]
    rows = newest_first(PAPERS)
    assert len(lines) == 1 + len(rows)
    for line, paper in zip(lines[1:], rows, strict=True):
        assert line.startswith(paper["id"] + " ")
        assert line[header.index("YEAR") :].startswith(str(paper["year"]))
        assert line[header.index("VENUE") :].startswith(paper["venue"])
        assert line[header.index("METHODS") :].startswith(",".join(paper["methods"]))
        assert line[header.index("TITLE") :] == paper["title"]
    assert "\x1b[" not in "".join(lines)


def test_default_order_is_newest_first_then_catalog_order(db: list[str]) -> None:
    assert listed("list", *db) == [p["id"] for p in newest_first(PAPERS)]


def test_list_json_is_full_records_with_stable_field_names(db: list[str]) -> None:
    data = json.loads(ok("list", *db, "--format", "json"))
    assert data == [record(p) for p in newest_first(PAPERS)]
    assert all(list(item) == list(PAPER_FIELDS) for item in data)


def test_list_csv_has_a_header_and_one_row_a_paper(db: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(ok("list", *db, "-f", "csv"))))
    assert rows[0] == list(PAPER_FIELDS)
    for row, paper in zip(rows[1:], newest_first(PAPERS), strict=True):
        expected = record(paper)
        for name, cell in zip(PAPER_FIELDS, row, strict=True):
            value = expected[name]
            want = (
                "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            )
            assert cell == want, name


def test_list_table_format_draws_a_table(db: list[str]) -> None:
    out = ok("list", *db, "--format", "TABLE")
    assert "━" in out and "│" in out
    assert "ID  YEAR" not in out
    for paper in PAPERS:
        assert paper["id"] in out
    assert "\x1b[" not in out  # not a terminal: no colour codes even for a table


def test_empty_result_prints_no_data_and_says_so_on_stderr(db: list[str]) -> None:
    result = run("list", *db, "--year", "1999")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no papers match these filters\n"
    result = run("list", *db, "--year", "1999", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    result = run("search", *db, "zzzqqqxx")
    assert (result.exit_code, result.stdout) == (1, "")  # as grep: nothing found exits 1
    assert result.stderr == "no papers match 'zzzqqqxx'\n"


# --- scc list: filters ---------------------------------------------------------------------------


def _years(low: int | None, high: int | None) -> Callable[[dict[str, Any]], bool]:
    return lambda p: (low is None or p["year"] >= low) and (high is None or p["year"] <= high)


def _authors(part: str) -> Callable[[dict[str, Any]], bool]:
    return lambda p: any(part in a.lower().replace("ã", "a") for a in p.get("authors", []))


@pytest.mark.parametrize(
    ("args", "keep"),
    [
        (["--year", "2022"], _years(2022, 2022)),
        (["-y", "2021..2022"], _years(2021, 2022)),
        (["--year", "2022.."], _years(2022, None)),
        (["--year", "..2021"], _years(None, 2021)),
        (["--year", "2021", "--year", "2023"], lambda p: p["year"] in (2021, 2023)),
        (["--venue", "interspeech"], lambda p: p["venue"] == "INTERSPEECH"),
        (
            ["--venue", "INTERSPEECH", "--venue", "sustainlp"],
            lambda p: p["venue"] in ("INTERSPEECH", "SustaiNLP"),
        ),
        (["--method", "kd"], lambda p: "distillation" in p["methods"]),
        (
            ["-m", "prune", "-m", "quantization"],
            lambda p: {"pruning", "quantization"} & set(p["methods"]),
        ),
        (["--model", "wavlm"], lambda p: "WavLM" in p.get("models", [])),
        (["--model", "wav2vec"], lambda p: "wav2vec 2.0" in p.get("models", [])),
        (
            ["--model", "WavLM", "--model", "wav2vec 2.0"],
            lambda p: {"WavLM", "wav2vec 2.0"} & set(p.get("models", [])),
        ),
        (["--author", "Guimaraes"], _authors("guimaraes")),
        (["-a", "peng"], _authors("peng")),
        (
            ["--author", "sudo", "--author", "kim"],
            lambda p: _authors("sudo")(p) or _authors("kim")(p),
        ),
        (["--has-code"], lambda p: "code" in p),
        (
            ["--method", "distillation", "--year", "2023"],
            lambda p: "distillation" in p["methods"] and p["year"] == 2023,
        ),
        (["--author", "peng", "--has-code"], lambda p: _authors("peng")(p) and "code" in p),
        (
            ["--venue", "interspeech", "--model", "wavlm", "--method", "pruning"],
            lambda p: (
                p["venue"] == "INTERSPEECH"
                and "WavLM" in p.get("models", [])
                and "pruning" in p["methods"]
            ),
        ),
        (
            ["--year", "2021", "--year", "2022", "--method", "quantization"],
            lambda p: p["year"] in (2021, 2022) and "quantization" in p["methods"],
        ),
    ],
)
def test_list_filters(
    db: list[str],
    args: list[str],
    keep: Callable[[dict[str, Any]], bool],
) -> None:
    expected = expected_ids(keep)
    assert expected, "each example should keep something"
    assert listed("list", *db, *args) == expected


def test_filters_apply_to_every_format(db: list[str]) -> None:
    plain = ok("list", *db, "--method", "quantization").splitlines()[1:]
    assert [line.split()[0] for line in plain] == expected_ids(
        lambda p: "quantization" in p["methods"]
    )


# --- scc list: sort, reverse, limit --------------------------------------------------------------


def test_sort_by_title(db: list[str]) -> None:
    by_title = sorted(PAPERS, key=lambda p: p["title"].lower())
    assert listed("list", *db, "--sort", "title") == [p["id"] for p in by_title]


def test_sort_by_venue_then_newest(db: list[str]) -> None:
    by_venue = [
        p
        for _, p in sorted(
            enumerate(PAPERS), key=lambda ip: (ip[1]["venue"].lower(), -ip[1]["year"], ip[0])
        )
    ]
    assert listed("list", *db, "-s", "venue") == [p["id"] for p in by_venue]


def test_reverse(db: list[str]) -> None:
    assert listed("list", *db, "--reverse") == listed("list", *db)[::-1]
    assert listed("list", *db, "-s", "title", "-r") == listed("list", *db, "-s", "title")[::-1]


def test_limit_applies_after_sorting(db: list[str]) -> None:
    assert listed("list", *db, "--limit", "2") == listed("list", *db)[:2]
    assert listed("list", *db, "-n", "1", "-s", "title") == listed("list", *db, "-s", "title")[:1]
    assert listed("list", *db, "-n", "99") == listed("list", *db)


# --- scc list: bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "first_line", "hint"),
    [
        (["--method", "prunin"], "error: unknown method 'prunin'", "hint: did you mean 'pruning'?"),
        (["--year", "abc"], "error: invalid year 'abc'", None),
        (
            ["--year", "2023..2021"],
            "error: empty year range '2023..2021'",
            "hint: did you mean 2021..2023?",
        ),
        (
            ["--venue", "interspeach"],
            "error: unknown venue 'interspeach'",
            "hint: did you mean 'INTERSPEECH'?",
        ),
        (
            ["--model", "hubrt"],
            "error: no paper in the catalog names the model 'hubrt'",
            "hint: did you mean 'HuBERT'?",
        ),
        (["--sort", "author"], "error: unknown sort key 'author'", None),
        (["--format", "xml"], "error: unknown format 'xml'", None),
    ],
)
def test_bad_list_values_are_usage_errors(
    db: list[str],
    args: list[str],
    first_line: str,
    hint: str | None,
) -> None:
    lines = usage_error("list", *db, *args).splitlines()
    assert lines[0] == first_line
    if hint:
        assert lines[1] == hint
    else:
        assert "did you mean" not in "\n".join(lines)


@pytest.mark.parametrize(
    "args", [["--limit", "0"], ["--no-such-option"], ["--year"], ["extra-argument"]]
)
def test_command_line_mistakes_exit_2(db: list[str], args: list[str]) -> None:
    assert usage_error("list", *db, *args)


def test_unknown_command_exits_2() -> None:
    assert "lst" in usage_error("lst")


# --- scc search ----------------------------------------------------------------------------------


def test_search_prints_best_matches_first(db: list[str]) -> None:
    lines = ok("search", *db, "pruning").splitlines()
    assert lines[0].split() == ["ID", "YEAR", "VENUE", "METHODS", "TITLE"]
    # "Pruning" is in dphubert's title; lighthubert only lists the method
    assert [line.split()[0] for line in lines[1:]] == ["dphubert", "lighthubert"]


def test_search_words_may_be_separate_arguments(db: list[str]) -> None:
    assert ok("search", *db, "pruning", "hubert") == ok("search", *db, "pruning hubert")


def test_search_forgives_accents_case_hyphens_and_a_typo(db: list[str]) -> None:
    assert listed("search", *db, "GUIMARAES") == ["robustdistiller"]
    assert listed("search", *db, "prunning") == ["dphubert", "lighthubert"]
    assert (
        listed("search", *db, "selfsupervised")
        == listed("search", *db, "self supervised")
        == listed("search", *db, "self-supervised")
        == ["dphubert", "bigfoot"]
    )


def test_search_prefixes_and_phrases(db: list[str]) -> None:
    assert listed("search", *db, "author:peng", "year:2023..") == ["dphubert"]
    assert listed("search", *db, '"distillation and pruning"') == ["dphubert"]
    assert listed("search", *db, "venue:sustainlp") == ["bigfoot"]


def test_search_formats_and_limit(db: list[str]) -> None:
    data = json.loads(ok("search", *db, "distillation", "--format", "json", "--limit", "2"))
    assert len(data) == 2
    assert all(list(item) == list(PAPER_FIELDS) for item in data)
    by_id = {p["id"]: record(p) for p in PAPERS}
    assert data == [by_id[item["id"]] for item in data]
    rows = list(csv.reader(io.StringIO(ok("search", *db, "guimaraes", "-f", "csv"))))
    assert [r[0] for r in rows] == ["id", "robustdistiller"]
    table = ok("search", *db, "guimaraes", "-f", "table")
    assert "robustdistiller" in table and "━" in table


def test_search_with_no_hits_prints_no_data(db: list[str]) -> None:
    result = run("search", *db, "zzzzzz", "--format", "csv")
    assert (result.exit_code, result.stdout.splitlines()) == (1, [",".join(PAPER_FIELDS)])
    assert "no papers match" in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "error: empty query"),
        ('"open', "error: unbalanced quotes"),
        ("venue:interspeach", "error: unknown venue 'interspeach'"),
        ("method:prunin", "error: unknown method 'prunin'"),
        ("year:abc", "error: invalid year 'abc'"),
    ],
)
def test_bad_search_queries_are_usage_errors(db: list[str], query: str, message: str) -> None:
    assert usage_error("search", *db, query).startswith(message)


def test_search_needs_a_query(db: list[str]) -> None:
    assert "QUERY" in usage_error("search", *db)


# --- scc show ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "dphubert",
        "2305.17651",
        "2305.17651v3",
        "arXiv:2305.17651",
        "https://arxiv.org/abs/2305.17651",
    ],
)
def test_show_by_id_or_arxiv_id(db: list[str], key: str) -> None:
    out = ok("show", *db, key)
    fields = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in out.splitlines())
    assert fields["id"] == "dphubert"
    assert fields["title"] == PAPERS[0]["title"]
    assert fields["authors"] == ", ".join(PAPERS[0]["authors"])
    assert fields["year"] == "2023"
    assert fields["venue"] == "INTERSPEECH"
    assert fields["venue url"] == PAPERS[0]["venue_url"]
    assert "https://arxiv.org/abs/2305.17651" in fields["arXiv"]
    assert "https://doi.org/10.21437/Interspeech.2023-1213" in fields["DOI"]
    assert fields["code"] == PAPERS[0]["code"]
    assert fields["methods"] == "distillation, pruning"
    assert fields["models"] == "HuBERT, WavLM"
    assert fields["published"] == "2023-05-28"
    assert fields["summary"] == PAPERS[0]["summary"]


def test_show_leaves_out_fields_a_paper_does_not_have(db: list[str]) -> None:
    out = ok("show", *db, "q-asr")
    labels = [re.split(r"\s{2,}", line)[0] for line in out.splitlines()]
    assert "DOI" not in labels and "code" not in labels and "venue url" not in labels
    assert "arXiv" in labels


def test_show_json_is_the_full_record(db: list[str]) -> None:
    for paper in PAPERS:
        assert json.loads(ok("show", *db, paper["id"], "--format", "json")) == record(paper)


def test_show_unknown_id_suggests_a_close_one(db: list[str]) -> None:
    lines = usage_error("show", *db, "dphubrt").splitlines()
    assert lines == [
        "error: no paper with id or arXiv id 'dphubrt'",
        "hint: did you mean 'dphubert'?",
    ]


def test_show_unknown_format(db: list[str]) -> None:
    assert usage_error("show", *db, "dphubert", "--format", "xml").startswith(
        "error: unknown format 'xml'"
    )


# --- scc stats -----------------------------------------------------------------------------------


def _counts(papers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total": len(papers),
        "years": Counter(str(p["year"]) for p in papers),
        "venues": Counter(p["venue"] for p in papers),
        "methods": Counter(m for p in papers for m in p["methods"]),
        "models": Counter(m for p in papers for m in p.get("models", [])),
    }


def test_stats_json_counts_papers_per_year_venue_method_and_model(db: list[str]) -> None:
    data = json.loads(ok("stats", *db, "--format", "json"))
    assert data == {k: dict(v) if isinstance(v, Counter) else v for k, v in _counts(PAPERS).items()}
    assert list(data["years"]) == sorted(data["years"], reverse=True)  # newest year first
    assert list(data["methods"].values()) == sorted(data["methods"].values(), reverse=True)


def test_stats_with_filters(db: list[str]) -> None:
    data = json.loads(ok("stats", *db, "--method", "quantization", "-f", "json"))
    kept = [p for p in PAPERS if "quantization" in p["methods"]]
    assert data["total"] == len(kept)
    assert data["years"] == dict(Counter(str(p["year"]) for p in kept))


def test_stats_plain_lists_every_count(db: list[str]) -> None:
    out = ok("stats", *db)
    assert out.splitlines()[0] == f"{len(PAPERS)} papers"
    for title in ("Papers per year", "Papers per venue", "Papers per method", "Papers per model"):
        assert title in out.splitlines()
    rows = {}
    for line in out.splitlines():
        match = re.fullmatch(r"  (.+?)\s+(\d+)  #+", line)
        if match:
            rows.setdefault(match[1], int(match[2]))
    counts = _counts(PAPERS)
    for key in ("years", "venues", "methods", "models"):
        for label, n in counts[key].items():
            assert rows[label] == n, label


def test_stats_table(db: list[str]) -> None:
    out = ok("stats", *db, "--format", "table")
    assert "Papers per model" in out and "█" in out


def test_stats_rejects_csv(db: list[str]) -> None:
    assert usage_error("stats", *db, "--format", "csv").startswith("error: unknown format 'csv'")


# --- scc info: which catalog ---------------------------------------------------------------------


def info_fields(out: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_info_with_db(mini: Path) -> None:
    fields = info_fields(ok("info", "--db", str(mini)))
    assert fields["catalog"] == str(mini)
    assert fields["chosen by"] == "--db"
    assert fields["title"] == RAW["catalog"]["title"]
    assert fields["papers"] == f"{len(PAPERS)}, 2021-2023"


def test_info_with_scc_db(mini: Path) -> None:
    fields = info_fields(ok("info", env={"SCC_DB": str(mini)}))
    assert (fields["catalog"], fields["chosen by"]) == (str(mini), "$SCC_DB")


def test_db_option_beats_scc_db(mini: Path, tmp_path: Path) -> None:
    fields = info_fields(ok("info", "--db", str(mini), env={"SCC_DB": str(tmp_path / "x.toml")}))
    assert fields["chosen by"] == "--db"


def test_info_uses_data_papers_toml_in_the_current_folder(
    mini: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "proj" / "data").mkdir(parents=True)
    shutil.copy(mini, tmp_path / "proj" / "data" / "papers.toml")
    monkeypatch.chdir(tmp_path / "proj")
    fields = info_fields(ok("info"))
    assert fields["catalog"] == os.path.join("data", "papers.toml")
    assert fields["chosen by"] == "./data/papers.toml"
    assert fields["papers"].startswith(f"{len(PAPERS)},")
    # and $SCC_DB beats the local file
    other = tmp_path / "other.toml"
    other.write_text('[catalog]\ntitle = "Other"\n')
    fields = info_fields(ok("info", env={"SCC_DB": str(other)}))
    assert (fields["chosen by"], fields["title"], fields["papers"]) == ("$SCC_DB", "Other", "0")


def test_info_without_db_in_an_empty_folder_reports_the_bundled_catalog(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundled = Path(__file__).resolve().parents[1] / "data" / "papers.toml"
    monkeypatch.chdir(tmp_path)
    fields = info_fields(ok("info"))
    # The packaged copy (a wheel install) or the checkout's file (a dev install).
    assert Path(fields["catalog"]).read_bytes() == bundled.read_bytes()
    assert fields["chosen by"] == "bundled"
    count = len(tomllib.loads(bundled.read_text(encoding="utf-8")).get("papers", []))
    assert fields["papers"].split(",")[0] == str(count)


def test_missing_catalog_from_scc_db_exits_4(tmp_path: Path) -> None:
    result = run("info", env={"SCC_DB": str(tmp_path / "gone.toml")})
    assert result.exit_code == 4
    assert result.stderr.splitlines()[0] == f"error: catalog not found: {tmp_path / 'gone.toml'}"


# --- scc cache and --version ---------------------------------------------------------------------


def test_cache_path_is_the_cache_dir() -> None:
    assert ok("cache", "path") == os.environ["SCC_CACHE_DIR"] + "\n"


def test_cache_clear_removes_the_index(db: list[str]) -> None:
    ok("list", *db)
    folder = Path(os.environ["SCC_CACHE_DIR"]) / "catalogs"
    assert len(list(folder.glob("*.sqlite"))) == 1
    assert ok("cache", "clear") == f"removed 1 cached file from {os.environ['SCC_CACHE_DIR']}\n"
    assert list(folder.glob("*.sqlite")) == []
    assert ok("cache", "clear").startswith("removed 0 cached files")
    assert ok("list", *db)  # still works, and caches again


def test_cache_needs_a_known_action() -> None:
    assert usage_error("cache", "purge").startswith("error: unknown cache action 'purge'")
    assert usage_error("cache")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    assert ok(flag) == f"scc {__version__}\n"


# --- on a real terminal --------------------------------------------------------------------------


def run_in_terminal(args: list[str], **env: str) -> str:
    """Run scc with its stdout on a pseudo-terminal; return what it printed there."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    environ = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200", "TERM": "xterm", **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "speechcompress", *args],
        stdout=slave,
        stderr=subprocess.PIPE,
        env=environ,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_terminal_gets_a_colour_table_and_no_color_gets_plain_text(mini: Path) -> None:
    table = run_in_terminal(["list", "--db", str(mini)])
    assert "\x1b[" in table and "━" in table
    assert "ID  YEAR" not in table
    plain = run_in_terminal(["list", "--db", str(mini)], NO_COLOR="1")
    assert "\x1b[" not in plain
    assert plain.splitlines()[0].split() == ["ID", "YEAR", "VENUE", "METHODS", "TITLE"]
    assert plain == ok("list", "--db", str(mini))


# --- narrow terminals ----------------------------------------------------------------------------


ROOT_CATALOG = Path(__file__).resolve().parents[1] / "data" / "papers.toml"


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("command", [["list", "--year", "2025.."], ["search", "speech"]])
def test_a_narrow_table_keeps_every_title_word_whole(columns: int, command: list[str]) -> None:
    out = ok(*command, "--db", str(ROOT_CATALOG), "-f", "table", env={"COLUMNS": str(columns)})
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines)
    assert "…" not in out  # nothing cut short, ids included (they fold instead)
    shown = [w for line in lines[2:] for w in line.rsplit("│", 1)[-1].split()]
    raw = tomllib.loads(ROOT_CATALOG.read_text(encoding="utf-8"))["papers"]
    words = {w for p in raw for w in p["title"].split()}
    assert len(shown) > 50 and set(shown) <= words  # each one whole, none broken
    if command[0] == "list":
        assert Counter(shown) == Counter(
            w for p in raw if p["year"] >= 2025 for w in p["title"].split()
        )


# --- search by identifier ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "2305.17651",
        "2305.17651v2",
        "arXiv:2305.17651",
        "https://arxiv.org/abs/2305.17651v2",
        "https://arxiv.org/pdf/2305.17651",
        "10.21437/Interspeech.2023-1213",
        "10.21437/interspeech.2023-1213",
        "doi:10.21437/Interspeech.2023-1213",
        "https://doi.org/10.21437/Interspeech.2023-1213",
    ],
)
def test_search_by_arxiv_id_or_doi_finds_the_paper(db: list[str], query: str) -> None:
    rows = ok("search", *db, query, "-f", "plain").splitlines()
    assert [r.split()[0] for r in rows] == ["ID", "dphubert"]
    data = json.loads(ok("search", *db, query, "-f", "json"))
    assert [p["id"] for p in data] == ["dphubert"] and data[0]["authors"]


def test_search_for_an_unknown_arxiv_id_finds_nothing_and_exits_1(db: list[str]) -> None:
    result = run("search", *db, "2401.99999")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "no papers match '2401.99999'\n"


def test_a_catalog_whose_name_is_not_utf8_still_works(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"\xff-catalog.toml")
    shutil.copy(FIXTURES / "mini.toml", path)
    for args in (["list", "-f", "plain"], ["search", "pruning", "-f", "plain"], ["stats"]):
        result = run(*args, "--db", str(path))
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert "dphubert" in run("list", "--db", str(path), "-f", "plain").stdout
    missing = run("list", "--db", str(tmp_path / os.fsdecode(b"\xfe.toml")))
    assert missing.exit_code == 4 and missing.stderr.startswith("error: catalog not found")


def test_show_as_bibtex_is_what_cite_prints(db: list[str]) -> None:
    shown = run("show", "dphubert", "--format", "bibtex", *db)
    cited = run("cite", "dphubert", *db)
    assert shown.exit_code == cited.exit_code == 0, shown.stderr
    assert shown.stdout == cited.stdout
    assert shown.stdout.startswith("@inproceedings{peng2023dphubert,")
