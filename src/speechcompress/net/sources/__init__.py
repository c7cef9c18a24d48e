"""Bibliographic sources that know where a paper was published: DBLP, Crossref,
OpenAlex and Semantic Scholar, each behind the :class:`~.base.Source` shape.

:func:`make_source` builds one by name, configured from the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from speechcompress.net.sources.base import Source

#: Every source scc can ask, in the order their answers are preferred.
SOURCE_NAMES = ("dblp", "crossref", "openalex", "semanticscholar")


def make_source(
    name: str,
    *,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    http: httpx.Client | None = None,
) -> Source:
    """The source called ``name`` (one of :data:`SOURCE_NAMES`, or ``openreview``), set up
    from the environment."""
    from speechcompress.net.sources.fetch import make_fetcher

    if name == "dblp":
        from speechcompress.net.sources import dblp as module
    elif name == "crossref":
        from speechcompress.net.sources import crossref as module  # type: ignore[no-redef]
    elif name == "openalex":
        from speechcompress.net.sources import openalex as module  # type: ignore[no-redef]
    elif name == "semanticscholar":
        from speechcompress.net.sources import semanticscholar as module  # type: ignore[no-redef]
    elif name == "openreview":  # read by id only (``scc add``), never asked in a refresh
        from speechcompress.net.sources import openreview as module  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown source {name!r}")
    defaults = module.settings(environ)
    fetcher = make_fetcher(defaults, use_cache=use_cache, environ=environ, http=http)
    return module.SOURCE(fetcher)
