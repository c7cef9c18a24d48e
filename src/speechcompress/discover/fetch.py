"""Paging through an arXiv search: the one place ``scc discover`` touches the arXiv client.

The client (:class:`speechcompress.arxiv.ArxivClient`) fetches by id; a search needs
``search_query``, ``start``, ``max_results`` and a sort order. Its request path (pacing
across processes, retries, Retry-After) is ``ArxivClient._get``, and its cache helpers
``_read_cache``/``_write_cache``; this module calls them with search parameters.
The arXiv client is being split into an HTTP layer: when it lands, the lead re-points
:func:`_page` at it, and nothing else in ``discover`` changes.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from speechcompress.errors import NetworkError, UsageError

if TYPE_CHECKING:
    from speechcompress.arxiv import ArxivClient, ArxivEntry

#: Results per request; arXiv asks for at most 2,000 per call and slices of a few hundred.
PAGE_SIZE = 100


def _cache_file(client: ArxivClient, params: dict[str, str]) -> Path | None:
    if client.cache_dir is None:
        return None
    key = client.settings.api_url + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return client.cache_dir / f"search-{hashlib.sha256(key.encode()).hexdigest()[:32]}.xml"


def _page(client: ArxivClient, params: dict[str, str]) -> list[ArxivEntry]:
    """One page of results, from the cache when fresh, else from the API."""
    from speechcompress.arxiv import ENV_API, _looks_like_html, parse_feed

    cache = _cache_file(client, params)
    cached = client._read_cache(cache)
    if cached is not None:
        with contextlib.suppress(NetworkError, UsageError):
            return parse_feed(cached)
    answer = client._get(params)
    source = f"the arXiv API at {client.settings.api_url}"
    if "html" in answer.content_type.lower() or _looks_like_html(answer.body):
        raise NetworkError(
            f"{source} sent an HTML page (HTTP {answer.status}) instead of an Atom feed",
            hint=f"check the API URL (--api-url or ${ENV_API})",
        )
    if answer.status != 200:
        with contextlib.suppress(NetworkError):
            parse_feed(answer.body, source=source)  # an error feed says why (UsageError)
        raise NetworkError(
            f"{source} answered HTTP {answer.status}",
            hint=f"check the API URL (--api-url or ${ENV_API})",
        )
    entries = parse_feed(answer.body, source=source)
    client._write_cache(cache, answer.body)
    return entries


def search(
    client: ArxivClient,
    query: str,
    *,
    limit: int,
    page_size: int = PAGE_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[ArxivEntry]:
    """Up to ``limit`` entries matching ``query``, newest submissions first.

    Pages until a page comes back short (the end of the results) or ``limit`` is
    reached; an entry repeated across pages is kept once. ``progress`` is told the
    count so far after each page.
    """
    found: dict[str, ArxivEntry] = {}
    start = 0
    with client:
        while len(found) < limit:
            size = min(page_size, limit - len(found))
            params = {
                "search_query": query,
                "start": str(start),
                "max_results": str(size),
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
            page = _page(client, params)
            for entry in page:
                found.setdefault(entry.arxiv_id, entry)
            if progress is not None:
                progress(len(found))
            if len(page) < size:
                break
            start += size
    return list(found.values())[:limit]
