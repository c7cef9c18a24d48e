"""scc's arXiv API: the client, its settings and the feed parser, in one import.

The parts live in :mod:`speechcompress.net.arxiv_feed` (pure parser) and
:mod:`speechcompress.net.arxiv_client` (settings, client, cache, pacing).
"""

from __future__ import annotations

from speechcompress.net.arxiv_client import (
    BATCH_SIZE,
    DEFAULT_API_URL,
    ENV_API,
    ENV_BACKOFF,
    ENV_CACHE_HOURS,
    ENV_DELAY,
    ENV_RETRIES,
    ENV_TIMEOUT,
    RETRY_STATUSES,
    USER_AGENT,
    ArxivClient,
    ArxivSettings,
    check_api_url,
    make_client,
)
from speechcompress.net.arxiv_feed import ACCEPTED_FORMS, ArxivEntry, parse_feed

__all__ = [
    "ACCEPTED_FORMS",
    "BATCH_SIZE",
    "DEFAULT_API_URL",
    "ENV_API",
    "ENV_BACKOFF",
    "ENV_CACHE_HOURS",
    "ENV_DELAY",
    "ENV_RETRIES",
    "ENV_TIMEOUT",
    "RETRY_STATUSES",
    "USER_AGENT",
    "ArxivClient",
    "ArxivEntry",
    "ArxivSettings",
    "check_api_url",
    "make_client",
    "parse_feed",
]
