"""What a user sees from `scc refresh --source ...`, against local servers on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run
from sources_server import CATALOG, NOT_FOUND, Answer, SourcesServer, fixture
from speechcompress import load_catalog

DPH_DBLP = "/search/publ/api"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    target = tmp_path / "papers.toml"
    shutil.copy(CATALOG, target)
    return target


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_SOURCES_DELAY", "0")


# --- refresh -----------------------------------------------------------------------------


def servers() -> SourcesServer:
    return SourcesServer(
        {
            DPH_DBLP: [fixture("dblp_dphubert.json")],
            "/works": [fixture("crossref_two_pass.json")],
            "/graph/v1/paper/arXiv:2207.00555": [fixture("s2_fithubert.json")],
        }
    )


def test_refresh_from_dblp_proposes_and_writes_with_write(cat: Path) -> None:
    with SourcesServer({DPH_DBLP: [NOT_FOUND]}) as server:
        server.routes[DPH_DBLP] = [fixture("dblp_dphubert.json")]
        env = server.env()
        result = run("refresh", "dphubert", "--source", "dblp", "--db", str(cat), env=env)
        assert result.exit_code == 0, result.output
        assert "venue *" in result.stdout and "arXiv -> INTERSPEECH" in result.stdout
        assert "same title, shared author 'peng'" in result.stdout
        check = run("refresh", "dphubert", "--source", "dblp", "--check", "--db", str(cat), env=env)
        assert check.exit_code == 1
        written = run(
            "refresh", "dphubert", "--source", "dblp", "--write", "--db", str(cat), env=env
        )
        assert written.exit_code == 0, written.output
    paper = load_catalog(cat, use_cache=False).find("dphubert")
    assert paper is not None
    assert (paper.venue, paper.year, paper.doi, paper.venue_url) == (
        "INTERSPEECH",
        2023,
        "10.21437/INTERSPEECH.2023-1213",
        "https://doi.org/10.21437/Interspeech.2023-1213",
    )


def test_refresh_json_lists_each_proposal_with_source_and_evidence(cat: Path) -> None:
    with servers() as server:
        result = run(
            "refresh",
            "two-pass-asr-compression",
            "fithubert",
            "--source",
            "crossref,s2",
            "--format",
            "json",
            "--db",
            str(cat),
            env=server.env(),
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {(p["id"], p["field"]): p for p in data["proposals"]}
    assert rows["two-pass-asr-compression", "venue"]["new"] == "ASRU"
    assert rows["two-pass-asr-compression", "venue"]["source"] == "crossref"
    assert rows["two-pass-asr-compression", "year"] == {
        "id": "two-pass-asr-compression",
        "field": "year",
        "old": 2022,
        "new": 2021,
        "source": "crossref",
        "action": "fill",
        "evidence": rows["two-pass-asr-compression", "year"]["evidence"],
    }
    assert rows["fithubert", "venue_url"]["action"] == "diff"
    assert rows["fithubert", "doi"]["source"] == "semanticscholar"
    assert data["sources"] == ["crossref", "semanticscholar"]


def test_a_differing_value_is_written_only_with_overwrite(cat: Path) -> None:
    with servers() as server:
        env = server.env()
        args = ("refresh", "fithubert", "--source", "semanticscholar", "--db", str(cat))
        assert run(*args, "--write", env=env).exit_code == 0
        paper = load_catalog(cat, use_cache=False).find("fithubert")
        assert paper is not None and paper.doi == "10.21437/Interspeech.2022-11112"
        assert paper.venue_url == "https://lab.example.org/papers/fithubert"
        assert run(*args, "--write", "--overwrite", env=env).exit_code == 0
    paper = load_catalog(cat, use_cache=False).find("fithubert")
    assert paper is not None
    assert paper.venue_url == "https://doi.org/10.21437/Interspeech.2022-11112"
    assert "# a secondary page" in cat.read_text(encoding="utf-8")  # the comment is kept


def test_a_source_that_fails_is_named_and_exits_5(cat: Path) -> None:
    with SourcesServer({DPH_DBLP: [Answer(200, b"{not json")]}) as server:
        result = run("refresh", "dphubert", "--source", "dblp", "--db", str(cat), env=server.env())
    assert result.exit_code == 5
    assert "error: DBLP at http://127.0.0.1" in result.stderr
    assert "malformed JSON" in result.stderr


def test_an_unknown_source_is_a_usage_error_with_a_suggestion(cat: Path) -> None:
    result = run("refresh", "--source", "dblb", "--db", str(cat))
    assert result.exit_code == 2
    assert "unknown source 'dblb'" in result.stderr and "did you mean 'dblp'" in result.stderr


def test_refresh_with_arxiv_and_dblp_reports_both(cat: Path) -> None:
    from arxiv_server import ArxivServer, atom_entry

    entry = atom_entry(
        "2305.17651",
        "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models",
        authors=("Yifan Peng",),
    )
    with ArxivServer({"2305.17651": entry}) as arxiv, servers() as server:
        env = {**server.env(), "SCC_ARXIV_API": arxiv.url, "SCC_ARXIV_DELAY": "0"}
        result = run(
            "refresh",
            "dphubert",
            "--source",
            "arxiv,dblp",
            "--format",
            "json",
            "--db",
            str(cat),
            env=env,
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sources"] == ["arxiv", "dblp"]
    assert {p["field"] for p in data["proposals"]} == {"venue", "doi", "venue_url"}
    assert [r["reason"] for r in data["rejected"]] == ["a preprint, not a published version"]


def test_refresh_waits_out_a_429_and_gives_up_on_a_source_that_hangs(cat: Path) -> None:
    busy = Answer(429, b"", (("Retry-After", "0"),))
    with SourcesServer({DPH_DBLP: [busy, fixture("dblp_dphubert.json")]}) as server:
        result = run("refresh", "dphubert", "--source", "dblp", "--db", str(cat), env=server.env())
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 2
    slow = Answer(200, b"{}", delay=2.0)
    with SourcesServer({"/works": [slow]}) as server:
        env = {**server.env(), "SCC_SOURCES_TIMEOUT": "0.2", "SCC_SOURCES_RETRIES": "0"}
        result = run(
            "refresh", "two-pass-asr-compression", "--source", "crossref", "--db", str(cat), env=env
        )
    assert result.exit_code == 5
    assert f"error: Crossref at {server.url} failed:" in result.stderr
