"""``scc check`` and ``scc check --links`` as a user runs them: output and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typer.main
from typer.testing import CliRunner

from link_server import LinkServer, Reply, closed_port, redirect
from speechcompress.cli import cmd_check
from speechcompress.cli.app import app

runner = CliRunner()
FAST = [
    "--timeout",
    "0.3",
    "--retries",
    "1",
    "--backoff",
    "0",
    "--interval",
    "0",
    "--allow-private",
]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """arXiv answers from a fake (and a dead address should anything slip by)."""
    monkeypatch.setenv("SCC_ARXIV_API", f"http://127.0.0.1:{closed_port()}/api/query")
    monkeypatch.setattr(cmd_check, "_arxiv_lookup", lambda use_cache: FakeArxiv())


class FakeArxiv:
    calls: ClassVar[list[list[str]]] = []

    def existing_ids(self, ids: list[str]) -> set[str]:
        FakeArxiv.calls.append(list(ids))
        return {"2305.17651"} & set(ids)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- offline ---------------------------------------------------------------------------


def test_a_healthy_catalog_passes_with_its_warnings(mini: Path) -> None:
    code, out, _ = invoke("check", "--db", str(mini))
    assert code == 0
    assert "Warnings (1)" in out
    assert "[robustdistiller] no venue_url" in out
    assert out.endswith("0 errors, 1 warning in 5 papers\n")


def test_check_writes_no_index_and_then_reads_one(mini: Path) -> None:
    cache = Path(os.environ["SCC_CACHE_DIR"])
    code, first, _ = invoke("check", "--db", str(mini))
    assert code == 0 and not list(cache.rglob("*.sqlite"))  # a check leaves nothing behind
    assert invoke("list", "--db", str(mini))[0] == 0
    assert len(list(cache.rglob("*.sqlite"))) == 1  # list indexes the catalog
    code, again, _ = invoke("check", "--db", str(mini))  # now checked from that index
    assert code == 0 and again == first


def test_strict_fails_on_warnings(mini: Path) -> None:
    assert invoke("check", "--db", str(mini), "--strict")[0] == 1


def test_errors_exit_1_and_show_where(mini: Path) -> None:
    text = mini.read_text(encoding="utf-8")
    mini.write_text(
        text.replace('arxiv = "2302.09437"', 'arxiv = "2305.17651v3"'), encoding="utf-8"
    )
    code, out, _ = invoke("check", "--db", str(mini))
    assert code == 1
    line = next(i for i, s in enumerate(mini.read_text().splitlines(), 1) if "v3" in s)
    assert f"{mini}:{line} [robustdistiller] same arXiv id as 'dphubert'" in out
    assert "has a version suffix; write '2305.17651'" in out


def test_github_format_annotates_the_diff(mini: Path) -> None:
    code, out, err = invoke("check", "--db", str(mini), "--format", "github")
    assert code == 0
    assert out.startswith(f"::warning file={mini},line=")
    assert ",title=robustdistiller%3A missing venue link::no venue_url" in out
    assert "scc check: 0 errors, 1 warning in 5 papers" in err


def test_json_format(mini: Path) -> None:
    code, out, _ = invoke("check", "--db", str(mini), "-f", "json")
    data = json.loads(out)
    assert (code, data["papers"], data["errors"], data["warnings"]) == (0, 5, 0, 1)
    assert data["findings"][0]["rule"] == "venue-url"


def broken_toml(mini: Path) -> tuple[int, int]:
    """Append an unclosed table header; return its (line, col) as tomli reports them."""
    text = mini.read_text(encoding="utf-8") + "\n[[papers]\n"
    mini.write_text(text, encoding="utf-8")
    return text.count("\n"), len("[[papers]")


def test_toml_syntax_error_exits_3_with_one_line_on_stderr(mini: Path) -> None:
    line, col = broken_toml(mini)
    code, out, err = invoke("check", "--db", str(mini))
    assert (code, out) == (3, "")
    assert err.splitlines() == [
        f"error: {mini}:{line}:{col}: TOML syntax error: "
        "Expected ']]' at the end of an array declaration",
        "hint: often an unclosed quote or bracket, or a key set twice, at or just before that spot",
    ]


def test_toml_syntax_error_is_a_json_finding(mini: Path) -> None:
    line, col = broken_toml(mini)
    code, out, err = invoke("check", "--db", str(mini), "--format", "json")
    assert (code, err) == (3, "")
    data = json.loads(out)
    assert (data["papers"], data["errors"], data["warnings"]) == (None, 1, 0)
    [finding] = data["findings"]
    assert finding["rule"] == "syntax"
    assert (finding["file"], finding["line"], finding["col"]) == (str(mini), line, col)
    assert finding["message"].startswith("TOML syntax error: Expected ']]'")
    assert "unclosed quote" in finding["hint"]


def test_toml_syntax_error_is_a_github_annotation(mini: Path) -> None:
    line, col = broken_toml(mini)
    code, out, err = invoke("check", "--db", str(mini), "--format", "github")
    assert code == 3
    assert out.startswith(
        f"::error file={mini},line={line},col={col},title=not valid TOML"
        "::TOML syntax error: Expected ']]' at the end of an array declaration%0Afix: "
    )
    assert out.count("\n") == 1
    assert "scc check: 1 error, 0 warnings" in err


def test_a_catalog_that_is_not_utf8_is_annotated_too(mini: Path) -> None:
    mini.write_bytes(b'[catalog]\ntitle = "\xff"\n')
    code, out, _ = invoke("check", "--db", str(mini), "--format", "github")
    assert code == 3
    assert out.startswith(f"::error file={mini},line=2,title=not valid TOML::not UTF-8 text")


def test_help_groups_link_options_by_their_wording_and_shows_no_click_metavars() -> None:
    command: Any = typer.main.get_command(app)
    check = command.commands["check"]
    link_only = {p.name for p in check.params if (p.help or "").startswith("With --links: ")}
    assert link_only == set(cmd_check._LINK_ONLY)
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert not re.search(r"<[a-z ]+>|\b(INTEGER|FLOAT|TEXT)\b", result.stdout), result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown format 'xml'"),
        (["--timeout", "3"], "--timeout applies only with --links"),
        (["--all"], "--all applies only with --links"),
        (["--links", "--strict"], "--strict applies to the offline checks"),
        (["--links", "--format", "text"], "unknown format 'text'"),
        (["--links", "--max-age", "soon"], "--max-age: 'soon' is not a duration"),
        (["--links", "--exclude", "("], "--exclude '(' is not a regular expression"),
        (["--links", "--fail-on", "dead,bad"], "--fail-on: unknown kind 'bad'"),
    ],
)
def test_usage_errors_exit_2(mini: Path, args: list[str], message: str) -> None:
    code, _, err = invoke("check", "--db", str(mini), *args)
    assert code == 2
    assert message in err


def test_offline_check_does_not_import_httpx(mini: Path) -> None:
    code = (
        "import sys\nfrom speechcompress.cli.app import app\n"
        f"try:\n    app(['check', '--db', {str(mini)!r}])\nexcept SystemExit:\n    pass\n"
        "print('httpx' in sys.modules)"
    )
    src = Path(__file__).parents[1] / "src"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src), "PATH": ""},
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "False", done.stderr


# --- links -----------------------------------------------------------------------------

ROUTES = {
    "/ok": Reply(200),
    "/moved": redirect(301, "/ok"),
    "/loop": redirect(302, "/loop"),
    "/gone": Reply(404),
    "/busy": [Reply(429, {"Retry-After": "0"}), Reply(200)],
    "/down": Reply(503),
    "/forbidden": Reply(403),
}


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer(ROUTES) as running:
        yield running


def paper(pid: str, url: str, arxiv: str | None = None) -> str:
    extra = f'arxiv = "{arxiv}"\n' if arxiv else ""
    return (
        f'[[papers]]\nid = "{pid}"\ntitle = "Paper {pid}"\nyear = 2023\nvenue = "ICASSP"\n'
        f'venue_url = "{url}"\n{extra}\n'
    )


@pytest.fixture
def linked(tmp_path: Path, server: LinkServer) -> Path:
    path = tmp_path / "papers.toml"
    path.write_text(
        '[catalog]\ntitle = "Links"\ndescription = "Mirror: [ftp](ftp://127.0.0.1/list)."\n\n'
        + paper("good", server.url("/ok"), arxiv="2305.17651")
        + paper("moved", server.url("/moved"), arxiv="2399.00001")
        + paper("loop", server.url("/loop"))
        + paper("gone", server.url("/gone"))
        + paper("busy", server.url("/busy"))
        + paper("down", server.url("/down"))
        + paper("forbidden", server.url("/forbidden"))
        + paper("refused", f"http://127.0.0.1:{closed_port()}/x"),
        encoding="utf-8",
    )
    return path


def test_links_table_and_exit_1_on_dead_links(linked: Path, server: LinkServer) -> None:
    code, out, _ = invoke("check", "--links", "--db", str(linked), *FAST)
    assert code == 1
    table = out.split("\n\n")[0].splitlines()
    assert table[0].split() == ["STATUS", "CODE", "WHERE", "PAPER", "DETAIL", "URL"]
    # Worst first; ok and skipped links are left out of the table.
    assert [(row.split()[0], row.split()[3]) for row in table[1:]] == [
        ("dead", "moved"),
        ("dead", "gone"),
        ("error", "loop"),
        ("error", "down"),
        ("error", "refused"),
        ("blocked", "forbidden"),
        ("redirected", "moved"),
    ]
    assert "arXiv has no paper 2399.00001" in out  # moved also has a missing arXiv id
    assert "404 Not Found" in out and "redirect loop" in out and "connection refused" in out
    assert out.rstrip().endswith(
        "11 links: 2 dead, 3 errors, 1 blocked, 1 redirected, 3 ok, 1 skipped"
    )
    assert FakeArxiv.calls[-1] == ["2305.17651", "2399.00001"]


def test_links_all_lists_ok_and_skipped_too(linked: Path) -> None:
    _, out, _ = invoke("check", "--links", "--db", str(linked), *FAST, "--all")
    assert "not an http(s) link (ftp:)" in out
    assert "listed by the arXiv API" in out


def test_links_json(linked: Path, server: LinkServer) -> None:
    code, out, _ = invoke("check", "--links", "--db", str(linked), *FAST, "--format", "json")
    data = json.loads(out)
    status = {r["url"]: r["status"] for r in data["results"]}
    assert code == 1
    assert status[server.url("/ok")] == "ok"
    assert status[server.url("/moved")] == "redirected"
    assert status[server.url("/busy")] == "ok"  # 429 with Retry-After, then 200
    assert status[server.url("/gone")] == "dead"
    assert status["ftp://127.0.0.1/list"] == "skipped"
    moved = next(r for r in data["results"] if r["url"] == server.url("/moved"))
    assert moved["final_url"] == server.url("/ok")
    assert moved["occurrences"][0]["paper_id"] == "moved"
    assert data["summary"]["dead"] == 2


def test_links_markdown_report(linked: Path, server: LinkServer) -> None:
    _, out, _ = invoke("check", "--links", "--db", str(linked), *FAST, "-f", "markdown")
    assert out.startswith("## Link check\n\n11 links: 2 dead")
    assert "### Dead links (2)" in out
    assert f"| `gone` (venue_url) | <{server.url('/gone')}> | 404 Not Found |" in out
    assert "### Moved links (update them) (1)" in out
    assert f"now at <{server.url('/ok')}>" in out


def test_links_github_annotations(linked: Path) -> None:
    _, out, err = invoke("check", "--links", "--db", str(linked), *FAST, "-f", "github")
    assert f"::error file={linked},line=" in out
    assert "title=gone%3A venue_url link dead::dead" in out
    assert "::warning " in out  # errors and blocked links are warnings by default
    assert "scc check --links: 11 links" in err


def test_fail_on_chooses_what_fails(linked: Path) -> None:
    assert invoke("check", "--links", "--db", str(linked), *FAST, "--fail-on", "none")[0] == 0
    assert (
        invoke(
            "check",
            "--links",
            "--db",
            str(linked),
            *FAST,
            "--exclude",
            "gone",
            "--exclude",
            "arxiv",
        )[0]
        == 0
    )
    assert (
        invoke(
            "check",
            "--links",
            "--db",
            str(linked),
            *FAST,
            "--exclude",
            "gone",
            "--exclude",
            "arxiv",
            "--fail-on",
            "error,blocked",
        )[0]
        == 1
    )


def test_private_links_are_skipped_without_allow_private(linked: Path, server: LinkServer) -> None:
    code, out, _ = invoke(
        "check", "--links", "--db", str(linked), "--timeout", "0.3", "--exclude", "arxiv"
    )
    assert code == 0
    assert "11 skipped" in out
    assert sum(server.hits.values()) == 0


def test_results_are_cached_between_runs(linked: Path, server: LinkServer) -> None:
    invoke("check", "--links", "--db", str(linked), *FAST)
    per_run = server.hits["HEAD", "/ok"]  # /ok itself and the end of /moved's redirect
    _, out, _ = invoke("check", "--links", "--db", str(linked), *FAST)
    assert server.hits["HEAD", "/ok"] == per_run
    assert "from cache)" in out
    invoke("check", "--links", "--db", str(linked), *FAST, "--no-cache")
    assert server.hits["HEAD", "/ok"] == 2 * per_run
    invoke("check", "--links", "--db", str(linked), *FAST, "--max-age", "0")
    assert server.hits["HEAD", "/ok"] == 3 * per_run


def test_no_network_at_all_exits_5(tmp_path: Path) -> None:
    path = tmp_path / "papers.toml"
    path.write_text(
        '[catalog]\ntitle = "T"\n\n'
        + "".join(paper(f"p{i}", f"http://127.0.0.1:{closed_port()}/") for i in range(5)),
        encoding="utf-8",
    )
    code, out, err = invoke("check", "--links", "--db", str(path), *FAST)
    assert code == 5
    assert "5 errors" in out
    assert "error: no link could be reached at all" in err


FEED = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query</title>
  <entry>
    <id>http://arxiv.org/abs/2305.17651v2</id>
    <title>DPHuBERT</title>
    <published>2023-05-28T12:00:00Z</published>
    <updated>2023-06-01T12:00:00Z</updated>
    <summary>An abstract.</summary>
    <author><name>Yifan Peng</name></author>
  </entry>
</feed>
"""


def test_arxiv_links_use_scc_arxiv_client_in_one_request(monkeypatch: pytest.MonkeyPatch) -> None:
    with LinkServer(
        {"/api/query": Reply(200, {"Content-Type": "application/atom+xml"}, body=FEED)}
    ) as api:
        monkeypatch.setenv("SCC_ARXIV_API", api.url("/api/query"))
        monkeypatch.setenv("SCC_ARXIV_DELAY", "0")
        lookup = cmd_check._ArxivIds(use_cache=False)
        assert lookup.existing_ids(["2305.17651", "2399.00001"]) == {"2305.17651"}
    assert api.hits == {("GET", "/api/query"): 1}
