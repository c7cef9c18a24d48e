"""The one HTTP layer: client factory, user agent, bounded requests, failures in words.

* :func:`make_client` / :func:`make_async_client` build every client scc uses, over a
  backend that connects only to checked addresses (see :mod:`.backend`); a bad proxy
  variable, a missing SOCKS extra or a missing certificate file is a
  :class:`NetworkError` naming the variable, not a traceback.
* :func:`get` streams an answer under a total deadline and a size cap.
* :func:`describe_failure` turns any transport error into a kind and one line.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from speechcompress import __version__
from speechcompress.errors import NetworkError

if TYPE_CHECKING:
    import httpx

#: Every scc request says who it is; ``purpose`` names the part of scc asking.
USER_AGENT_BASE = f"scc/{__version__} (speechcompress paper catalog"


def user_agent(purpose: str) -> str:
    """The User-Agent for one part of scc, e.g. ``user_agent("arXiv API client")``."""
    return f"{USER_AGENT_BASE}; {purpose})"


#: The two kinds of client :func:`_build` makes.
_C = TypeVar("_C", "httpx.Client", "httpx.AsyncClient")
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
_CERT_VARS = ("SSL_CERT_FILE", "SSL_CERT_DIR")


def _setup_error(exc: Exception) -> NetworkError:
    """A NetworkError for a client that cannot be built, naming the setting to fix."""
    proxies = {n: os.environ[n] for n in _PROXY_VARS if os.environ.get(n)}
    if isinstance(exc, ImportError) or "socks" in str(exc).lower():
        name = next((n for n, v in proxies.items() if v.lower().startswith("socks")), "ALL_PROXY")
        return NetworkError(
            f"${name} names a SOCKS proxy, which needs httpx's socks extra",
            hint="pip install 'httpx[socks]', or unset the variable",
        )
    if isinstance(exc, OSError):
        for name in _CERT_VARS:
            value = os.environ.get(name)
            if value and not os.path.exists(value):
                return NetworkError(
                    f"${name} names {value}, which does not exist",
                    hint=f"point {name} at a CA bundle, or unset it",
                )
        return NetworkError(
            f"cannot set up TLS: {exc.strerror or exc}", hint="check $SSL_CERT_FILE"
        )
    if proxies:
        shown = ", ".join(f"${n}={v!r}" for n, v in proxies.items())
        return NetworkError(
            f"bad proxy setting ({exc}): {shown}",
            hint="a proxy looks like http://host:port; fix or unset the variable",
        )
    return NetworkError(f"cannot set up HTTP: {exc}")


def _build(
    client_type: type[_C],
    pool_type: Callable[..., object],
    backend: object,
    *,
    timeout: float,
    headers: Mapping[str, str],
    connections: int,
) -> _C:
    """A client of ``client_type`` whose direct connections go through ``backend``:
    ``connections`` kept alive, twice as many at once, proxies from the environment."""
    import httpx

    try:
        ssl_context = httpx.create_ssl_context(trust_env=True)
        client = client_type(
            verify=ssl_context,
            limits=httpx.Limits(
                max_connections=connections * 2, max_keepalive_connections=connections
            ),
            timeout=httpx.Timeout(timeout, pool=None),
            headers=dict(headers),
            follow_redirects=False,
        )
    except (ImportError, ValueError, TypeError, OSError, httpx.InvalidURL) as exc:
        raise _setup_error(exc) from None
    pool = pool_type(
        ssl_context=ssl_context,
        max_connections=connections * 2,
        max_keepalive_connections=connections,
        network_backend=backend,
    )
    # httpx offers no hook for a network backend, so this sets the direct (unproxied)
    # transport's private ``_pool``; the guard tests fail loudly if a release renames
    # it. Proxied requests keep httpx's own transports: the proxy resolves the name there.
    transport = client._transport
    if not hasattr(transport, "_pool"):  # pragma: no cover - an httpx we do not know
        raise NetworkError("cannot set up HTTP: this httpx has no connection pool to guard")
    transport._pool = pool
    return client


def make_client(
    *, timeout: float, agent: str, allow_private: bool = True, connections: int = 4
) -> httpx.Client:
    """A sync client whose direct connections are pinned (see :mod:`.backend`).

    Proxies from the environment are honoured (the proxy then resolves the names).
    """
    import httpcore
    import httpx

    from speechcompress.net.backend import PinnedBackend

    return _build(
        httpx.Client,
        httpcore.ConnectionPool,
        PinnedBackend(allow_private=allow_private),
        timeout=timeout,
        headers={"User-Agent": agent},
        connections=connections,
    )


def make_async_client(
    *, timeout: float, agent: str, allow_private: bool, connections: int = 32
) -> httpx.AsyncClient:
    """An async client for many requests at once, pinned like :func:`make_client`."""
    import httpcore
    import httpx

    from speechcompress.net.backend import AsyncPinnedBackend

    return _build(
        httpx.AsyncClient,
        httpcore.AsyncConnectionPool,
        AsyncPinnedBackend(allow_private=allow_private),
        timeout=timeout,
        headers={"User-Agent": agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        connections=connections,
    )


# --- one bounded request -----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read whole (within the cap)."""

    status: int
    content_type: str
    body: bytes
    retry_after: str | None = None


