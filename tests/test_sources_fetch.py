"""The sources' HTTP: pace, retries, timeouts, bad answers and the cache, on 127.0.0.1."""

from __future__ import annotations

import pytest

from sources_server import NOT_FOUND, Answer, SourcesServer, fixture
from speechcompress.errors import NetworkError, UsageError
from speechcompress.net.sources import make_source
from speechcompress.net.sources.base import Query

DPH = Query(
    "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models",
    "Yifan Peng",
    2023,
    "2305.17651",
)


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_SOURCES_DELAY", "0")


def point(monkeypatch: pytest.MonkeyPatch, server: SourcesServer) -> None:
    for name in ("SCC_DBLP_API", "SCC_CROSSREF_API", "SCC_OPENALEX_API", "SCC_S2_API"):
        monkeypatch.setenv(name, server.url)


def test_a_source_that_answers_429_then_200_is_retried_after_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy = Answer(429, b"", (("Retry-After", "2"),))
    waits: list[float] = []
    with SourcesServer({"/search/publ/api": [busy, fixture("dblp_dphubert.json")]}) as server:
        point(monkeypatch, server)
        source = make_source("dblp")
        source.fetcher.sleep = waits.append  # type: ignore[attr-defined]
        records = source.lookup(DPH)
    assert [r.venue for r in records] == ["INTERSPEECH", "CoRR"]
    assert waits == [2.0]
    assert server.requests[-1].params["format"] == ["json"]
    # Words only: punctuation could read as DBLP query operators.
    assert server.requests[-1].params["q"] == [
        "DPHuBERT Joint Distillation and Pruning of Self Supervised Speech Models"
    ]


def test_a_source_that_times_out_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_SOURCES_TIMEOUT", "0.3")
    monkeypatch.setenv("SCC_SOURCES_RETRIES", "1")
    slow = Answer(200, b"{}", delay=1.5)
    with SourcesServer({"/works": [slow]}) as server:
        point(monkeypatch, server)
        with pytest.raises(NetworkError) as caught:
            make_source("crossref").lookup(DPH)
    message = caught.value.message
    assert message.startswith(f"Crossref at {server.url} failed:")
    assert "after 2 attempts" in message
    assert len(server.requests) == 2


def test_malformed_json_is_a_network_error_naming_the_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SourcesServer({"/works": [Answer(200, b'{"results": [')]}) as server:
        point(monkeypatch, server)
        with pytest.raises(NetworkError, match=r"OpenAlex at .* sent malformed JSON"):
            make_source("openalex").lookup(DPH)
        with pytest.raises(NetworkError, match="sent an HTML page"):
            server.routes["/works"] = [Answer(200, b"<!DOCTYPE html><p>hi</p>")]
            make_source("openalex", use_cache=False).lookup(DPH)


def test_a_doi_that_does_not_exist_is_none_and_is_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SourcesServer({"/works/10.21437/Interspeech.2023-99999": [NOT_FOUND]}) as server:
        point(monkeypatch, server)
        assert make_source("crossref").by_doi("10.21437/Interspeech.2023-99999") is None
        assert make_source("crossref").by_doi("10.21437/Interspeech.2023-99999") is None
    assert len(server.requests) == 1  # the second answer came from the cache


def test_answers_are_cached_and_no_cache_asks_again(monkeypatch: pytest.MonkeyPatch) -> None:
    with SourcesServer({"/graph/v1/paper/arXiv:2207.00555": [fixture("s2_fithubert.json")]}) as s:
        point(monkeypatch, s)
        query = Query("FitHuBERT", arxiv="2207.00555")
        first = make_source("semanticscholar").lookup(query)
        again = make_source("semanticscholar").lookup(query)
        fresh = make_source("semanticscholar", use_cache=False).lookup(query)
    assert first == again == fresh
    assert len(s.requests) == 2


def test_politeness_mailto_user_agent_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_MAILTO", "lists@example.org")
    monkeypatch.setenv("SCC_S2_API_KEY", "k-123")
    with SourcesServer(
        {
            "/works": [fixture("crossref_two_pass.json")],
            "/graph/v1/paper/arXiv:2305.17651": [NOT_FOUND],
        }
    ) as server:
        point(monkeypatch, server)
        make_source("crossref").lookup(DPH)
        s2 = make_source("semanticscholar")
        assert s2.lookup(DPH) == []
    crossref_request, s2_request = server.requests
    assert crossref_request.params["mailto"] == ["lists@example.org"]
    assert crossref_request.params["query.author"] == ["Yifan Peng"]
    assert "mailto:lists@example.org" in crossref_request.headers["User-Agent"]
    assert s2_request.headers["x-api-key"] == "k-123"
    assert s2.fetcher.settings.min_interval == 0  # type: ignore[attr-defined]


def test_openalex_asks_by_arxiv_landing_page(monkeypatch: pytest.MonkeyPatch) -> None:
    with SourcesServer({"/works": [fixture("openalex_lighthubert.json")]}) as server:
        point(monkeypatch, server)
        (record,) = make_source("openalex").lookup(Query("LightHuBERT", arxiv="2203.15610"))
    assert record.found_by == "arXiv id"
    assert server.requests[0].params["filter"] == [
        "locations.landing_page_url:https://arxiv.org/abs/2203.15610|http://arxiv.org/abs/2203.15610"
    ]


def test_a_bad_api_url_or_number_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_DBLP_API", "dblp.org")
    with pytest.raises(UsageError, match=r"DBLP API URL 'dblp.org'") as caught:
        make_source("dblp")
    assert caught.value.hint == "fix or unset $SCC_DBLP_API"
    monkeypatch.delenv("SCC_DBLP_API")
    monkeypatch.setenv("SCC_SOURCES_RETRIES", "lots")
    with pytest.raises(UsageError, match=r"\$SCC_SOURCES_RETRIES"):
        make_source("dblp")


def test_default_paces_follow_each_services_guidance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCC_SOURCES_DELAY")
    paces = {
        n: make_source(n).fetcher.settings.min_interval
        for n in ("dblp", "crossref", "openalex", "semanticscholar")  # type: ignore[attr-defined]
    }
    assert paces == {"dblp": 2.0, "crossref": 1.0, "openalex": 1.0, "semanticscholar": 3.0}


def test_cache_clear_empties_the_sources_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    from pathlib import Path

    from conftest import run

    with SourcesServer({"/graph/v1/paper/arXiv:2207.00555": [fixture("s2_fithubert.json")]}) as s:
        point(monkeypatch, s)
        make_source("semanticscholar").lookup(Query("FitHuBERT", arxiv="2207.00555"))
    folder = Path(os.environ["SCC_CACHE_DIR"]) / "sources" / "semanticscholar"
    assert any(p.suffix == ".json" for p in folder.iterdir())
    assert run("cache", "clear").exit_code == 0
    assert not folder.exists() or not any(folder.iterdir())
