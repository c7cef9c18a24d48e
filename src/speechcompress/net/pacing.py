"""Pacing that holds across processes: one request at a time, a minimum interval apart.

The time of the last request is kept in a lock file in scc's cache (opened with
:func:`speechcompress.fs.cache_lock`, so a symlink planted there redirects nothing).
Without a usable lock file, pacing holds within the process only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Pacer:
    """Space request starts ``min_interval`` seconds apart; ``lock`` shares the spacing."""

    min_interval: float
    lock: Path | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    _last: float | None = field(default=None, init=False, repr=False)

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for our turn, hold it while the block runs, then stamp the time."""
        from speechcompress.fs import cache_lock

        if self.lock is not None:
            with contextlib.suppress(OSError):
                self.lock.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = contextlib.nullcontext(None) if self.lock is None else cache_lock(self.lock)
        with lock as fd:
            last = self._last
            if fd is not None:
                with contextlib.suppress(OSError, ValueError):
                    stamp = os.pread(fd, 64, 0).decode().strip()
                    if stamp:
                        last = max(last or 0.0, float(stamp))
            if last is not None:
                # A stamp from the future (clock change) never makes us wait longer than this.
                wait = min(self.min_interval, last + self.min_interval - self.clock())
                if wait > 0:
                    self.sleep(wait)
            try:
                yield
            finally:
                self._last = self.clock()
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, 0)
                        os.pwrite(fd, repr(self._last).encode(), 0)