class TooLarge(Exception):
    """The answer passed the size cap."""


class DeadlinePassed(Exception):
    """The answer did not arrive in full before the request's deadline."""


def get(
    client: httpx.Client,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    deadline: float,
    max_bytes: int,
) -> Answer:
    """GET ``url``, reading at most ``max_bytes`` and taking at most ``deadline`` seconds.

    Raises httpx transport errors as they come, :class:`TooLarge` and
    :class:`DeadlinePassed` (both are put in words by :func:`describe_failure`).
    """
    from speechcompress.net.backend import request_deadline

    start = time.monotonic()
    with (
        request_deadline(deadline),
        client.stream(
            "GET", url, params=params, headers=headers, follow_redirects=True
        ) as response,
    ):
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(f"{int(declared):,} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # decoded: the cap is on what we hold
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"more than {max_bytes:,} bytes")
            chunks.append(chunk)
            if time.monotonic() - start > deadline:
                raise DeadlinePassed(f"{deadline:g} s")
        return Answer(
            response.status_code,
            response.headers.get("content-type", ""),
            b"".join(chunks),
            response.headers.get("retry-after"),
        )


# --- failures in words -------------------------------------------------------------------


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


def describe_failure(exc: BaseException, host: str | None, timeout: float) -> tuple[str, str]:
    """(kind, detail) for a failed request to ``host`` (None: a detail for a row that
    already shows the URL).

    Kinds: ``dns`` (the name does not exist), ``resolve`` (name lookup failed: offline?),
    ``connect`` (refused or unreachable), ``private`` (a blocked address), ``timeout``,
    ``tls``, ``large``, ``scheme``, ``invalid``, ``protocol``.
    """
    import httpx

    from speechcompress.net.guard import BlockedAddress

    unknown = f"cannot resolve host {host}: unknown host" if host else "unknown host"
    refused = f"cannot connect to {host}: connection refused" if host else "connection refused"
    chain = _causes(exc)
    for cause in chain:
        if isinstance(cause, BlockedAddress):
            return "private", f"{cause} (use --allow-private)"
        if isinstance(cause, TooLarge):
            return "large", f"answer too large ({cause}); see $SCC_NET_MAX_BYTES"
        if isinstance(cause, DeadlinePassed):
            return "timeout", f"no complete answer within {cause}"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "scheme", f"not an http(s) link ({exc})"
    if isinstance(exc, (httpx.InvalidURL, ValueError)):
        return "invalid", f"invalid URL ({exc})"
    no_name = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            if cause.errno in no_name:
                return "dns", unknown
            return "resolve", f"cannot resolve host {host or ''} ({cause.strerror or cause})"
    text = " ".join(str(c) for c in chain).lower()
    if any(phrase in text for phrase in _NO_SUCH_HOST):
        return "dns", unknown
    if "certificate" in text or any(type(c).__name__.startswith("SSL") for c in chain):
        return "tls", f"TLS problem ({exc})"
    if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
        return "connect", refused
    if isinstance(exc, httpx.ConnectError):
        return (
            "connect",
            f"cannot connect{' to ' + host if host else ''} ({exc or type(exc).__name__})",
        )
    return "protocol", f"network error ({type(exc).__name__}: {exc})"


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
