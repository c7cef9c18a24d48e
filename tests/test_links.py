"""The link checker against a real HTTP server on 127.0.0.1 (never the outside network)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from link_server import LinkServer, Reply, closed_port, redirect
from speechcompress.errors import NetworkError
from speechcompress.links import (
    Link,
    LinkCache,
    LinkOptions,
    LinkReport,
    Status,
    check_links,
    is_private_host,
    links_in_catalog,
    make_client,
    parse_age,
    parse_retry_after,
    run_link_check,
)

# Small timeouts, and backoff and spacing on a fake clock: the file runs in a few seconds.
FAST = LinkOptions(timeout=0.3, retries=2, backoff=0.5, host_interval=0.0, allow_private=True)

ROUTES = {
    "/ok": Reply(200),
    "/moved": redirect(301, "/ok"),
    "/found": redirect(302, "/ok"),
    "/loop-a": redirect(302, "/loop-b"),
    "/loop-b": redirect(302, "/loop-a"),
    "/gone-404": Reply(404),
    "/gone-410": Reply(410),
    "/busy": [Reply(429, {"Retry-After": "1"}), Reply(200)],
    "/down": Reply(503),
    "/slow": Reply(200, delay=1.0),
    "/forbidden": Reply(403),
    "/linkedin": Reply(999),
    "/no-head": lambda method: Reply(405) if method == "HEAD" else Reply(200),
    "/to-ftp": redirect(302, "ftp://127.0.0.1/file"),
    "/a": Reply(200),
    "/b": Reply(200),
    "/c": Reply(200),
    # /hop/0 -> /hop/1 -> ... -> /hop/7, which answers 200.
    **{f"/hop/{i}": redirect(302, f"/hop/{i + 1}") for i in range(7)},
    "/hop/7": Reply(200),
}


class FakeTime:
    """A clock that only ``sleep`` moves, so backoff and Retry-After cost no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)

    def clock(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer(ROUTES) as running:
        yield running


def links_to(*urls: str) -> list[Link]:
    return [Link(url, f"p{i}", "code", "papers.toml", i + 1) for i, url in enumerate(urls)]


def run(
    links: Sequence[Link],
    options: LinkOptions = FAST,
    *,
    fake: FakeTime | None = None,
    client: httpx.AsyncClient | None = None,
    **kwargs: object,
) -> LinkReport:
    fake = fake or FakeTime()

    async def main() -> LinkReport:
        async with client or make_client(options) as http:
            return await check_links(
                links, http, options=options, sleep=fake.sleep, clock=fake.clock, **kwargs
            )  # type: ignore[arg-type]

    return asyncio.run(main())


def test_each_kind_of_answer_is_classified(server: LinkServer) -> None:
    refused = f"http://127.0.0.1:{closed_port()}/x"
    fake = FakeTime()
    urls = {
        path: server.url(path)
        for path in (
            "/ok",
            "/moved",
            "/found",
            "/loop-a",
            "/gone-404",
            "/gone-410",
            "/busy",
            "/down",
            "/slow",
            "/forbidden",
            "/linkedin",
        )
    }
    report = run(links_to(*urls.values(), refused, "ftp://127.0.0.1/file"), fake=fake)
    got = {url: report.results[url] for url in [*urls.values(), refused]}
    status = {path: got[url].status for path, url in urls.items()}

    assert status == {
        "/ok": Status.OK,
        "/moved": Status.REDIRECTED,
        "/found": Status.OK,
        "/loop-a": Status.ERROR,
        "/gone-404": Status.DEAD,
        "/gone-410": Status.DEAD,
        "/busy": Status.OK,
        "/down": Status.ERROR,
        "/slow": Status.ERROR,
        "/forbidden": Status.BLOCKED,
        "/linkedin": Status.BLOCKED,
    }
    moved = got[urls["/moved"]]
    assert (moved.code, moved.final_url) == (200, server.url("/ok"))
    assert "moved to " + server.url("/ok") in moved.detail
    assert got[urls["/found"]].final_url == server.url("/ok")  # temporary: reported, not a problem
    assert "redirect loop" in got[urls["/loop-a"]].detail
    assert got[urls["/gone-404"]].detail == "404 Not Found"
    # 429 then 200: retried once (the wait is checked in test_retry_after_pauses_the_whole_host).
    assert got[urls["/busy"]].attempts == 2
    # 503 forever: every attempt made, then an error (not dead).
    down = got[urls["/down"]]
    assert (down.code, down.attempts) == (503, 3)
    assert server.hits["GET", "/down"] == 3
    assert got[urls["/slow"]].detail == "timed out after 0.3 s"
    assert got[refused].status == Status.ERROR
    assert got[refused].detail == "connection refused"
    ftp = report.results["ftp://127.0.0.1/file"]
    assert (ftp.status, ftp.detail) == (Status.SKIPPED, "not an http(s) link (ftp:)")
    assert not report.unreachable
    assert [r.url for r in report.failing()] == [urls["/gone-404"], urls["/gone-410"]]


def test_head_refused_falls_back_to_get(server: LinkServer) -> None:
    report = run(links_to(server.url("/no-head"), server.url("/gone-404")))
    assert report.results[server.url("/no-head")].status == Status.OK
    assert server.hits["HEAD", "/no-head"] == 1 and server.hits["GET", "/no-head"] == 1
    # A 404 to HEAD is confirmed with GET before the link is called dead.
    assert server.hits["GET", "/gone-404"] == 1


def test_redirects_are_capped_and_checked(server: LinkServer) -> None:
    report = run(links_to(server.url("/hop/0"), server.url("/hop/2"), server.url("/to-ftp")))
    too_many = report.results[server.url("/hop/0")]  # 7 hops
    assert (too_many.status, too_many.detail) == (Status.ERROR, "more than 5 redirects")
    five_hops = report.results[server.url("/hop/2")]
    assert (five_hops.status, five_hops.final_url) == (Status.OK, server.url("/hop/7"))
    assert "non-http" in report.results[server.url("/to-ftp")].detail


def test_a_long_retry_after_ends_the_retries(server: LinkServer) -> None:
    server.routes["/later"] = Reply(429, {"Retry-After": "3600"})
    result = run(links_to(server.url("/later"))).results[server.url("/later")]
    assert (result.status, result.attempts) == (Status.BLOCKED, 1)
    assert result.detail == "asks to retry after 3600 s"


def test_retry_after_pauses_the_whole_host(server: LinkServer) -> None:
    server.routes["/busy2"] = [Reply(429, {"Retry-After": "2"}), Reply(200)]
    fake = FakeTime()
    report = run(links_to(server.url("/busy2")), fake=fake)
    assert report.results[server.url("/busy2")].status == Status.OK
    assert fake.slept == [2.0]


def test_backoff_doubles_between_retries(server: LinkServer) -> None:
    fake = FakeTime()
    run(links_to(server.url("/down")), fake=fake)
    assert fake.slept == [0.5, 1.0]


def test_unknown_host_is_dead_without_retries() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        exc = httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        exc.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise exc

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    url = "https://no-such-host.example/paper"
    result = run(links_to(url), client=client).results[url]
    assert (result.status, result.detail) == (Status.DEAD, "unknown host")
    assert len(calls) == 1


def test_private_addresses_are_skipped_unless_allowed(server: LinkServer) -> None:
    options = LinkOptions(timeout=0.3, retries=0)
    result = run(links_to(server.url("/ok")), options).results[server.url("/ok")]
    assert result.status == Status.SKIPPED
    assert "--allow-private" in result.detail
    assert sum(server.hits.values()) == 0


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("127.0.0.9", True),
        ("localhost", True),
        ("api.localhost", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.1.1", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("8.8.8.8", False),
        ("arxiv.org", False),
        ("github.com", False),
    ],
)
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def test_excluded_urls_are_not_requested(server: LinkServer) -> None:
    options = LinkOptions(timeout=0.3, retries=0, allow_private=True, exclude=(r"/gone-",))
    report = run(links_to(server.url("/gone-404"), server.url("/ok")), options)
    assert report.results[server.url("/gone-404")].status == Status.SKIPPED
    assert server.hits["HEAD", "/gone-404"] == 0
    assert report.failing() == []


