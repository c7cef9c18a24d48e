"""What every paced service client shares: one retried GET and one answer cache.

The arXiv client and the publication sources (DBLP, Crossref, ...) differ in what they
ask and how they read the answer; how they ask is the same. A request waits its turn on
the service's pacing lock, is bounded by its own timeout and the command's deadline,
and is retried after a timeout, a 429 or a 5xx with exponential backoff that honours
Retry-After. A failure that retrying cannot mend (no such host, a refused connection,
a private address, a TLS problem, an answer too large) is reported at once.

Hand-written rather than tenacity: the wait must honour Retry-After, share the pacing
lock and stop at the overall deadline; scc declares no retry library.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from speechcompress.errors import NetworkError

if TYPE_CHECKING:
    import httpx

    from speechcompress.net.http import Answer

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Failures no retry can mend: reported at once.
FINAL_KINDS = frozenset({"dns", "resolve", "connect", "private", "tls", "large", "scheme"})


@dataclass(frozen=True)
class Policy:
    """How one service is asked."""

    #: The service as messages name it, e.g. "the arXiv API at https://...".
    label: str
    #: Its short name in "… may be busy or down", e.g. "arXiv".
    name: str
    retries: int
    timeout: float
    backoff: float
    max_retry_after: float
    max_bytes: int
    deadline: float


def get_politely(
    client: httpx.Client,
    url: str,
    *,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    policy: Policy,
    give_up: float,
    turn: Callable[[], AbstractContextManager[object]],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    final_hint: Callable[[str], str],
    sent: Callable[[], None] = lambda: None,
) -> Answer:
    """GET ``url``, retrying busy answers and timeouts with backoff, until ``give_up``
    (a ``clock`` time). ``turn`` paces requests; ``sent`` is told of each one sent;
    ``final_hint`` gives the hint for a failure kind no retry can mend."""
    from urllib.parse import urlsplit

    import httpx

    from speechcompress.net import http

    host = urlsplit(url).hostname or url
    attempts = policy.retries + 1
    problem = ""
    done = 0
    for attempt in range(attempts):
        retry_after: float | None = None
        with turn():
            left = give_up - clock()
            if left <= 0:
                break
            sent()
            done += 1
            try:
                answer = http.get(
                    client,
                    url,
                    params=params,
                    headers=headers,
                    deadline=min(policy.timeout, left),
                    max_bytes=policy.max_bytes,
                )
            except (
                httpx.TransportError,
                httpx.InvalidURL,
                http.TooLarge,
                http.DeadlinePassed,
            ) as exc:
                kind, problem = http.describe_failure(exc, host, policy.timeout)
                if kind in FINAL_KINDS:
                    raise NetworkError(
                        f"{policy.label} failed: {problem}", hint=final_hint(kind)
                    ) from None
            else:
                if answer.status not in RETRY_STATUSES:
                    return answer
                problem = f"HTTP {answer.status}"
                retry_after = http.parse_retry_after(answer.retry_after, clock())
        if attempt + 1 == attempts:
            break
        if retry_after is not None and retry_after > policy.max_retry_after:
            raise NetworkError(
                f"{policy.label} is busy ({problem}) and asks to wait {retry_after:.0f} s",
                hint="try again later",
            )
        wait = max(retry_after or 0.0, policy.backoff * 2**attempt)
        if clock() + wait >= give_up:
            break
        if wait > 0:
            sleep(wait)
    tries = f"{done} attempt{'s' if done != 1 else ''}"
    if done < attempts:
        raise NetworkError(
            f"{policy.label} failed: {problem or 'no answer'} after {tries}; "
            f"gave up at the {policy.deadline:g} s deadline",
            hint="raise $SCC_NET_DEADLINE, or try again in a few minutes",
        )
    raise NetworkError(
        f"{policy.label} failed: {problem} after {tries}",
        hint=f"{policy.name} may be busy or down; try again in a few minutes",
    )


# --- the answer cache ----------------------------------------------------------------------


def cache_file(
    folder: Path | None, url: str, params: Mapping[str, str], suffix: str
) -> Path | None:
    """The cache file of one request (None without a cache folder)."""
    if folder is None:
        return None
    key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}{suffix}"


def read_fresh(path: Path | None, max_age: float, now: float) -> bytes | None:
    """The cached answer at ``path`` if it is at most ``max_age`` seconds old, else None.

    Never read through a symlink; a little slack below zero age, as file times and the
    clock may disagree slightly.
    """
    from speechcompress.fs import read_private

    if path is None:
        return None
    try:
        st = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not -60 <= now - st.st_mtime <= max_age:
        return None
    return read_private(path)


def store(path: Path | None, body: bytes) -> None:
    """Keep an answer; failing to cache is not an error."""
    from speechcompress.fs import write_private

    if path is not None:
        write_private(path, body)


# --- the client both services build on -------------------------------------------------------


class ServiceSettings(Protocol):
    """The settings every paced service has (``ArxivSettings``, ``SourceSettings``)."""

    @property
    def min_interval(self) -> float: ...
    @property
    def retries(self) -> int: ...
    @property
    def backoff(self) -> float: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_age(self) -> float: ...
    @property
    def max_retry_after(self) -> float: ...
    @property
    def deadline(self) -> float: ...
    @property
    def max_bytes(self) -> int: ...


class PoliteClient:
    """The state and steps the arXiv client and the sources' fetcher share: one httpx
    client made on first use (closed by :meth:`close`), the pacing lock in the cache
    folder, the answer cache and the retried GET. Subclasses are dataclasses that hold
    the fields declared here and say which user agent they send."""

    settings: ServiceSettings
    http: httpx.Client | None
    cache_dir: Path | None
    use_cache: bool
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    #: How many HTTP requests this client has sent (retries included).
    requests_sent: int
    _own_http: bool
    _pacer: Any

    def _agent(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        if self._own_http and self.http is not None:
            self.http.close()
            self.http = None
            self._own_http = False

    def _read_cache(self, path: Path | None) -> bytes | None:
        if not self.use_cache:
            return None
        return read_fresh(path, self.settings.max_age, self.clock())

    def _write_cache(self, path: Path | None, body: bytes) -> None:
        store(path, body)

    def _client(self) -> httpx.Client:
        if self.http is None:
            from speechcompress.net.http import make_client

            self.http = make_client(timeout=self.settings.timeout, agent=self._agent())
            self._own_http = True
        return self.http

    def _turn(self) -> AbstractContextManager[object]:
        if self._pacer is None:
            from speechcompress.net.pacing import Pacer

            lock = self.cache_dir / "api.lock" if self.cache_dir is not None else None
            self._pacer = Pacer(self.settings.min_interval, lock, self.sleep, self.clock)
        turn: AbstractContextManager[object] = self._pacer.turn()
        return turn

    def _send(
        self,
        url: str,
        params: Mapping[str, str],
        *,
        headers: Mapping[str, str],
        label: str,
        name: str,
        give_up: float,
        final_hint: Callable[[str], str],
    ) -> Answer:
        """:func:`get_politely` with this client's settings, lock, clock and count."""
        settings = self.settings
        policy = Policy(
            label=label,
            name=name,
            retries=settings.retries,
            timeout=settings.timeout,
            backoff=settings.backoff,
            max_retry_after=settings.max_retry_after,
            max_bytes=settings.max_bytes,
            deadline=settings.deadline,
        )

        def sent() -> None:
            self.requests_sent += 1

        return get_politely(
            self._client(),
            url,
            params=params,
            headers={"User-Agent": self._agent(), **headers},
            policy=policy,
            give_up=give_up,
            turn=self._turn,
            clock=self.clock,
            sleep=self.sleep,
            final_hint=final_hint,
            sent=sent,
        )
