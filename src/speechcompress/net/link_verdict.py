"""How one URL's outcome becomes a :class:`~.link_types.LinkResult`. Pure: no I/O.

A request chain ends in an :class:`Attempt`; :func:`result_of` turns it into a status
and a detail, and :func:`precheck` answers for URLs that are never requested at all.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from http import HTTPStatus
from urllib.parse import urlsplit

from speechcompress.net.guard import is_private_host
from speechcompress.net.link_types import (
    BLOCKED_CODES,
    DEAD_CODES,
    LinkOptions,
    LinkResult,
    Status,
)


def _phrase(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


@dataclass
class Attempt:
    """What one request chain (with its redirects) came to."""

    url: str
    code: int | None = None
    final_url: str = ""
    permanent: bool = False
    retry_after: float | None = None
    #: For a chain that got no final HTTP answer: a kind from
    #: :func:`~speechcompress.net.http.describe_failure`, or loop or redirects.
    failure: str | None = None
    detail: str = ""

    @property
    def retryable(self) -> bool:
        if self.failure is not None:
            return self.failure in ("timeout", "connect", "resolve", "protocol")
        return self.code is not None and (self.code == 429 or self.code >= 500)


def result_of(answer: Attempt, attempts: int) -> LinkResult:
    final = answer.final_url if answer.final_url and answer.final_url != answer.url else None
    base = LinkResult(
        answer.url, Status.ERROR, answer.code, final, answer.detail, attempts, time.time()
    )
    if answer.failure == "dns":
        return replace(base, status=Status.DEAD)
    if answer.failure == "private":
        return replace(base, status=Status.SKIPPED)
    if answer.failure is not None:
        return base
    code = answer.code or 0
    detail = answer.detail or _phrase(code)
    if 200 <= code < 300:
        if answer.permanent and final:
            return replace(base, status=Status.REDIRECTED, detail=f"moved to {final}")
        return replace(base, status=Status.OK, detail=detail)
    if code in DEAD_CODES:
        return replace(base, status=Status.DEAD, detail=detail)
    if code in BLOCKED_CODES:
        return replace(base, status=Status.BLOCKED, detail=detail)
    if code >= 500 and attempts > 1:
        detail = f"{detail} after {attempts} attempts"
    return replace(base, detail=detail)


def precheck(url: str, options: LinkOptions, excludes: list[re.Pattern[str]]) -> LinkResult | None:
    """A result for a URL that is not to be requested at all."""
    now = time.time()
    if any(p.search(url) for p in excludes):
        return LinkResult(url, Status.SKIPPED, detail="excluded by --exclude", checked_at=now)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"{parts.scheme}:" if parts.scheme else "a relative link"
        return LinkResult(
            url, Status.SKIPPED, detail=f"not an http(s) link ({scheme})", checked_at=now
        )
    if not parts.hostname:
        return LinkResult(url, Status.ERROR, detail="no host in the URL", checked_at=now)
    if not options.allow_private and is_private_host(parts.hostname):
        return LinkResult(
            url,
            Status.SKIPPED,
            checked_at=now,
            detail="private or loopback address (use --allow-private)",
        )
    return None