def test_per_host_concurrency_is_capped() -> None:
    routes = {f"/p{i}": Reply(200, delay=0.15) for i in range(8)}
    with LinkServer(routes) as server:
        options = LinkOptions(timeout=2, retries=0, per_host=2, host_interval=0, allow_private=True)
        report = run(links_to(*(server.url(p) for p in routes)), options)
    assert all(r.status == Status.OK for r in report.results.values())
    assert server.max_in_flight == 2


def test_requests_to_one_host_are_spaced(server: LinkServer) -> None:
    fake = FakeTime()
    options = LinkOptions(
        timeout=0.3, retries=0, per_host=1, host_interval=0.25, allow_private=True
    )
    run(links_to(*(server.url(p) for p in ("/a", "/b", "/c"))), options, fake=fake)
    assert fake.slept == [pytest.approx(0.25), pytest.approx(0.25)]


def test_a_burst_of_per_host_starts_at_once_then_starts_are_spaced() -> None:
    # per_host=3: three start together, the fourth and fifth one interval apart each, so a
    # host never gets more than one start per interval on average, nor 3 in flight.
    routes = {f"/p{i}": Reply(200) for i in range(5)}
    fake = FakeTime()
    options = LinkOptions(timeout=2, retries=0, per_host=3, host_interval=0.25, allow_private=True)
    with LinkServer(routes) as server:
        report = run(links_to(*(server.url(p) for p in routes)), options, fake=fake)
    assert all(r.status == Status.OK for r in report.results.values())
    assert fake.slept == [pytest.approx(0.25), pytest.approx(0.25)]
    assert server.max_in_flight <= 3


