"""Which catalog file a command uses (the cache folder is :mod:`speechcompress.fs`'s)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "SCC_DB"
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
