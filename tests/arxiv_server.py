"""A stand-in for arXiv's export API: a threaded HTTP server on 127.0.0.1 for tests.

It answers scripted responses first (one per request, e.g. a 429 then the real answer),
then ``always`` if given (a 503 that never recovers), else an Atom feed holding the
entries named in ``id_list``. Every request is recorded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from local_http import serve, stop

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"

Response = tuple[int, dict[str, str], bytes]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def atom_entry(
    arxiv_id: str,
    title: str,
    *,
    version: int = 1,
    published: str = "2023-05-28",
    updated: str | None = None,
    authors: tuple[str, ...] = ("Ada Example",),
    abstract: str = "A test abstract.",
    comment: str | None = None,
    journal_ref: str | None = None,
    doi: str | None = None,
) -> str:
    """One ``<entry>`` in the 2026 layout (namespaces declared on the feed)."""
    extra = "".join(
        f"    <arxiv:{tag}>{escape(value)}</arxiv:{tag}>\n"
        for tag, value in (("comment", comment), ("journal_ref", journal_ref), ("doi", doi))
        if value
    )
    names = "".join(f"    <author><name>{escape(a)}</name></author>\n" for a in authors)
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{arxiv_id}v{version}</id>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <updated>{updated or published}T12:00:00Z</updated>\n"
        f"    <summary>{escape(abstract)}</summary>\n"
        f"    <published>{published}T12:00:00Z</published>\n"
        f"{extra}"
        '    <arxiv:primary_category term="eess.AS"/>\n'
        f"{names}"
        "  </entry>\n"
    )


def atom_feed(entries: list[str]) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/api/scc-test-server</id>\n"
        "  <title>arXiv Query</title>\n"
        "  <updated>2026-04-12T00:00:00Z</updated>\n" + "".join(entries) + "</feed>\n"
    ).encode()


@dataclass
class Request:
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return ",".join(self.params.get("id_list", [])).split(",")


@dataclass
class ArxivServer:
    """Use as a context manager; ``url`` is the API endpoint to pass to scc."""

    entries: dict[str, str] = field(default_factory=dict)
    script: list[Response] = field(default_factory=list)
    always: Response | None = None
    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/query"

    def _answer(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.pop(0)
        if self.always is not None:
            return self.always
        found = [self.entries[i] for i in request.ids if i in self.entries]
        return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, atom_feed(found)

    def __enter__(self) -> ArxivServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, headers, body = owner._answer(
                    Request(parts.path, parse_qs(parts.query), dict(self.headers.items()))
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = serve(Handler)
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self._server)
