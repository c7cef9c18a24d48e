"""Which catalog file a command uses, and where derived data may be cached."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "SCC_DB"
ENV_CACHE = "SCC_CACHE_DIR"
LOCAL_CATALOG = Path("data") / "papers.toml"


@dataclass(frozen=True)
class CatalogLocation:
    path: Path
    #: How it was chosen: "--db", "$SCC_DB", "./data/papers.toml" or "bundled".
    source: str


def bundled_catalog() -> Path:
    """The catalog shipped inside the package (or the checkout's, in a dev install)."""
    here = Path(__file__).resolve().parent
    shipped = here / "data" / "papers.toml"
    if shipped.is_file():
        return shipped
    return here.parents[1] / "data" / "papers.toml"


def locate_catalog(
    db: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> CatalogLocation:
    """``--db PATH``, else ``$SCC_DB``, else ``./data/papers.toml``, else the bundled one."""
    environ = os.environ if environ is None else environ
    if db:
        return CatalogLocation(Path(db), "--db")
    if environ.get(ENV_DB):
        return CatalogLocation(Path(environ[ENV_DB]), f"${ENV_DB}")
    local = (cwd or Path.cwd()) / LOCAL_CATALOG
    if local.is_file():
        return CatalogLocation(LOCAL_CATALOG if cwd is None else local, "./data/papers.toml")
    return CatalogLocation(bundled_catalog(), "bundled")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user cache directory for scc (``$SCC_CACHE_DIR`` overrides it)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE):
        return Path(environ[ENV_CACHE])
    # platformdirs costs ~20 ms to import; only the Linux/BSD answer is cheap to compute
    # by hand, so other systems ask the library.
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "scc"
    import platformdirs

    return Path(platformdirs.user_cache_dir("scc", appauthor=False))


def clear_cache(environ: Mapping[str, str] | None = None) -> int:
    """Delete everything in scc's cache directory; returns how many files were removed.

    Only derived data lives there (catalog indexes, arXiv answers, link results), all of
    it rebuilt on demand; the catalog files themselves are never touched.
    """
    folder = cache_dir(environ)
    removed = 0
    if not folder.is_dir():
        return 0
    for item in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        try:
            if item.is_dir() and not item.is_symlink():
                item.rmdir()
            else:
                item.unlink()
                removed += 1
        except OSError:
            pass
    return removed
