"""httpcore network backends that pin each connection to a checked address and a deadline.

Both backends resolve the host themselves (:func:`~speechcompress.net.guard.checked_addresses`)
and connect to the literal address they checked; TLS still verifies and sends SNI for
the name in the URL, because httpcore passes that name to ``start_tls``. The sync
backend also bounds every read and write by the deadline of the request in progress
(:func:`request_deadline`): httpx's timeouts apply per read, so a server that drips one
byte a second would otherwise hold a request for as long as it likes.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore

from speechcompress.net.guard import checked_addresses

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "scc_request_deadline", default=None
)


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Let the requests made in this block take ``seconds`` in all (monotonic clock)."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None) -> float | None:
    """``timeout`` cut to what is left of the current deadline; raise when none is left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


def _connect_error(exc: OSError) -> httpcore.ConnectError:
    error = httpcore.ConnectError(str(exc))
    error.__cause__ = exc
    return error


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Sync: connect only to checked addresses, within the request's deadline."""

    def __init__(self, *, allow_private: bool) -> None:
        self.inner = httpcore.SyncBackend()
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = checked_addresses(host, port, allow_private=self.allow_private)
        except OSError as exc:
            raise _connect_error(exc) from exc
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                stream = self.inner.connect_tcp(
                    address, port, _bounded(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - scc never uses unix sockets
        raise httpcore.ConnectError("unix sockets are not used by scc")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class AsyncPinnedBackend(httpcore.AsyncNetworkBackend):
    """Async: connect only to checked addresses (resolved in a worker thread).

    Deadlines are the caller's ``asyncio.timeout``: cancellation reaches every await.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        import anyio.to_thread

        def check() -> list[str]:
            return checked_addresses(host, port, allow_private=self.allow_private)

        try:
            addresses = await anyio.to_thread.run_sync(check, abandon_on_cancel=True)
        except OSError as exc:
            raise _connect_error(exc) from exc
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - scc never uses unix sockets
        raise httpcore.ConnectError("unix sockets are not used by scc")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
