"""A validated catalog's records, cached as JSON in the user cache directory.

The snapshot is derived data and never trusted: its name is a hash of scc's version
and the catalog's path, size, mtime, ctime and inode, so an edited file, another
scc version or another path never reuses it; anything unreadable or malformed is
ignored and rebuilt. Writes go to a temp file renamed into place, so two scc
processes building it at once each leave a whole file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from speechcompress import __version__
from speechcompress.locate import cache_dir
from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import Venue

_FORMAT = 1


def _snapshot_path(path: Path) -> Path | None:
    try:
        st = path.stat()
        real = path.resolve()
    except OSError:
        return None
    identity = f"{_FORMAT}|{__version__}|{real}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return cache_dir() / "catalogs" / f"{digest}.json"


def read(path: Path) -> Catalog | None:
    """The cached catalog for ``path``, or None when there is no usable snapshot."""
    target = _snapshot_path(path)
    if target is None:
        return None
    try:
        data = json.loads(target.read_bytes())
        return Catalog(
            title=data["title"], description=data["description"], footer=data["footer"],
            venues=tuple(Venue(v[0], v[1], v[2], tuple(v[3])) for v in data["venues"]),
            papers=tuple(Paper.from_dict(p, p.get("line", 0)) for p in data["papers"]),
            path=str(path),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def write(path: Path, catalog: Catalog) -> None:
    """Store ``catalog`` as the snapshot of ``path``; failing to cache is not an error."""
    target = _snapshot_path(path)
    if target is None:
        return
    data: dict[str, Any] = {
        "title": catalog.title, "description": catalog.description, "footer": catalog.footer,
        "venues": [[v.name, v.kind, v.full_name, list(v.aliases)] for v in catalog.venues],
        "papers": [{**p.to_dict(), "line": p.line} for p in catalog.papers],
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)
    except OSError:
        return


def clear() -> int:
    """Delete every snapshot; returns how many files were removed."""
    folder = cache_dir() / "catalogs"
    removed = 0
    for item in folder.glob("*.json") if folder.is_dir() else ():
        try:
            item.unlink()
            removed += 1
        except OSError:
            pass
    return removed
