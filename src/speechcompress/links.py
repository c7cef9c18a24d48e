"""Check every link of a catalog over the network; return result objects, never print.

How a link is checked:

* Concurrently, with a cap per host (``per_host``) and overall (``concurrency``), and
  request starts to one host at least ``host_interval`` apart. A ``Retry-After`` answer
  pauses the whole host, not only the link that got it.
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
import datetime as dt
import email.utils
import ipaddress
import json
import os
import re
import socket
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from speechcompress import __version__
from speechcompress.ids import DOI, normalize_arxiv_id

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"scc/{__version__} (speechcompress link checker)"


class Status(StrEnum):
    """What became of one URL, from worst to best as a report lists them."""

    DEAD = "dead"
    ERROR = "error"
    BLOCKED = "blocked"
    REDIRECTED = "redirected"
    SKIPPED = "skipped"
    OK = "ok"


DEAD_CODES = frozenset({404, 410})
BLOCKED_CODES = frozenset({401, 403, 407, 429, 451, 999})
#: Statuses stored in the on-disk cache; errors and skips are always re-checked.
CACHED_STATUSES = frozenset({Status.OK, Status.REDIRECTED, Status.DEAD, Status.BLOCKED})
_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
# This many links requested without a single HTTP answer means our network is down.
_UNREACHABLE_MIN = 5
_URL_IN_TEXT = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>()\[\]\"'`]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """One URL where it appears in the catalog."""

    url: str
    #: The paper it belongs to (None for links in the [catalog] text).
    paper_id: str | None
    #: venue_url, code, arxiv, doi, description or footer.
    field: str
    #: The catalog file as shown to the user.
    path: str
    #: 1-based line (0 when unknown).
    line: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The outcome for one distinct URL."""

    url: str
    status: Status
    #: The last HTTP status received (None when no answer came).
    code: int | None = None
    #: Where the redirects ended, when that differs from ``url``.
    final_url: str | None = None
    #: A short human explanation: "404 Not Found", "timed out after 10 s", ...
    detail: str = ""
    #: HTTP attempts made (retries included; 0 when skipped or looked up in a batch).
    attempts: int = 0
    #: Unix time of the check.
    checked_at: float = 0.0
    #: Whether this came from the on-disk cache.
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": str(self.status),
            "code": self.code,
            "final_url": self.final_url,
            "detail": self.detail,
            "attempts": self.attempts,
            "checked_at": self.checked_at,
            "cached": self.cached,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkResult:
        return cls(
            url=data["url"],
            status=Status(data["status"]),
            code=data.get("code"),
            final_url=data.get("final_url"),
            detail=data.get("detail", ""),
            attempts=data.get("attempts", 0),
            checked_at=data.get("checked_at", 0.0),
            cached=bool(data.get("cached", False)),
        )


@dataclass(frozen=True)
class LinkReport:
    """Every link of a catalog with the result for its URL."""

    links: tuple[Link, ...]
    results: dict[str, LinkResult]
    #: Whether several URLs were requested and none got any HTTP answer at all: more
    #: likely our network is down than all those sites.
    unreachable: bool = False

    def rows(self) -> list[tuple[LinkResult, tuple[Link, ...]]]:
        """One row per distinct URL, worst status first, then catalog order."""
        where: dict[str, list[Link]] = {}
        for link in self.links:
            where.setdefault(link.url, []).append(link)
        order = list(Status)
        rows = [
            (self.results[url], tuple(links)) for url, links in where.items() if url in self.results
        ]
        return sorted(rows, key=lambda r: order.index(r[0].status))

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for result in self.results.values():
            counts[result.status] += 1
        return counts

    def failing(self, fail_on: frozenset[Status] = frozenset({Status.DEAD})) -> list[LinkResult]:
        return [r for r in self.results.values() if r.status in fail_on]


class ArxivLookup(Protocol):
    """Answers which arXiv ids exist, for many ids in one request."""

    def existing_ids(self, ids: list[str]) -> set[str]:
        """The ids among ``ids`` (bare, no version) that arXiv knows."""
        ...


ProgressCallback = Callable[[int, int, LinkResult], None]


