"""A polite client for the arXiv export API.

* One request at a time, at least ``min_interval`` seconds apart (arXiv's terms of use ask
  for 3 s), across every scc process sharing the cache folder (:mod:`.pacing`).
* Retries with exponential backoff on 429, 5xx and timeouts, honouring ``Retry-After``;
  a name that does not resolve or a refused connection fails at once, said as such.
* Every request has a total deadline (``timeout``) and a size cap; the whole fetch,
  retries included, has one too (``deadline``, ``$SCC_NET_DEADLINE``).
* Answers are cached on disk (arXiv updates once a day, and asks clients to cache).

The core never prints. httpx is imported only when a request happens.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from speechcompress.errors import NetworkError, UsageError
from speechcompress.net import polite
from speechcompress.net.arxiv_feed import ArxivEntry, looks_like_html, parse_feed
from speechcompress.net.env import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, env_number
from speechcompress.net.http import user_agent
from speechcompress.net.polite import RETRY_STATUSES as RETRY_STATUSES

if TYPE_CHECKING:
    import httpx

    from speechcompress.net.http import Answer

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
USER_AGENT = user_agent("arXiv API client")

ENV_API = "SCC_ARXIV_API"
ENV_DELAY = "SCC_ARXIV_DELAY"
ENV_BACKOFF = "SCC_ARXIV_BACKOFF"
ENV_RETRIES = "SCC_ARXIV_RETRIES"
ENV_TIMEOUT = "SCC_ARXIV_TIMEOUT"
ENV_CACHE_HOURS = "SCC_ARXIV_CACHE_HOURS"

#: Ids per request; keeps the URL short and the answer well under arXiv's page cap.
BATCH_SIZE = 100
#: Statuses worth another try: arXiv answers 429 and 503 when busy.
#: Failures another try cannot mend: say them at once.


def check_api_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a sound host and port, else a :class:`UsageError`."""
    problem = None
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        problem = "is not an http:// or https:// URL"
    else:
        try:
            urlsplit(url).port  # noqa: B018 - raises ValueError for a bad port
        except ValueError as exc:
            problem = f"has a bad port ({exc})"
    if problem:
        raise UsageError(
            f"the arXiv API URL {url!r} {problem}",
            hint=f"the default is {DEFAULT_API_URL}",
        )
    return url


@dataclass(frozen=True)
class ArxivSettings:
    """How to talk to the arXiv API. The defaults follow arXiv's terms of use."""

    api_url: str = DEFAULT_API_URL
    #: Seconds between the starts of two requests.
    min_interval: float = 3.0
    #: Further attempts after a 429, a 5xx or a timeout.
    retries: int = 3
    #: First backoff wait in seconds; it doubles at each retry (Retry-After wins if longer).
    backoff: float = 3.0
    #: Seconds one request may take in all (connect, wait and read).
    timeout: float = 15.0
    #: Seconds a cached answer stays fresh.
    max_age: float = 24 * 3600.0
    #: A Retry-After longer than this ends the retries at once.
    max_retry_after: float = 600.0
    #: Seconds one fetch may take in all, retries and waits included.
    deadline: float = DEFAULT_DEADLINE
    #: Bytes one answer may hold.
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ArxivSettings:
        """Defaults, then ``$SCC_ARXIV_*`` and ``$SCC_NET_*`` variables, then ``overrides``.

        ``$SCC_ARXIV_DELAY`` also sets the backoff unless ``$SCC_ARXIV_BACKOFF`` is given,
        so ``SCC_ARXIV_DELAY=0`` makes a test suite fast. Every number must be finite
        and in range, or a :class:`UsageError` names the variable.
        """
        from speechcompress.net.env import max_answer_bytes, net_deadline

        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "deadline": net_deadline(environ),
            "max_bytes": max_answer_bytes(environ),
        }
        if environ.get(ENV_API):
            values["api_url"] = environ[ENV_API]
        day = 86400.0
        delay = env_number(environ, ENV_DELAY, float, maximum=day)
        if delay is not None:
            values["min_interval"] = values["backoff"] = delay
        for name, key, kind, low, high in (
            (ENV_BACKOFF, "backoff", float, 0.0, day),
            (ENV_RETRIES, "retries", int, 0, 100),
            (ENV_TIMEOUT, "timeout", float, 0.001, day),
        ):
            number = env_number(environ, name, kind, minimum=low, maximum=high)
            if number is not None:
                values[key] = number
        hours = env_number(environ, ENV_CACHE_HOURS, float, maximum=24 * 365 * 100)
        if hours is not None:
            values["max_age"] = hours * 3600.0
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        check_api_url(settings.api_url)
        return settings


