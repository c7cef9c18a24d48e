"""A stand-in for the bibliographic APIs: one threaded HTTP server on 127.0.0.1.

Routes map a path (``/search/publ/api``, ``/works``, ``/graph/v1/paper/arXiv:2207.00555``)
to a list of scripted answers, given in order; the last one repeats. An unknown path
answers 404. A ``delay`` answer sleeps before replying (a timeout). Every request is
recorded with its path, query and headers.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from local_http import serve, stop

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
#: The catalog the command-line tests of the sources start from.
CATALOG = FIXTURES / "catalog.toml"


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    delay: float = 0.0


def fixture(name: str) -> Answer:
    """A 200 answer holding the fixture file ``name``."""
    return Answer(body=(FIXTURES / name).read_bytes())


def data(value: Any) -> Answer:
    return Answer(body=json.dumps(value).encode())


NOT_FOUND = Answer(404, b'{"message": "not found"}')


@dataclass
class Request:
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class SourcesServer:
    routes: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def env(self) -> dict[str, str]:
        """The environment that sends every source's requests here."""
        return {
            name: self.url
            for name in ("SCC_DBLP_API", "SCC_CROSSREF_API", "SCC_OPENALEX_API", "SCC_S2_API")
        }

    def _answer(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            script = self.routes.get(request.path)
            if not script:
                return NOT_FOUND
            return script.pop(0) if len(script) > 1 else script[0]

    def __enter__(self) -> SourcesServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                answer = owner._answer(
                    Request(unquote(parts.path), parse_qs(parts.query), dict(self.headers))
                )
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers:
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up first (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = serve(Handler)
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self._server)
