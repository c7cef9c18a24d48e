"""The link checker's guards: private addresses however spelled, hangs, a network that is down.

Real servers on 127.0.0.1 started by each test; name resolution is faked where a test
needs a name to fail or to mean something else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
from drip_server import DripServer, headers
from link_server import LinkServer, Reply, redirect
from speechcompress.cli import cmd_check
from speechcompress.errors import NetworkError
from speechcompress.net import guard
from speechcompress.net.link_checker import check_links, make_client
from speechcompress.net.link_types import Link, LinkOptions, LinkReport, Status


def check(urls: list[str], options: LinkOptions) -> LinkReport:
    links = [Link(u, f"p{i}", "code", "papers.toml", i + 1) for i, u in enumerate(urls)]

    async def main() -> LinkReport:
        async with make_client(options) as client:
            return await check_links(links, client, options=options)

    return asyncio.run(main())


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer({"/ok": Reply(200), "/hop": redirect(302, "/ok")}) as s:
        yield s


SPELLINGS = [
    "127.1",
    "2130706433",
    "0x7f000001",
    "0",
    "localhost",
    "127.0.0.1",
    "[::ffff:127.0.0.1]",
]


@pytest.mark.parametrize("host", SPELLINGS)
def test_every_spelling_of_loopback_is_skipped_unless_allowed(
    server: LinkServer, host: str
) -> None:
    url = f"http://{host}:{server.port}/ok"
    closed = LinkOptions(timeout=2, retries=0, host_interval=0)
    result = check([url], closed).results[url]
    assert result.status == Status.SKIPPED, result
    assert "--allow-private" in result.detail
    assert sum(server.hits.values()) == 0

    opened = LinkOptions(timeout=2, retries=0, host_interval=0, allow_private=True)
    assert check([url], opened).results[url].status == Status.OK
    assert sum(server.hits.values()) >= 1


def test_a_name_in_the_hosts_file_is_judged_by_its_address(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "resolve", lambda host, port: ["127.0.0.1"])
    url = f"http://intranet.example:{server.port}/ok"
    result = check([url], LinkOptions(timeout=2, retries=0)).results[url]
    assert result.status == Status.SKIPPED
    assert "127.0.0.1" in result.detail
    assert sum(server.hits.values()) == 0


def test_every_redirect_hop_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # "public.test" is the server, deemed public; its redirect to 127.0.0.2 is not.
    real = guard.is_special
    server_ip = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(guard, "is_special", lambda ip: ip != server_ip and real(ip))
    monkeypatch.setattr(
        guard, "resolve", lambda host, port: ["127.0.0.1"] if host == "public.test" else [host]
    )
    with LinkServer({"/away": redirect(302, "http://127.0.0.2:1/ok"), "/ok": Reply()}) as s:
        url = f"http://public.test:{s.port}/away"
        result = check([url], LinkOptions(timeout=2, retries=0)).results[url]
        assert s.hits["HEAD", "/away"] == 1
    assert result.status == Status.SKIPPED
    assert "private" in result.detail


@pytest.mark.parametrize(
    "address",
    ["100.64.0.1", "100.127.255.254", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fd00::1", "::"],
)
def test_special_use_ranges_are_private(address: str) -> None:
    assert guard.is_private_host(address)
    with pytest.raises(guard.BlockedAddress):
        guard.checked_addresses("x.test", 80, allow_private=False, resolver=lambda h, p: [address])


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(guard.BlockedAddress):
        guard.checked_addresses(
            "x.test", 80, allow_private=False, resolver=lambda h, p: ["8.8.8.8", "127.0.0.1"]
        )
    public = guard.checked_addresses(
        "x.test", 80, allow_private=False, resolver=lambda h, p: ["8.8.8.8"]
    )
    assert public == ["8.8.8.8"]


def test_a_proxied_link_is_judged_by_its_address_too(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The proxy would resolve the name itself: scc checks it first.
    with LinkServer({}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        monkeypatch.setenv("NO_PROXY", "")
        url = f"http://127.1:{server.port}/ok"
        result = check([url], LinkOptions(timeout=2, retries=0)).results[url]
        assert result.status == Status.SKIPPED, result
        assert sum(proxy.hits.values()) == 0 and sum(server.hits.values()) == 0


def test_a_broken_proxy_setting_stops_check_links_with_one_line(mini: Path) -> None:
    result = run("check", "--links", "--db", str(mini), env={"HTTP_PROXY": "::x::"})
    assert result.exit_code == 5
    assert "$HTTP_PROXY='::x::'" in result.stderr
    assert result.stderr.count("error:") == 1


# --- hangs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("drip_headers", [True, False])
def test_a_dripping_link_ends_at_its_timeout(drip_headers: bool) -> None:
    head = headers(1000, "text/html")
    kwargs = {"drip": head * 20} if drip_headers else {"head": head, "drip": b"x" * 1000}
    with DripServer(interval=0.05, limit=20, **kwargs) as s:  # type: ignore[arg-type]
        url = s.url("/slow")
        start = time.monotonic()
        result = check([url], LinkOptions(timeout=1, retries=0, allow_private=True)).results[url]
        took = time.monotonic() - start
    assert took < 3, took
    if drip_headers:
        assert (result.status, result.detail) == (Status.ERROR, "timed out after 1 s")
    else:  # the headers came in time; the body is never read
        assert result.status == Status.OK


def test_the_whole_check_stops_at_its_deadline() -> None:
    with LinkServer({"/slow": Reply(200, delay=3)}) as s:
        urls = [s.url(f"/slow?{i}") for i in range(3)]
        options = LinkOptions(timeout=10, retries=0, allow_private=True, deadline=0.5)
        start = time.monotonic()
        report = check(urls, options)
        took = time.monotonic() - start
    assert took < 2.5, took
    assert all(r.status == Status.ERROR for r in report.results.values())
    assert "deadline of 0.5 s" in report.results[urls[0]].detail


# --- a network that is down ------------------------------------------------------------------


class DownArxiv:
    def existing_ids(self, ids: list[str]) -> set[str]:
        raise NetworkError("cannot resolve host export.arxiv.org")


def test_a_network_that_is_down_leaves_nothing_in_the_cache(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(guard, "resolve", no_dns)
    monkeypatch.setattr(cmd_check, "_arxiv_lookup", lambda use_cache: DownArxiv())
    first = run("check", "--links", "--db", str(mini), "--retries", "0", "--format", "json")
    assert first.exit_code == 5, first.stderr
    assert "network looks down" in first.stderr

    cache = Path(os.environ["SCC_CACHE_DIR"]) / "links" / "results.json"
    if cache.exists():
        assert json.loads(cache.read_text())["results"] == []
    second = run("check", "--links", "--db", str(mini), "--retries", "0", "--format", "json")
    assert second.exit_code == 5, second.stderr
    assert not any(r["cached"] for r in json.loads(second.stdout)["results"])
