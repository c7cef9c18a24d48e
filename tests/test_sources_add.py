"""What a user sees from `scc add` with a DOI or a DBLP or OpenReview URL, against local
servers on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run
from sources_server import CATALOG, FIXTURES, Answer, SourcesServer, fixture
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


# --- add ---------------------------------------------------------------------------------


def test_add_a_doi_through_crossref(cat: Path) -> None:
    doi_path = "/works/10.21437/Interspeech.2023-1213"
    with SourcesServer({doi_path: [fixture("crossref_doi_dphubert.json")]}) as server:
        # The test catalog has dphubert as a preprint: same title, so refused.
        dup = run(
            "add",
            "https://doi.org/10.21437/Interspeech.2023-1213",
            "--yes",
            "--db",
            str(cat),
            env=server.env(),
        )
        assert dup.exit_code == 6, dup.output
        assert "already in the catalog as 'dphubert' (same title)" in dup.stderr
        other = cat.parent / "other.toml"
        other.write_text('[catalog]\ntitle = "Other"\n', encoding="utf-8")
        added = run(
            "add",
            "10.21437/Interspeech.2023-1213",
            "--yes",
            "--db",
            str(other),
            env=server.env(),
        )
        assert added.exit_code == 0, added.output
    (paper,) = load_catalog(other, use_cache=False).papers
    assert (paper.id, paper.venue, paper.year) == ("dphubert", "INTERSPEECH", 2023)
    assert paper.doi == "10.21437/interspeech.2023-1213"
    assert paper.venue_url == "https://doi.org/10.21437/interspeech.2023-1213"


def test_add_a_doi_that_does_not_exist(cat: Path) -> None:
    with SourcesServer({}) as server:
        result = run(
            "add", "10.21437/Interspeech.2023-99999", "--yes", "--db", str(cat), env=server.env()
        )
    assert result.exit_code == 2
    assert "no paper has the DOI 10.21437/Interspeech.2023-99999" in result.stderr


def test_add_refuses_a_page_it_cannot_read_and_says_what_to_pass(cat: Path) -> None:
    url = "https://www.isca-archive.org/pdfs/interspeech_2023/peng23c_interspeech.pdf"
    result = run("add", url, "--db", str(cat))
    assert result.exit_code == 2
    assert "pass the paper's DOI instead" in result.stderr


def test_add_a_dblp_record_url(cat: Path) -> None:
    record = Answer(
        200,
        (FIXTURES / "dblp_rec_dphubert.xml").read_bytes(),
        (("Content-Type", "application/xml"),),
    )
    other = cat.parent / "other.toml"
    other.write_text('[catalog]\ntitle = "Other"\n', encoding="utf-8")
    with SourcesServer({"/rec/conf/interspeech/Example23.xml": [record]}) as server:
        result = run(
            "add",
            "https://dblp.org/rec/conf/interspeech/Example23.html",
            "--method",
            "pruning",
            "--yes",
            "--db",
            str(other),
            env=server.env(),
        )
    assert result.exit_code == 0, result.output
    (paper,) = load_catalog(other, use_cache=False).papers
    assert (paper.venue, paper.year, paper.methods) == ("INTERSPEECH", 2023, ("pruning",))
    assert paper.venue_url == "https://doi.org/10.21437/Interspeech.2023-1213"


def test_add_an_openreview_forum_falls_back_to_the_legacy_api(cat: Path) -> None:
    other = cat.parent / "other.toml"
    other.write_text('[catalog]\ntitle = "Other"\n', encoding="utf-8")
    empty = Answer(200, b'{"notes": [], "count": 0}')
    routes = {"/v2/notes": [empty], "/v1/notes": [fixture("openreview_audio_lottery_v1.json")]}
    with SourcesServer(routes) as server:
        env = {
            **server.env(),
            "SCC_OPENREVIEW_API": server.url + "/v2",
            "SCC_OPENREVIEW_V1_API": server.url + "/v1",
        }
        result = run(
            "add",
            "https://openreview.net/forum?id=9Nk6AJkVYB",
            "--yes",
            "--db",
            str(other),
            env=env,
        )
        assert result.exit_code == 0, result.output
        assert [r.params["id"] for r in server.requests] == [["9Nk6AJkVYB"], ["9Nk6AJkVYB"]]
    (paper,) = load_catalog(other, use_cache=False).papers
    assert (paper.venue, paper.year, paper.doi) == ("ICLR", 2022, None)
    assert paper.venue_url == "https://openreview.net/forum?id=9Nk6AJkVYB"
    assert paper.methods == ()  # no method keyword in the title: --method sets them
