"""Check every link of a catalog over the network; return result objects, never print.

How a link is checked:

* Concurrently, with a cap per host (``per_host``) and overall (``concurrency``), and
  request starts to one host at most one per ``host_interval`` on average: a burst of
  ``per_host`` may start at once, then starts are spaced (a token bucket). Slow answers
  are thus never spaced further, since the cap in flight already holds their rate below
  one per ``host_interval``; fast ones are. A ``Retry-After`` answer pauses the whole host,
  not only the link that got it.
* HEAD first; when HEAD gets an error status, GET (some servers refuse HEAD). A host that
  answers HEAD with 405 or 501 gets GET from then on.
* Redirects are followed by hand, at most ``max_redirects`` hops, so loops are caught and
  every hop is checked against the private-address rule.
* Timeouts, connection failures, 429 and 5xx are retried ``retries`` times with
  exponential backoff (``backoff``, doubled each time), or after ``Retry-After``.
* arXiv links are verified with one batched API call through an :class:`ArxivLookup`
  instead of one page fetch each.

Each URL ends in one :class:`Status`: ``ok``; ``redirected`` (a permanent 301/308 hop:
update the link to the final URL; temporary hops such as doi.org's are ``ok``);
``dead`` (404, 410, unknown host); ``blocked`` (401, 403, 429, 451, 999: the site refuses
robots, the link may well work); ``error`` (timeouts, refused connections, 5xx, loops,
after the retries); ``skipped`` (excluded, private address, not http).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from speechcompress.errors import SccError
from speechcompress.net.guard import is_private_host
from speechcompress.net.http import parse_retry_after
from speechcompress.net.link_cache import LinkCache
from speechcompress.net.link_types import (
    ArxivLookup,
    Link,
    LinkOptions,
    LinkReport,
    LinkResult,
    ProgressCallback,
    Status,
)
from speechcompress.net.link_verdict import Attempt, precheck, result_of
from speechcompress.net.links_extract import arxiv_id_of

if TYPE_CHECKING:
    import httpx

# This many links requested without a single HTTP answer means our network is down.
_UNREACHABLE_MIN = 5


@dataclass
class _Host:
    slots: asyncio.Semaphore
    #: When the bucket is full again: each start adds ``host_interval`` (a GCRA's
    #: theoretical arrival time); a start may run ``per_host - 1`` intervals early.
    full_at: float = 0.0
    #: No start before this (a Retry-After).
    paused_until: float = 0.0
    head_ok: bool = True


class _Checker:
    def __init__(
        self,
        client: httpx.AsyncClient,
        options: LinkOptions,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
    ) -> None:
        self.client = client
        self.options = options
        self.sleep = sleep
        self.clock = clock
        self.hosts: dict[str, _Host] = {}
        self.overall = asyncio.Semaphore(options.concurrency)

    def host(self, name: str) -> _Host:
        if name not in self.hosts:
            self.hosts[name] = _Host(asyncio.Semaphore(self.options.per_host))
        return self.hosts[name]

    @contextlib.asynccontextmanager
    async def turn(self, name: str) -> AsyncIterator[None]:
        """Wait for a slot at this host and its rate's turn, then an overall slot."""
        host = self.host(name)
        async with host.slots:
            # Reserve a start time before awaiting, so later requests queue up behind it.
            now = self.clock()
            interval = self.options.host_interval
            burst = (self.options.per_host - 1) * interval
            start = max(now, host.full_at - burst, host.paused_until)
            host.full_at = max(host.full_at, start) + interval
            if start > now:
                await self.sleep(start - now)
            async with self.overall:
                yield

    async def check(self, url: str) -> LinkResult:
        host = urlsplit(url).hostname or ""
        method = "HEAD" if self.host(host).head_ok else "GET"
        backoff = self.options.backoff
        attempts = 0
        while True:
            attempts += 1
            answer = await self.fetch(url, method)
            if (
                method == "HEAD"
                and answer.code is not None
                and answer.code >= 400
                and answer.code != 429
            ):
                if answer.code in (405, 501):
                    self.host(host).head_ok = False
                method = "GET"
                answer = await self.fetch(url, method)
            if not answer.retryable or attempts > self.options.retries:
                return result_of(answer, attempts)
            if answer.retry_after is not None:
                if answer.retry_after > self.options.max_retry_after:
                    answer.detail = f"asks to retry after {answer.retry_after:g} s"
                    return result_of(answer, attempts)
                # Pause the whole host: its other links would get the same answer.
                slow = self.host(urlsplit(answer.final_url).hostname or "")
                slow.paused_until = max(slow.paused_until, self.clock() + answer.retry_after)
            elif backoff > 0:
                await self.sleep(backoff)
            backoff *= 2

    async def fetch(self, url: str, method: str) -> Attempt:
        """One request, following redirects by hand; each hop takes ``timeout`` in all."""
        import httpx

        from speechcompress.net.http import describe_failure

        answer = Attempt(url)
        seen = [url]
        current = url
        timeout = httpx.Timeout(self.options.timeout, pool=None)
        for _hop in range(self.options.max_redirects + 1):
            answer.final_url = current
            blocked = await self._behind_proxy_problem(current)
            if blocked:
                answer.failure, answer.detail = "private", blocked
                return answer
            try:
                async with self.turn(urlsplit(current).hostname or ""):
                    # httpx times each read; a server dripping a byte a second would
                    # never trip that, so the whole request gets one deadline too.
                    async with asyncio.timeout(self.options.timeout):
                        response = await self._request(method, current, timeout)
            except TimeoutError:
                answer.failure = "timeout"
                answer.detail = f"timed out after {self.options.timeout:g} s"
                return answer
            except (httpx.TransportError, httpx.InvalidURL, ValueError) as exc:
                answer.failure, answer.detail = describe_failure(exc, None, self.options.timeout)
                return answer
            answer.code = response.status_code
            if not response.has_redirect_location:
                if answer.code in (429, 503):
                    answer.retry_after = parse_retry_after(
                        response.headers.get("retry-after"), time.time()
                    )
                return answer
            target = str(response.url.join(response.headers["location"]))
            answer.permanent = answer.permanent or answer.code in (301, 308)
            problem = self._redirect_problem(target, seen)
            if problem:
                answer.failure, answer.detail = problem
                return answer
            seen.append(target)
            current = target
        answer.failure = "redirects"
        answer.detail = f"more than {self.options.max_redirects} redirects"
        return answer

    async def _behind_proxy_problem(self, url: str) -> str | None:
        """Check a proxied URL's host ourselves: the pinned backend never sees it."""
        import urllib.request

        from speechcompress.net.guard import BlockedAddress, checked_addresses

        parts = urlsplit(url)
        host = parts.hostname or ""
        if self.options.allow_private or parts.scheme not in urllib.request.getproxies():
            return None
        if urllib.request.proxy_bypass(host):
            return None
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            await asyncio.to_thread(checked_addresses, host, port, allow_private=False)
        except BlockedAddress as exc:
            return f"{exc} (use --allow-private)"
        except (OSError, ValueError):
            return None  # the proxy resolves the name, and reports what it finds
        return None

    async def _request(self, method: str, url: str, timeout: httpx.Timeout) -> httpx.Response:
        if method == "HEAD":
            return await self.client.head(url, timeout=timeout, follow_redirects=False)
        # Stream, so a page is never downloaded: the status and headers say it all.
        async with self.client.stream(
            "GET", url, timeout=timeout, follow_redirects=False
        ) as response:
            return response

    def _redirect_problem(self, target: str, seen: list[str]) -> tuple[str, str] | None:
        parts = urlsplit(target)
        if target in seen:
            chain = " -> ".join([*seen[seen.index(target) :], target])
            return "loop", f"redirect loop: {chain}"
        if parts.scheme not in ("http", "https"):
            return "scheme", f"redirects to a non-http link: {target}"
        if not self.options.allow_private and is_private_host(parts.hostname or ""):
            return "private", f"redirects to a private address: {target}"
        return None


