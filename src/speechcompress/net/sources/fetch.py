"""One polite JSON client for every bibliographic source.

Each source gets its own :class:`SourceSettings` (base URL, pace, politeness headers) and
shares the mechanics here, built on :mod:`speechcompress.net.http`:

* one request at a time per source, ``min_interval`` seconds apart, across scc processes
  (a pacing lock per source in the cache folder, :mod:`speechcompress.net.pacing`);
* retries with exponential backoff on 429, 5xx and timeouts, honouring ``Retry-After``;
  a name that does not resolve or a refused connection fails at once;
* a total deadline per request and per command, and a size cap per answer;
* answers cached on disk (a published record rarely changes), "not found" included;
* every failure is a :class:`NetworkError` that names the source and its URL.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from speechcompress.errors import NetworkError, UsageError
from speechcompress.net import polite
from speechcompress.net.env import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, env_number
from speechcompress.net.http import user_agent

if TYPE_CHECKING:
    import httpx

    from speechcompress.net.http import Answer

ENV_MAILTO = "SCC_MAILTO"
ENV_DELAY = "SCC_SOURCES_DELAY"
ENV_RETRIES = "SCC_SOURCES_RETRIES"
ENV_TIMEOUT = "SCC_SOURCES_TIMEOUT"
ENV_CACHE_HOURS = "SCC_SOURCES_CACHE_HOURS"

#: What the cache holds for a 404: the source said it does not know the thing.
_NOT_FOUND = b"null"


@dataclass(frozen=True)
class SourceSettings:
    """How to talk to one source. Defaults per source live in its module."""

    #: The name on the command line ("dblp").
    name: str
    #: The name in messages ("DBLP").
    label: str
    api_url: str
    #: The variable that overrides ``api_url``.
    env_api: str
    #: Seconds between the starts of two requests to this source.
    min_interval: float = 1.0
    retries: int = 3
    #: First backoff wait; it doubles at each retry (a longer Retry-After wins).
    backoff: float = 2.0
    timeout: float = 20.0
    #: Seconds a cached answer stays fresh (a week: published records rarely change).
    max_age: float = 7 * 24 * 3600.0
    max_retry_after: float = 600.0
    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    #: A contact address for the source's polite pool (``$SCC_MAILTO``).
    mailto: str | None = None
    #: Extra headers (an API key), never part of the cache key.
    headers: tuple[tuple[str, str], ...] = ()

    def from_env(self, environ: Mapping[str, str] | None = None) -> SourceSettings:
        """These settings, then ``$<env_api>``, ``$SCC_MAILTO`` and ``$SCC_SOURCES_*``.

        ``$SCC_SOURCES_DELAY`` sets the pace and the first backoff of every source (0 in
        tests). Numbers are checked like every scc number: a bad one names its variable.
        """
        from speechcompress.net.env import max_answer_bytes, net_deadline

        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "deadline": net_deadline(environ),
            "max_bytes": max_answer_bytes(environ),
        }
        if environ.get(self.env_api):
            values["api_url"] = environ[self.env_api].rstrip("/")
        if environ.get(ENV_MAILTO, "").strip():
            values["mailto"] = environ[ENV_MAILTO].strip()
        day = 86400.0
        delay = env_number(environ, ENV_DELAY, float, maximum=day)
        if delay is not None:
            values["min_interval"] = values["backoff"] = delay
        for name, key, kind, low, high in (
            (ENV_RETRIES, "retries", int, 0, 100),
            (ENV_TIMEOUT, "timeout", float, 0.001, day),
        ):
            number = env_number(environ, name, kind, minimum=low, maximum=high)
            if number is not None:
                values[key] = number
        hours = env_number(environ, ENV_CACHE_HOURS, float, maximum=24 * 365 * 100)
        if hours is not None:
            values["max_age"] = hours * 3600.0
        settings = replace(self, **values)
        _check_url(settings)
        return settings


def _check_url(settings: SourceSettings) -> None:
    url = settings.api_url
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
            f"the {settings.label} API URL {url!r} {problem}",
            hint=f"fix or unset ${settings.env_api}",
        )


@dataclass
class Fetcher(polite.PoliteClient):
    """GET JSON from one source, politely. ``http``, ``sleep`` and ``clock`` are injectable.

    ``cache_dir`` holds this source's cached answers and pacing lock (None: neither).
    """

    settings: SourceSettings
    http: httpx.Client | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    requests_sent: int = field(default=0, init=False)
    _own_http: bool = field(default=False, init=False, repr=False)
    _pacer: Any = field(default=None, init=False, repr=False)
    _give_up: float | None = field(default=None, init=False, repr=False)

    def _agent(self) -> str:
        contact = f"; mailto:{self.settings.mailto}" if self.settings.mailto else ""
        return user_agent(f"{self.settings.label} client{contact}")

    def with_contact(self, params: Mapping[str, str]) -> dict[str, str]:
        """``params`` and, when one is set, the ``mailto`` contact address (Crossref's and
        OpenAlex's "polite pool"; left out of the cache key)."""
        mailto = self.settings.mailto
        return {**params, "mailto": mailto} if mailto else dict(params)

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """The decoded JSON at ``api_url + path``; None when the source answers 404."""
        return self.get(path, params, self._decode)

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None,
        decode: Callable[[bytes, str], Any],
    ) -> Any:
        """``decode(body, url)`` of the answer at ``api_url + path`` (cached); None on 404.

        ``decode`` raises :class:`NetworkError` for a body it cannot read; such a body is
        never cached.
        """
        url = self.settings.api_url + path
        params = dict(params or {})
        cache_file = self._cache_file(url, params)
        cached = self._read_cache(cache_file)
        if cached is not None:
            if cached.strip() == _NOT_FOUND:
                return None
            try:
                return decode(cached, url)
            except NetworkError:
                pass  # a damaged cache file is fetched again
        if self._give_up is None:
            self._give_up = self.clock() + self.settings.deadline
        answer = self._get(url, params, self._give_up)
        if answer.status == 404:
            self._write_cache(cache_file, _NOT_FOUND)
            return None
        where = f"{self.settings.label} at {self.settings.api_url}"
        if answer.status != 200:
            raise NetworkError(
                f"{where} answered HTTP {answer.status}",
                hint=f"check ${self.settings.env_api}, or try again later",
            )
        data = decode(answer.body, url)
        self._write_cache(cache_file, answer.body)
        return data

    def _decode(self, body: bytes, url: str) -> Any:
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            head = body[:200].lstrip().lower()
            what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "malformed JSON"
            raise NetworkError(
                f"{self.settings.label} at {self.settings.api_url} sent {what} "
                f"instead of JSON ({type(exc).__name__})",
                hint=f"check ${self.settings.env_api}, or try again later",
            ) from None

    # -- the cache -----------------------------------------------------------------------

    def _cache_file(self, url: str, params: Mapping[str, str]) -> Path | None:
        # The contact address is left out: it does not change the answer.
        kept = {k: v for k, v in params.items() if k != "mailto"}
        return polite.cache_file(self.cache_dir, url, kept, ".json")

    # -- one request, retried ------------------------------------------------------------

    def _get(self, url: str, params: Mapping[str, str], give_up: float) -> Answer:
        hint = f"check the network connection, a proxy or ${self.settings.env_api}"
        return self._send(
            url,
            params,
            headers={"Accept": "application/json", **dict(self.settings.headers)},
            label=f"{self.settings.label} at {self.settings.api_url}",
            name=self.settings.label,
            give_up=give_up,
            final_hint=lambda kind: hint,
        )


def make_fetcher(
    defaults: SourceSettings,
    *,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    http: httpx.Client | None = None,
) -> Fetcher:
    """A fetcher configured from the environment, caching under ``sources/<name>``."""
    from speechcompress.fs import cache_folder

    settings = defaults.from_env(environ)
    try:
        folder: Path | None = cache_folder("sources", environ) / settings.name
    except OSError:
        folder = None  # no cache, pacing per process
    return Fetcher(settings=settings, http=http, cache_dir=folder, use_cache=use_cache)
