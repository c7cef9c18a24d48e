"""A misbehaving HTTP server on 127.0.0.1: drips its answer, or sends far too much.

Each connection gets ``head`` at once, then ``drip`` one byte every ``interval`` seconds
(the slow loris), then ``body``. Every connection stops by itself after ``limit``
seconds, so a test that fails never leaves a thread behind for long.
"""

from __future__ import annotations

import socket
import threading
import time


class DripServer:
    """``with DripServer(head=b"HTTP/1.1 200 OK\\r\\n", drip=b"x" * 100) as s: s.url``."""

    def __init__(
        self,
        *,
        head: bytes = b"",
        drip: bytes = b"",
        body: bytes = b"",
        interval: float = 0.1,
        limit: float = 10.0,
    ) -> None:
        self.head, self.drip, self.body = head, drip, body
        self.interval, self.limit = interval, limit
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> DripServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        end = time.monotonic() + self.limit
        try:
            with conn:
                conn.settimeout(1.0)
                conn.recv(65536)
                conn.sendall(self.head)
                for byte in self.drip:
                    if self._stop.is_set() or time.monotonic() > end:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.interval)
                view = memoryview(self.body)
                while view and not self._stop.is_set() and time.monotonic() < end:
                    sent = conn.send(view[:65536])
                    view = view[sent:]
        except OSError:
            pass  # the client hung up: what a test hopes for


def headers(length: int | None = None, content_type: str = "application/atom+xml") -> bytes:
    """A 200 status line and headers, with a Content-Length if given."""
    lines = ["HTTP/1.1 200 OK", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
