"""scc: a curated catalog of speech-model compression papers.

The package is a library first: ``from speechcompress import load_catalog`` works
without Typer, rich or httpx being imported. Only ``speechcompress.cli`` prints.

- :func:`load_catalog` reads and validates a catalog file (and, unless told
  ``use_cache=False``, keeps an index of it in the user's cache folder);
- :class:`Catalog` and :class:`Paper` are the read-only records it returns;
- :class:`SccError` is the root of every error scc raises for a user's mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Catalog", "Paper", "SccError", "__version__", "load_catalog"]

if TYPE_CHECKING:
    from speechcompress.errors import SccError
    from speechcompress.paper import Catalog, Paper
    from speechcompress.source import load_catalog


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import speechcompress` free of pydantic and tomli.
    if name == "load_catalog":
        from speechcompress.source import load_catalog

        return load_catalog
    if name == "SccError":
        from speechcompress.errors import SccError

        return SccError
    if name in ("Catalog", "Paper"):
        from speechcompress import paper

        return getattr(paper, name)
    raise AttributeError(f"module 'speechcompress' has no attribute {name!r}")
