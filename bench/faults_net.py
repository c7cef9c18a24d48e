"""Local HTTP servers for ``bench/faults.py``: on 127.0.0.1 only, bounded, self-stopping.

Each server answers from one function of the request path, counts every request it
receives, and shuts itself down after ``lifetime`` seconds even if nobody stops it;
slow answers give up when the server stops.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from faults_core import REPO

sys.path.insert(0, str(REPO / "tests"))

from arxiv_server import atom_entry, atom_feed

#: What a route returns: (status, headers, body chunks). A body may be a lazy iterator.
Answer = tuple[int, dict[str, str], Iterator[bytes] | bytes]
Route = Callable[["Server", str, str], Answer | None]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class Server:
    """``with Server(route) as s: s.url("/x")``; ``s.hits`` counts requests by path."""

    def __init__(self, route: Route, *, lifetime: float = 180.0) -> None:
        self.route = route
        self.hits: list[str] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), self._handler())
        self.port: int = self._httpd.server_address[1]
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Server:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def sleep(self, seconds: float) -> bool:
        """Wait; False if the server is stopping meanwhile."""
        return not self.stopping.wait(seconds)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                with owner._lock:
                    owner.hits.append(self.path)
                try:
                    answer = owner.route(owner, self.command, self.path)
                    if answer is None:
                        return
                    status, headers, body = answer
                    if not isinstance(answer, _Raw):
                        self.send_response(status)
                        for name, value in headers.items():
                            self.send_header(name, value)
                        self.end_headers()
                        if self.command == "HEAD":
                            return
                    chunks = [body] if isinstance(body, bytes) else body
                    for chunk in chunks:
                        if owner.stopping.is_set():
                            return
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError, TimeoutError):
                    pass

            do_GET = do_HEAD = do_POST = _any

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


# --- routes ---------------------------------------------------------------------------------


def ok(_server: Server, _method: str, _path: str) -> Answer:
    return 200, {"Content-Type": "text/plain", "Content-Length": "6"}, b"hello\n"


def dripping(limit: float = 90.0, *, head: bool = True) -> Route:
    """Headers at once, then a body of 10,000 bytes at one byte a second.

    ``head=False``: HEAD is answered 405, so a client that tries HEAD first must GET.
    """

    def route(server: Server, method: str, _path: str) -> Answer:
        if method == "HEAD" and not head:
            return 405, {"Content-Length": "0", "Allow": "GET"}, b""

        def body() -> Iterator[bytes]:
            start = time.monotonic()
            while time.monotonic() - start < limit:
                yield b"x"
                if not server.sleep(1.0):
                    return

        return 200, {"Content-Type": "text/html", "Content-Length": "10000"}, body()

    return route


def dripping_head(limit: float = 90.0) -> Route:
    """The status line and headers themselves, one byte a second (writes raw bytes)."""

    def route(server: Server, _method: str, _path: str) -> Answer:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n" + b"X" * 5000

        def body() -> Iterator[bytes]:
            start = time.monotonic()
            for i in range(len(head)):
                if time.monotonic() - start > limit:
                    return
                yield head[i : i + 1]
                if not server.sleep(1.0):
                    return

        return _Raw(body())

    return route


class _Raw(tuple):  # type: ignore[type-arg]
    """A marker answer: these bytes are the whole response, status line included."""

    def __new__(cls, chunks: Iterator[bytes]) -> _Raw:
        return super().__new__(cls, (0, {}, chunks))


def huge(size: int, *, prefix: bytes = b"", length: bool = True, ctype: str = "text/html") -> Route:
    """``size`` bytes (``prefix`` then spaces), made chunk by chunk, never held in memory."""

    def route(server: Server, _method: str, _path: str) -> Answer:
        def body() -> Iterator[bytes]:
            yield prefix
            chunk = b" " * 65536
            left = size - len(prefix)
            while left > 0:
                yield chunk[: min(left, len(chunk))]
                left -= len(chunk)

        headers = {"Content-Type": ctype}
        if length:
            headers["Content-Length"] = str(size)
        return 200, headers, body()

    return route


def redirect(location: str) -> Route:
    def route(_server: Server, _method: str, _path: str) -> Answer:
        return 302, {"Location": location, "Content-Length": "0"}, b""

    return route


def arxiv_feed(entries: dict[str, str]) -> Route:
    """A fake arXiv API: the Atom feed of the requested ids that are in ``entries``."""
    from urllib.parse import parse_qs, urlsplit

    def route(_server: Server, _method: str, path: str) -> Answer:
        ids = ",".join(parse_qs(urlsplit(path).query).get("id_list", [])).split(",")
        body = atom_feed([entries[i] for i in ids if i in entries])
        headers = {"Content-Type": "application/atom+xml", "Content-Length": str(len(body))}
        return 200, headers, body

    return route


def entry(arxiv_id: str, title: str) -> str:
    return atom_entry(arxiv_id, title, authors=("Ada Example", "Bo Test"))