@dataclass
class ArxivClient(polite.PoliteClient):
    """Fetch arXiv entries by id, politely.

    ``http`` is an ``httpx.Client`` to use (tests pass one built on ``httpx.MockTransport``);
    without one, a client is created on the first request and closed by :meth:`close`.
    ``sleep`` and ``clock`` (wall-clock seconds) are injectable so tests never wait.
    ``cache_dir`` holds cached answers and the lock that paces scc processes; None
    disables both. ``use_cache=False`` ignores cached answers (fresh ones are still stored).
    """

    settings: ArxivSettings = field(default_factory=ArxivSettings)
    http: httpx.Client | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    #: How many HTTP requests this client has sent (retries included).
    requests_sent: int = field(default=0, init=False)
    _own_http: bool = field(default=False, init=False, repr=False)
    _pacer: Any = field(default=None, init=False, repr=False)

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _agent(self) -> str:
        return USER_AGENT

    def fetch(self, ids: Sequence[str]) -> dict[str, ArxivEntry]:
        """The entries for ``ids`` (bare arXiv ids), keyed by id; unknown ids are absent.

        Ids go ``BATCH_SIZE`` at a time in one ``id_list`` request each.
        """
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ArxivEntry] = {}
        give_up = self.clock() + self.settings.deadline
        for start in range(0, len(wanted), BATCH_SIZE):
            chunk = wanted[start : start + BATCH_SIZE]
            params = {"id_list": ",".join(chunk), "max_results": str(len(chunk))}
            for entry in self.query(params, give_up):
                if entry.arxiv_id in chunk:
                    found[entry.arxiv_id] = entry
        return found

    def query(self, params: Mapping[str, str], give_up: float | None = None) -> list[ArxivEntry]:
        """The entries of one API request (``id_list``, or ``search_query`` with paging),
        from the cache when fresh; paced, retried and bounded like every request.

        ``give_up`` is the wall-clock time to stop at (default: the deadline from now).
        """
        if give_up is None:
            give_up = self.clock() + self.settings.deadline
        cache_file = self._cache_file(params)
        cached = self._read_cache(cache_file)
        if cached is not None:
            try:
                return parse_feed(cached)
            except (NetworkError, UsageError):
                pass  # a damaged cache file is refetched
        answer = self._get(params, give_up)
        source = f"the arXiv API at {self.settings.api_url}"
        if "html" in answer.content_type.lower() or looks_like_html(answer.body):
            raise NetworkError(
                f"{source} sent an HTML page (HTTP {answer.status}) instead of an Atom feed",
                hint=f"check the API URL (--api-url or ${ENV_API})",
            )
        if answer.status != 200:
            # The API reports bad requests as an error feed with HTTP 400.
            with contextlib.suppress(NetworkError):
                parse_feed(answer.body, source=source)
            raise NetworkError(
                f"{source} answered HTTP {answer.status}",
                hint=f"check the API URL (--api-url or ${ENV_API})",
            )
        entries = parse_feed(answer.body, source=source)
        self._write_cache(cache_file, answer.body)
        return entries

    # -- the cache -----------------------------------------------------------------------

    def _cache_file(self, params: Mapping[str, str]) -> Path | None:
        return polite.cache_file(self.cache_dir, self.settings.api_url, params, ".xml")

    # -- one request ---------------------------------------------------------------------

    def _get(self, params: Mapping[str, str], give_up: float) -> Answer:
        """GET the API, retrying busy answers and timeouts with backoff, within the deadline."""
        url = self.settings.api_url
        return self._send(
            url,
            params,
            headers={},
            label=f"the arXiv API at {url}",
            name="arXiv",
            give_up=give_up,
            final_hint=_hint,
        )


def _hint(kind: str) -> str:
    if kind in ("dns", "resolve", "connect"):
        return "check the network connection, a proxy ($HTTPS_PROXY) or the API URL (--api-url)"
    if kind == "large":
        return "check the API URL (--api-url), or raise $SCC_NET_MAX_BYTES"
    if kind == "tls":
        return "check the system's certificates ($SSL_CERT_FILE) or a proxy"
    return "check the API URL (--api-url)"


def make_client(
    *,
    api_url: str | None = None,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    http: httpx.Client | None = None,
) -> ArxivClient:
    """A client configured from the environment, caching under scc's cache folder."""
    from speechcompress.fs import cache_folder

    settings = ArxivSettings.from_env(environ, api_url=api_url)
    try:
        folder: Path | None = cache_folder("arxiv", environ)
    except OSError:
        folder = None  # no cache, pacing per process
    return ArxivClient(settings=settings, http=http, cache_dir=folder, use_cache=use_cache)