def test_slow_answers_are_not_spaced_further() -> None:
    # Answers slower than per_host * interval: the cap in flight alone keeps the rate, so
    # no start waits (the bench's 1 s answers: 200 links over 10 hosts in ~2 s).
    routes = {f"/p{i}": Reply(200, delay=0.5) for i in range(8)}
    options = LinkOptions(timeout=3, retries=0, per_host=4, host_interval=0.2, allow_private=True)
    with LinkServer(routes) as server:
        start = time.perf_counter()
        report = run_link_check(links_to(*(server.url(p) for p in routes)), options=options)
        elapsed = time.perf_counter() - start
    assert all(r.status == Status.OK for r in report.results.values())
    assert server.max_in_flight == 4
    # Two rounds of 0.5 s; spacing every start 0.2 s apart would take 1.9 s.
    assert elapsed < 1.5


class FakeArxiv:
    def __init__(self, known: set[str], fail: bool = False, bug: bool = False) -> None:
        self.known = known
        self.fail = fail
        self.bug = bug
        self.calls: list[list[str]] = []

    def existing_ids(self, ids: list[str]) -> set[str]:
        self.calls.append(list(ids))
        if self.fail:
            raise NetworkError("arXiv is down")
        if self.bug:
            raise KeyError("a bug in scc")
        return self.known & set(ids)


def _no_http() -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"arXiv links must not be fetched one by one: {request.url}")

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def test_arxiv_links_are_verified_in_one_batch() -> None:
    urls = [
        "https://arxiv.org/abs/2305.17651",
        "https://arxiv.org/pdf/2302.09437v2",
        "https://arxiv.org/abs/2399.99999",
        "https://arxiv.org/abs/2305.17651",
    ]
    arxiv = FakeArxiv({"2305.17651", "2302.09437"})
    report = run(links_to(*urls), client=_no_http(), arxiv=arxiv)
    assert arxiv.calls == [["2305.17651", "2302.09437", "2399.99999"]]
    assert report.results[urls[0]].status == Status.OK
    assert report.results[urls[1]].status == Status.OK
    missing = report.results[urls[2]]
    assert (missing.status, missing.detail) == (Status.DEAD, "arXiv has no paper 2399.99999")


def test_a_failed_arxiv_lookup_is_an_error_not_dead() -> None:
    url = "https://arxiv.org/abs/2305.17651"
    report = run(links_to(url), client=_no_http(), arxiv=FakeArxiv(set(), fail=True))
    assert report.results[url].status == Status.ERROR
    assert "arXiv is down" in report.results[url].detail