async def check_links(
    links: Sequence[Link],
    client: httpx.AsyncClient,
    *,
    options: LinkOptions | None = None,
    arxiv: ArxivLookup | None = None,
    cache: LinkCache | None = None,
    max_age: float = 86400.0,
    on_progress: ProgressCallback | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> LinkReport:
    """Check each distinct URL of ``links`` once and report them all.

    ``client`` must not follow redirects by itself. With ``arxiv``, arxiv.org links are
    verified with one batched lookup. With ``cache``, results younger than ``max_age``
    seconds are reused and new ones stored (the caller saves it); a result without any
    HTTP answer is stored only when this run reached some site, so a network that is
    down never poisons the cache. Links still unchecked at ``options.deadline`` end as
    errors. ``on_progress(done, total, result)`` is called as each URL finishes.
    ``sleep`` and ``clock`` are injectable so tests never wait.
    """
    options = options or LinkOptions()
    excludes = [re.compile(p) for p in options.exclude]
    urls = list(dict.fromkeys(link.url for link in links))
    results: dict[str, LinkResult] = {}
    fresh: list[LinkResult] = []
    checker = _Checker(client, options, sleep, clock)

    def finish(result: LinkResult) -> None:
        if result.url in results:
            return
        results[result.url] = result
        if not result.cached:
            fresh.append(result)
        if on_progress is not None:
            on_progress(len(results), len(urls), result)

    to_fetch: list[str] = []
    by_arxiv_id: dict[str, list[str]] = {}
    now = time.time()
    for url in urls:
        early = precheck(url, options, excludes)
        if early is None and cache is not None:
            early = cache.get(url, max_age, now)
        if early is not None:
            finish(early)
        elif arxiv is not None and (aid := arxiv_id_of(url)):
            by_arxiv_id.setdefault(aid, []).append(url)
        else:
            to_fetch.append(url)

    async def fetch_one(url: str) -> None:
        finish(await checker.check(url))

    async def look_up_arxiv() -> None:
        if arxiv is None or not by_arxiv_id:
            return
        for result in await _arxiv_results(arxiv, by_arxiv_id):
            finish(result)

    tasks = [asyncio.ensure_future(look_up_arxiv())]
    tasks += [asyncio.ensure_future(fetch_one(url)) for url in to_fetch]
    _, late = await asyncio.wait(tasks, timeout=options.deadline)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]  # a bug: let it show
    for url in urls:
        if url not in results:
            detail = f"not checked: the whole check's deadline of {options.deadline:g} s passed"
            finish(LinkResult(url, Status.ERROR, detail=detail, checked_at=time.time()))

    fetched = [results[u] for u in to_fetch]
    unreachable = len(fetched) >= _UNREACHABLE_MIN and all(
        r.code is None and r.status in (Status.ERROR, Status.DEAD) for r in fetched
    )
    if cache is not None:
        network_works = any(r.code is not None for r in fresh)
        for result in fresh:
            if result.code is not None or network_works:
                cache.put(result)
    return LinkReport(tuple(links), {url: results[url] for url in urls}, unreachable)


