"""scc's link checker in one import: find a catalog's links, check them, cache results.

The parts live in :mod:`speechcompress.net`: ``link_types`` (results and options),
``links_extract`` (finding URLs), ``link_cache`` (results kept between runs) and
``link_checker`` (the network). Nothing here prints.
"""

from __future__ import annotations

from speechcompress.net.guard import is_private_host
from speechcompress.net.http import parse_retry_after
from speechcompress.net.link_cache import LinkCache, default_cache_path
from speechcompress.net.link_checker import check_links, make_client, run_link_check
from speechcompress.net.link_types import (
    BLOCKED_CODES,
    CACHED_STATUSES,
    DEAD_CODES,
    USER_AGENT,
    ArxivLookup,
    Link,
    LinkOptions,
    LinkReport,
    LinkResult,
    ProgressCallback,
    Status,
    parse_age,
)
from speechcompress.net.links_extract import arxiv_id_of, links_in_catalog

__all__ = [
    "BLOCKED_CODES",
    "CACHED_STATUSES",
    "DEAD_CODES",
    "USER_AGENT",
    "ArxivLookup",
    "Link",
    "LinkCache",
    "LinkOptions",
    "LinkReport",
    "LinkResult",
    "ProgressCallback",
    "Status",
    "arxiv_id_of",
    "check_links",
    "default_cache_path",
    "is_private_host",
    "links_in_catalog",
    "make_client",
    "parse_age",
    "parse_retry_after",
    "run_link_check",
]
