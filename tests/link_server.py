"""A real HTTP server on a loopback address that answers scripted routes.

Used by the link-check tests and by ``bench/links_bench.py``. Each route is a
:class:`Reply`, a list of replies given in turn (the last one repeats), or a function of
the request method. Every request is counted, and the most requests in flight at once is
recorded, so tests can assert retries and concurrency limits.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering.
    delay: float = 0.0
    body: bytes = b"hello\n"


def redirect(status: int, location: str) -> Reply:
    return Reply(status, {"Location": location}, body=b"")


Route = Reply | list[Reply] | Callable[[str], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow answer never holds up shutdown
    request_queue_size = 256  # many clients connect at once in the benchmark
    allow_reuse_address = True


class LinkServer:
    """``with LinkServer({"/ok": Reply(200)}) as server: server.url("/ok")``."""

    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes = routes
        self.hits: Counter[tuple[str, str]] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._turns: Counter[str] = Counter()
        self._httpd = _Server((host, port), self._handler())
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def __enter__(self) -> LinkServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _reply(self, method: str, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None:
            return Reply(404, body=b"not found\n")
        if callable(route):
            return route(method)
        if isinstance(route, list):
            with self._lock:
                turn = self._turns[path]
                self._turns[path] += 1
            return route[min(turn, len(route) - 1)]
        return route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.hits[method, path] += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                counted = True
                try:
                    reply = server._reply(method, path)
                    if reply.delay:
                        time.sleep(reply.delay)
                    # Done before answering: a client may start its next request as soon
                    # as it has the answer, and that must not count as one more at once.
                    with server._lock:
                        server.in_flight -= 1
                    counted = False
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if method == "GET":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    if counted:
                        with server._lock:
                            server.in_flight -= 1

            def do_GET(self) -> None:
                self._answer("GET")

            def do_HEAD(self) -> None:
                self._answer("HEAD")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