async def _arxiv_results(arxiv: ArxivLookup, by_id: dict[str, list[str]]) -> list[LinkResult]:
    now = time.time()
    try:
        found = await asyncio.to_thread(arxiv.existing_ids, list(by_id))
    except SccError as exc:  # a network or API failure; anything else is a bug and shows
        detail = f"arXiv API lookup failed: {exc.message}"
        return [
            LinkResult(url, Status.ERROR, detail=detail, checked_at=now)
            for urls in by_id.values()
            for url in urls
        ]
    return [
        LinkResult(url, Status.OK, detail="listed by the arXiv API", checked_at=now)
        if aid in found
        else LinkResult(url, Status.DEAD, detail=f"arXiv has no paper {aid}", checked_at=now)
        for aid, urls in by_id.items()
        for url in urls
    ]


def make_client(options: LinkOptions) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` suited to :func:`check_links`: pinned to public addresses
    unless ``options.allow_private``."""
    from speechcompress.net.http import make_async_client

    return make_async_client(
        timeout=options.timeout,
        agent=options.user_agent,
        allow_private=options.allow_private,
        connections=options.concurrency,
    )


def run_link_check(
    links: Sequence[Link],
    *,
    options: LinkOptions | None = None,
    arxiv: ArxivLookup | None = None,
    cache: LinkCache | None = None,
    max_age: float = 86400.0,
    on_progress: ProgressCallback | None = None,
) -> LinkReport:
    """:func:`check_links` with a client of its own, for callers without an event loop.

    Raises :class:`~speechcompress.errors.NetworkError` when no HTTP client can be set up
    (a malformed proxy setting, a missing certificate file).
    """
    options = options or LinkOptions()

    async def main() -> LinkReport:
        async with make_client(options) as client:
            return await check_links(
                links,
                client,
                options=options,
                arxiv=arxiv,
                cache=cache,
                max_age=max_age,
                on_progress=on_progress,
            )

    return asyncio.run(main())
