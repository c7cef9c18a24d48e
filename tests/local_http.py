"""Start and stop a test's HTTP server: threaded, on a free port of 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A server answering with ``handler`` in a daemon thread (a slow answer never holds
    up shutdown)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    return server


def stop(server: ThreadingHTTPServer | None) -> None:
    assert server is not None
    server.shutdown()
    server.server_close()
