"""What the link checker works on and hands back: links, results, options. No I/O."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from speechcompress.net.env import DEFAULT_DEADLINE
from speechcompress.net.http import user_agent

USER_AGENT = user_agent("link checker")


class Status(StrEnum):
    """What became of one URL, from worst to best as a report lists them."""

    DEAD = "dead"
    ERROR = "error"
    BLOCKED = "blocked"
    REDIRECTED = "redirected"
    SKIPPED = "skipped"
    OK = "ok"


DEAD_CODES = frozenset({404, 410})
BLOCKED_CODES = frozenset({401, 403, 407, 429, 451, 999})
#: Statuses stored in the on-disk cache; errors and skips are always re-checked.
CACHED_STATUSES = frozenset({Status.OK, Status.REDIRECTED, Status.DEAD, Status.BLOCKED})


@dataclass(frozen=True, slots=True)
class Link:
    """One URL where it appears in the catalog."""

    url: str
    #: The paper it belongs to (None for links in the [catalog] text).
    paper_id: str | None
    #: venue_url, code, arxiv, doi, description or footer.
    field: str
    #: The catalog file as shown to the user.
    path: str
    #: 1-based line (0 when unknown).
    line: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The outcome for one distinct URL."""

    url: str
    status: Status
    #: The last HTTP status received (None when no answer came).
    code: int | None = None
    #: Where the redirects ended, when that differs from ``url``.
    final_url: str | None = None
    #: A short human explanation: "404 Not Found", "timed out after 10 s", ...
    detail: str = ""
    #: HTTP attempts made (retries included; 0 when skipped or looked up in a batch).
    attempts: int = 0
    #: Unix time of the check.
    checked_at: float = 0.0
    #: Whether this came from the on-disk cache.
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": str(self.status),
            "code": self.code,
            "final_url": self.final_url,
            "detail": self.detail,
            "attempts": self.attempts,
            "checked_at": self.checked_at,
            "cached": self.cached,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkResult:
        return cls(
            url=data["url"],
            status=Status(data["status"]),
            code=data.get("code"),
            final_url=data.get("final_url"),
            detail=data.get("detail", ""),
            attempts=data.get("attempts", 0),
            checked_at=data.get("checked_at", 0.0),
            cached=bool(data.get("cached", False)),
        )


@dataclass(frozen=True)
class LinkReport:
    """Every link of a catalog with the result for its URL."""

    links: tuple[Link, ...]
    results: dict[str, LinkResult]
    #: Whether several URLs were requested and none got any HTTP answer at all: more
    #: likely our network is down than all those sites.
    unreachable: bool = False

    def rows(self) -> list[tuple[LinkResult, tuple[Link, ...]]]:
        """One row per distinct URL, worst status first, then catalog order."""
        where: dict[str, list[Link]] = {}
        for link in self.links:
            where.setdefault(link.url, []).append(link)
        order = list(Status)
        rows = [
            (self.results[url], tuple(links)) for url, links in where.items() if url in self.results
        ]
        return sorted(rows, key=lambda r: order.index(r[0].status))

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for result in self.results.values():
            counts[result.status] += 1
        return counts

    def failing(self, fail_on: frozenset[Status] = frozenset({Status.DEAD})) -> list[LinkResult]:
        return [r for r in self.results.values() if r.status in fail_on]


class ArxivLookup(Protocol):
    """Answers which arXiv ids exist, for many ids in one request."""

    def existing_ids(self, ids: list[str]) -> set[str]:
        """The ids among ``ids`` (bare, no version) that arXiv knows."""
        ...


ProgressCallback = Callable[[int, int, LinkResult], None]


@dataclass(frozen=True)
class LinkOptions:
    """How hard and how politely to check. The defaults check 200 links spread over 10
    slow hosts (1 s an answer) in about 2 s; see ``bench/links_bench.py``.

    Politeness is per host: at most ``per_host`` (10, as lychee) requests in flight and on
    average one start per ``host_interval`` (0.1 s: 10 a second, half lychee's rate), a
    burst of ``per_host`` allowed. A host that answers slowly is never hit harder than
    ``per_host`` at once; a fast one gets 10 requests a second.
    """

    #: Seconds one request may take in all (connect, wait and headers), per redirect hop.
    timeout: float = 10.0
    #: Further attempts after a timeout, connection failure, 429 or 5xx.
    retries: int = 2
    #: First wait before a retry, doubled each time (Retry-After wins when given).
    backoff: float = 1.0
    #: A Retry-After longer than this ends the retries at once.
    max_retry_after: float = 60.0
    #: Requests in flight to one host (also the burst that may start at once).
    per_host: int = 10
    #: Requests in flight overall (lychee's default).
    concurrency: int = 128
    #: Seconds between the starts of two requests to one host, on average after a burst.
    host_interval: float = 0.1
    #: Redirect hops followed before giving up.
    max_redirects: int = 5
    #: Check links to loopback, private and link-local addresses (skipped by default).
    allow_private: bool = False
    #: Regular expressions; a URL matching any of them is skipped.
    exclude: tuple[str, ...] = ()
    user_agent: str = USER_AGENT
    #: Seconds the whole check may take; links not done by then end as errors.
    deadline: float = DEFAULT_DEADLINE


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_AGE_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """Seconds in ``30m``, ``12h``, ``1d``, ``2w`` or a bare number of seconds."""
    match = _AGE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 12h, 1d or 2w")
    return float(match[1]) * _AGE_UNITS[match[2].lower()]