@dataclass(frozen=True)
class LinkOptions:
    """How hard and how politely to check. The defaults check 200 links spread over 10
    slow hosts (1 s an answer) in about 7.5 s; see ``bench/links_bench.py``."""

    #: Seconds to wait for a connection or an answer, per request.
    timeout: float = 10.0
    #: Further attempts after a timeout, connection failure, 429 or 5xx.
    retries: int = 2
    #: First wait before a retry, doubled each time (Retry-After wins when given).
    backoff: float = 1.0
    #: A Retry-After longer than this ends the retries at once.
    max_retry_after: float = 60.0
    #: Requests in flight to one host.
    per_host: int = 4
    #: Requests in flight overall.
    concurrency: int = 32
    #: Seconds between the starts of two requests to one host.
    host_interval: float = 0.1
    #: Redirect hops followed before giving up.
    max_redirects: int = 5
    #: Check links to loopback, private and link-local addresses (skipped by default).
    allow_private: bool = False
    #: Regular expressions; a URL matching any of them is skipped.
    exclude: tuple[str, ...] = ()
    user_agent: str = USER_AGENT


# --- finding the links -----------------------------------------------------------------


def links_in_catalog(text: str, path: Path) -> list[Link]:
    """Every URL in a catalog's text, from the raw tables (a schema error hides none).

    Papers give venue_url, code, and their arXiv and DOI links; the [catalog] description
    and footer give the URLs written in them. Raises ``CatalogError`` for a TOML syntax error.
    """
    from speechcompress.catalog import LineMap, display_path, parse_toml

    data = parse_toml(text, path)
    shown = display_path(path)
    lines = LineMap(text)
    found: list[Link] = []
    header = data.get("catalog")
    if isinstance(header, dict):
        for key in ("description", "footer"):
            value = header.get(key)
            if isinstance(value, str):
                line = _header_line(lines.lines, lines.catalog, key)
                for match in _URL_IN_TEXT.finditer(value):
                    found.append(Link(match.group().rstrip(".,;:!?"), None, key, shown, line))
    papers = data.get("papers")
    for index, raw in enumerate(papers if isinstance(papers, list) else []):
        if not isinstance(raw, dict):
            continue
        pid = raw.get("id") if isinstance(raw.get("id"), str) else None
        for key in ("venue_url", "code"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                found.append(Link(value.strip(), pid, key, shown, lines.key(index, key)))
        arxiv = raw.get("arxiv")
        bare = normalize_arxiv_id(arxiv) if isinstance(arxiv, str) else None
        if bare:
            found.append(
                Link(
                    f"https://arxiv.org/abs/{bare}", pid, "arxiv", shown, lines.key(index, "arxiv")
                )
            )
        doi = raw.get("doi")
        if isinstance(doi, str) and DOI.match(doi):
            found.append(Link(f"https://doi.org/{doi}", pid, "doi", shown, lines.key(index, "doi")))
    return found


def _header_line(lines: list[str], start: int, key: str) -> int:
    if start < 0:
        return 0
    pattern = re.compile(rf"^\s*{key}\s*=")
    for i in range(start, len(lines)):
        if i > start and lines[i].lstrip().startswith("["):
            break
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


# --- small pure helpers ----------------------------------------------------------------


def is_private_host(host: str) -> bool:
    """Whether ``host`` names this machine or a private network (checked literally, no DNS)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
        or ip.is_multicast
    )


def arxiv_id_of(url: str) -> str | None:
    """The arXiv id an arxiv.org abs/pdf link points to, else None."""
    host = (urlsplit(url).hostname or "").lower()
    return normalize_arxiv_id(url) if host in _ARXIV_HOSTS else None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_AGE_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """Seconds in ``30m``, ``12h``, ``1d``, ``2w`` or a bare number of seconds."""
    match = _AGE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 12h, 1d or 2w")
    return float(match[1]) * _AGE_UNITS[match[2].lower()]


def _phrase(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


# --- the on-disk cache -----------------------------------------------------------------


def default_cache_path() -> Path:
    from speechcompress.fs import cache_dir

    return cache_dir() / "links" / "results.json"


@dataclass
class LinkCache:
    """Results by URL in one JSON file; entries older than the asked maximum age are stale."""

    path: Path
    entries: dict[str, LinkResult] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> LinkCache:
        """The cache at ``path``; a missing or damaged file is an empty cache."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = {r["url"]: LinkResult.from_dict(r) for r in raw.get("results", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(path, entries)

    def get(self, url: str, max_age: float, now: float) -> LinkResult | None:
        entry = self.entries.get(url)
        if entry is None or not 0 <= now - entry.checked_at <= max_age:
            return None
        return replace(entry, cached=True)

    def put(self, result: LinkResult) -> None:
        if result.status in CACHED_STATUSES and not result.cached:
            self.entries[result.url] = result

    def save(self) -> None:
        """Write atomically; failing to cache is not an error."""
        body = json.dumps(
            {"version": 1, "results": [r.to_dict() for r in self.entries.values()]},
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, self.path)
        except OSError:
            return


# --- checking --------------------------------------------------------------------------


@dataclass
class _Host:
    slots: asyncio.Semaphore
    next_start: float = 0.0
    head_ok: bool = True


@dataclass
class _Answer:
    """What one request chain (with its redirects) came to."""

    url: str
    code: int | None = None
    final_url: str = ""
    permanent: bool = False
    retry_after: float | None = None
    #: For a chain that got no final HTTP answer: timeout, dns, connect, protocol, tls,
    #: loop, redirects, scheme, private or invalid.
    failure: str | None = None
    detail: str = ""

    @property
    def retryable(self) -> bool:
        if self.failure is not None:
            return self.failure in ("timeout", "connect", "protocol")
        return self.code is not None and (self.code == 429 or self.code >= 500)


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
        """Wait for a slot at this host (spaced from the last start), then an overall slot."""
        host = self.host(name)
        async with host.slots:
            # Reserve a start time before awaiting, so later requests queue up behind it.
            now = self.clock()
            start = max(now, host.next_start)
            host.next_start = start + self.options.host_interval
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
                return _result(answer, attempts)
            if answer.retry_after is not None:
                if answer.retry_after > self.options.max_retry_after:
                    answer.detail = f"asks to retry after {answer.retry_after:g} s"
                    return _result(answer, attempts)
                # Pause the whole host: its other links would get the same answer.
                slow = self.host(urlsplit(answer.final_url).hostname or "")
                slow.next_start = max(slow.next_start, self.clock() + answer.retry_after)
            elif backoff > 0:
                await self.sleep(backoff)
            backoff *= 2

    async def fetch(self, url: str, method: str) -> _Answer:
        """One request, following redirects by hand."""
        import httpx

        answer = _Answer(url)
        seen = [url]
        current = url
        timeout = httpx.Timeout(self.options.timeout, pool=None)
        for _hop in range(self.options.max_redirects + 1):
            answer.final_url = current
            try:
                async with self.turn(urlsplit(current).hostname or ""):
                    if method == "HEAD":
                        response = await self.client.head(
                            current, timeout=timeout, follow_redirects=False
                        )
                    else:
                        # Stream, so a large page is never downloaded: the headers say it all.
                        async with self.client.stream(
                            "GET", current, timeout=timeout, follow_redirects=False
                        ) as response:
                            pass
            except httpx.TransportError as exc:
                answer.failure, answer.detail = _transport_failure(exc, self.options.timeout)
                return answer
            except (httpx.InvalidURL, ValueError) as exc:
                answer.failure, answer.detail = "invalid", f"invalid URL ({exc})"
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


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


_NO_SUCH_HOST = (
    "name or service not known",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo failed",
    "no such host",
)


def _transport_failure(exc: Exception, timeout: float) -> tuple[str, str]:
    """(kind, detail) for an httpx transport error."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "scheme", f"not an http(s) link ({exc})"
    chain = _causes(exc)
    no_name = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            if cause.errno in no_name:
                return "dns", "unknown host"
            return "connect", f"DNS lookup failed ({cause.strerror or cause})"
    text = " ".join(str(c) for c in chain).lower()
    if any(phrase in text for phrase in _NO_SUCH_HOST):
        return "dns", "unknown host"
    if "certificate" in text or any(type(c).__name__.startswith("SSL") for c in chain):
        return "tls", f"TLS problem ({exc})"
    if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
        return "connect", "connection refused"
    if isinstance(exc, httpx.ConnectError):
        return "connect", f"cannot connect ({exc or type(exc).__name__})"
    return "protocol", f"network error ({type(exc).__name__}: {exc})"


def _result(answer: _Answer, attempts: int) -> LinkResult:
    final = answer.final_url if answer.final_url and answer.final_url != answer.url else None
    base = LinkResult(
        answer.url, Status.ERROR, answer.code, final, answer.detail, attempts, time.time()
    )
    if answer.failure == "dns":
        return replace(base, status=Status.DEAD)
    if answer.failure == "private":
        return replace(base, status=Status.SKIPPED)
    if answer.failure is not None:
        return base
    code = answer.code or 0
    detail = answer.detail or _phrase(code)
    if 200 <= code < 300:
        if answer.permanent and final:
            return replace(base, status=Status.REDIRECTED, detail=f"moved to {final}")
        return replace(base, status=Status.OK, detail=detail)
    if code in DEAD_CODES:
        return replace(base, status=Status.DEAD, detail=detail)
    if code in BLOCKED_CODES:
        return replace(base, status=Status.BLOCKED, detail=detail)
    if code >= 500 and attempts > 1:
        detail = f"{detail} after {attempts} attempts"
    return replace(base, detail=detail)


def _precheck(url: str, options: LinkOptions, excludes: list[re.Pattern[str]]) -> LinkResult | None:
    """A result for a URL that is not to be requested at all."""
    now = time.time()
    if any(p.search(url) for p in excludes):
        return LinkResult(url, Status.SKIPPED, detail="excluded by --exclude", checked_at=now)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"{parts.scheme}:" if parts.scheme else "a relative link"
        return LinkResult(
            url, Status.SKIPPED, detail=f"not an http(s) link ({scheme})", checked_at=now
        )
    if not parts.hostname:
        return LinkResult(url, Status.ERROR, detail="no host in the URL", checked_at=now)
    if not options.allow_private and is_private_host(parts.hostname):
        return LinkResult(
            url,
            Status.SKIPPED,
            checked_at=now,
            detail="private or loopback address (use --allow-private)",
        )
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
    seconds are reused and new ones stored (the caller saves it). ``on_progress(done,
    total, result)`` is called as each URL finishes. ``sleep`` and ``clock`` are injectable
    so tests never wait.
    """
    options = options or LinkOptions()
    excludes = [re.compile(p) for p in options.exclude]
    urls = list(dict.fromkeys(link.url for link in links))
    results: dict[str, LinkResult] = {}
    checker = _Checker(client, options, sleep, clock)

    def finish(result: LinkResult) -> None:
        results[result.url] = result
        if cache is not None:
            cache.put(result)
        if on_progress is not None:
            on_progress(len(results), len(urls), result)

    to_fetch: list[str] = []
    by_arxiv_id: dict[str, list[str]] = {}
    now = time.time()
    for url in urls:
        early = _precheck(url, options, excludes)
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

    await asyncio.gather(look_up_arxiv(), *(fetch_one(url) for url in to_fetch))
    fetched = [results[u] for u in to_fetch]
    unreachable = len(fetched) >= _UNREACHABLE_MIN and all(
        r.code is None and r.status in (Status.ERROR, Status.DEAD) for r in fetched
    )
    return LinkReport(tuple(links), {url: results[url] for url in urls}, unreachable)


async def _arxiv_results(arxiv: ArxivLookup, by_id: dict[str, list[str]]) -> list[LinkResult]:
    now = time.time()
    try:
        found = await asyncio.to_thread(arxiv.existing_ids, list(by_id))
    except Exception as exc:
        detail = f"arXiv API lookup failed: {getattr(exc, 'message', None) or exc}"
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
    """An ``httpx.AsyncClient`` suited to :func:`check_links`."""
    import httpx

    return httpx.AsyncClient(
        headers={
            "User-Agent": options.user_agent,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        },
        timeout=httpx.Timeout(options.timeout, pool=None),
        limits=httpx.Limits(
            max_connections=options.concurrency * 2, max_keepalive_connections=options.concurrency
        ),
        follow_redirects=False,
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
    (for example a malformed proxy setting).
    """
    from speechcompress.errors import NetworkError

    options = options or LinkOptions()

    async def main() -> LinkReport:
        try:
            client = make_client(options)
        except (ValueError, TypeError, OSError) as exc:
            raise NetworkError(
                f"cannot set up HTTP: {exc}",
                hint="check the HTTP_PROXY, HTTPS_PROXY and SSL_CERT_FILE variables",
            ) from None
        async with client:
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
