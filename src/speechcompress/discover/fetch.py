"""Paging through an arXiv search: the one place ``scc discover`` touches the arXiv client.

Each page is one :meth:`ArxivClient.query <speechcompress.net.arxiv_client.ArxivClient.query>`
with ``search_query``, ``start``, ``max_results`` and a sort order, so pacing across
processes, retries, Retry-After, deadlines, size caps and the cache are the client's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from speechcompress.arxiv import ArxivClient, ArxivEntry

#: Results per request; arXiv asks for at most 2,000 per call and slices of a few hundred.
PAGE_SIZE = 100


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
            page = client.query(params)
            for entry in page:
                found.setdefault(entry.arxiv_id, entry)
            if progress is not None:
                progress(len(found))
            if len(page) < size:
                break
            start += size
    return list(found.values())[:limit]