def test_a_bug_in_the_arxiv_lookup_is_not_passed_off_as_arxiv_failing() -> None:
    url = "https://arxiv.org/abs/2305.17651"
    with pytest.raises(KeyError, match="a bug in scc"):
        run(links_to(url), client=_no_http(), arxiv=FakeArxiv(set(), bug=True))


def test_cached_results_are_reused_until_too_old(server: LinkServer, tmp_path: Path) -> None:
    urls = [server.url("/ok"), server.url("/gone-404"), server.url("/down")]
    cache = LinkCache.load(tmp_path / "links.json")
    run(links_to(*urls), cache=cache)
    cache.save()
    hits = sum(server.hits.values())

    again = LinkCache.load(tmp_path / "links.json")
    down_hits = server.hits["GET", "/down"]
    report = run(links_to(*urls), cache=again, max_age=3600)
    assert report.results[urls[0]].cached and report.results[urls[0]].status == Status.OK
    assert report.results[urls[1]].cached and report.results[urls[1]].status == Status.DEAD
    # Errors are never cached: only /down was asked again.
    assert not report.results[urls[2]].cached
    assert server.hits["GET", "/down"] > down_hits
    assert sum(server.hits.values()) - hits == server.hits["GET", "/down"] - down_hits + 1

    stale = run(links_to(*urls), cache=LinkCache.load(tmp_path / "links.json"), max_age=0)
    assert not any(r.cached for r in stale.results.values())


def test_no_answer_from_anywhere_is_never_cached(tmp_path: Path) -> None:
    # Offline, every name "does not exist": that says nothing about the links.
    def handler(request: httpx.Request) -> httpx.Response:
        exc = httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        exc.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise exc

    urls = [f"https://site{i}.example/paper" for i in range(6)]
    cache = LinkCache.load(tmp_path / "links.json")
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    report = run(links_to(*urls), client=client, cache=cache)
    assert report.unreachable
    assert cache.entries == {}


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text("{not json", encoding="utf-8")
    assert LinkCache.load(path).entries == {}


def test_progress_is_reported_for_every_url(server: LinkServer) -> None:
    seen: list[tuple[int, int]] = []
    run(
        links_to(
            server.url("/ok"), server.url("/ok"), server.url("/gone-410"), "mailto://x@example.org"
        ),
        on_progress=lambda done, total, _result: seen.append((done, total)),
    )
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]


def test_no_answer_at_all_means_the_network_is_down() -> None:
    urls = [f"http://127.0.0.1:{closed_port()}/{i}" for i in range(5)]
    options = LinkOptions(timeout=0.3, retries=0, allow_private=True)
    assert run(links_to(*urls), options).unreachable


def test_links_come_from_every_paper_even_an_invalid_one(mini: Path) -> None:
    text = mini.read_text(encoding="utf-8").replace("year = 2021", 'year = "2021"')
    found = links_in_catalog(text, mini)
    lines = text.splitlines()
    by_field = {(link.paper_id, link.field): link for link in found}
    dphubert = by_field["dphubert", "venue_url"]
    assert dphubert.url.startswith("https://www.isca-speech.org/")
    assert lines[dphubert.line - 1].startswith("venue_url =")
    assert by_field["dphubert", "arxiv"].url == "https://arxiv.org/abs/2305.17651"
    assert by_field["dphubert", "doi"].url == "https://doi.org/10.21437/Interspeech.2023-1213"
    # bigfoot now has a schema error; its links are still checked.
    assert by_field["bigfoot", "venue_url"].url == "https://aclanthology.org/2021.sustainlp-1.14/"
    assert by_field["bigfoot", "arxiv"].url == "https://arxiv.org/abs/2103.15760"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("12h", 43200),
        ("1d", 86400),
        ("2w", 1209600),
        ("45", 45),
        ("0", 0),
        ("1.5h", 5400),
    ],
)
def test_parse_age(text: str, seconds: float) -> None:
    assert parse_age(text) == seconds


def test_parse_age_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="30m, 12h, 1d"):
        parse_age("tomorrow")


def test_parse_retry_after() -> None:
    assert parse_retry_after("7", now=0) == 7.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40) == 60.0
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None
