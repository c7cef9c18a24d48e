"""`scc add` with an ISCA archive page: read from OpenAlex by that page (either host, http
or https), against a local server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import Result

from conftest import run
from sources_server import Answer, SourcesServer, data, fixture
from speechcompress import load_catalog

NEW_HOST = "https://www.isca-archive.org/interspeech_2023/peng23c_interspeech.html"
OLD_HOST = "https://www.isca-speech.org/archive/interspeech_2023/peng23c_interspeech.html"
KEY = "interspeech_2023/peng23c_interspeech"


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_SOURCES_DELAY", "0")


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """A catalog without DPHuBERT (the sources' test catalog holds it as a preprint)."""
    target = tmp_path / "other.toml"
    target.write_text('[catalog]\ntitle = "Other"\n', encoding="utf-8")
    return target


def add(url: str, db: Path, answer: Answer) -> tuple[Result, SourcesServer]:
    with SourcesServer({"/works": [answer]}) as server:
        result = run("add", url, "--yes", "--db", str(db), env={"SCC_OPENALEX_API": server.url})
    return result, server


def test_both_hosts_name_the_same_page() -> None:
    from speechcompress.resolve import isca_pages, parse_reference

    new, old = parse_reference(NEW_HOST), parse_reference(OLD_HOST)
    assert new is not None and (new.kind, new.key) == ("isca", KEY)
    assert old is not None and (old.kind, old.key) == ("isca", KEY)
    bare = parse_reference("http://isca-archive.org/Interspeech_2023/peng23c_interspeech")
    assert bare is not None and bare.key == KEY
    assert NEW_HOST in isca_pages(KEY) and OLD_HOST in isca_pages(KEY)
    assert "http://isca-speech.org/archive/" + KEY + ".html" in isca_pages(KEY)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.isca-archive.org/pdfs/interspeech_2023/peng23c_interspeech.pdf",
        "https://www.isca-archive.org/interspeech_2023/index.html",
        "https://www.isca-speech.org/archive/Interspeech_2018/abstracts/1110.html",
        "https://www.isca-speech.org/iscaweb/index.php",
    ],
)
def test_other_isca_pages_are_still_refused(url: str) -> None:
    from speechcompress.errors import UsageError
    from speechcompress.resolve import parse_reference

    with pytest.raises(UsageError, match=r"cannot read isca-(archive|speech)\.org pages"):
        parse_reference(url)


@pytest.mark.parametrize("url", [NEW_HOST, OLD_HOST], ids=["isca-archive.org", "isca-speech.org"])
def test_add_an_isca_page(url: str, other: Path) -> None:
    result, server = add(url, other, fixture("openalex_isca_dphubert.json"))
    assert result.exit_code == 0, result.output
    (request,) = server.requests
    assert request.path == "/works"
    (value,) = request.params["filter"]
    field, _, spellings = value.partition(":")
    assert field == "locations.landing_page_url"
    assert {NEW_HOST, OLD_HOST} <= set(spellings.split("|"))
    (paper,) = load_catalog(other, use_cache=False).papers
    assert (paper.id, paper.venue, paper.year) == ("dphubert", "INTERSPEECH", 2023)
    assert (
        paper.title == "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models"
    )
    assert paper.authors == ("Yifan Peng", "Yui Sudo", "Muhammad Shakeel", "Shinji Watanabe")
    assert paper.doi == "10.21437/interspeech.2023-1213"
    # The page OpenAlex holds, whichever spelling was typed.
    assert paper.venue_url == OLD_HOST


def test_an_isca_page_no_source_knows_is_refused(other: Path) -> None:
    empty = data({"meta": {"count": 0, "page": 1, "per_page": 5}, "results": []})
    result, _ = add(NEW_HOST, other, empty)
    assert result.exit_code == 2
    assert f"OpenAlex knows no paper at the ISCA archive page {NEW_HOST}" in result.stderr
    assert "pass the paper's DOI instead" in result.stderr
    assert load_catalog(other, use_cache=False).papers == ()


def test_a_work_without_that_page_among_its_locations_is_not_taken(other: Path) -> None:
    # LightHuBERT's work holds no ISCA page: an answer the filter should not have given.
    result, _ = add(NEW_HOST, other, fixture("openalex_lighthubert.json"))
    assert result.exit_code == 2
    assert "OpenAlex knows no paper at the ISCA archive page" in result.stderr


def test_two_papers_at_one_isca_page_are_not_guessed_between(other: Path) -> None:
    import json

    from sources_server import FIXTURES

    answer = json.loads((FIXTURES / "openalex_isca_dphubert.json").read_text(encoding="utf-8"))
    # A made-up second work at the same page (its DOI names no paper).
    twin = dict(answer["results"][0], doi="https://doi.org/10.21437/interspeech.2023-99999")
    answer["results"].append(twin)
    result, _ = add(OLD_HOST, other, data(answer))
    assert result.exit_code == 2
    assert f"OpenAlex has 2 different papers at the ISCA archive page {OLD_HOST}" in result.stderr
