"""A validated catalog's records, cached as JSON in the user cache directory.

The snapshot is derived data and never trusted: it records an identity made of scc's
version and the catalog's path, size, mtime, ctime and inode, and is used only when
that identity matches exactly, so an edited file, another scc version or another path
never reuses it; anything unreadable or malformed is ignored and rebuilt. There is one
snapshot per catalog path, named by a CRC of the path (zlib is loaded anyway; hashlib's
OpenSSL costs ~10 ms of start-up), so old ones are overwritten, not piled up.
Writes go to a temp file renamed into place, so two scc processes building it at once
each leave a whole file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

from speechcompress import __version__
from speechcompress.locate import cache_dir
from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import Venue

_FORMAT = 1


def _identity(path: Path) -> tuple[Path, str] | None:
    """(snapshot file, identity of the catalog as it is now), or None if it can't be read."""
    try:
        st = path.stat()
        real = path.resolve()
    except OSError:
        return None
    key = f"{_FORMAT}|{__version__}|{real}"
    # The validating code is part of the identity too: in a development checkout an edited
    # schema or vocabulary must not be served stale data validated by the old one.
    here = Path(__file__).parent
    try:
        code = "|".join(str((here / m).stat().st_mtime_ns) for m in ("models.py", "vocab.py"))
    except OSError:
        code = ""
    identity = f"{key}|{code}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}"
    name = f"{zlib.crc32(key.encode()):08x}.json"
    return cache_dir() / "catalogs" / name, identity


def read(path: Path) -> Catalog | None:
    """The cached catalog for ``path``, or None when there is no usable snapshot."""
    found = _identity(path)
    if found is None:
        return None
    target, identity = found
    try:
        data = json.loads(target.read_bytes())
        if data["identity"] != identity:
            return None
        return Catalog(
            title=data["title"],
            description=data["description"],
            footer=data["footer"],
            venues=tuple(Venue(v[0], v[1], v[2], tuple(v[3])) for v in data["venues"]),
            papers=tuple(Paper.from_dict(p, p.get("line", 0)) for p in data["papers"]),
            path=str(path),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def write(path: Path, catalog: Catalog) -> None:
    """Store ``catalog`` as the snapshot of ``path``; failing to cache is not an error."""
    found = _identity(path)
    if found is None:
        return
    target, identity = found
    data: dict[str, Any] = {
        "identity": identity,
        "title": catalog.title,
        "description": catalog.description,
        "footer": catalog.footer,
        "venues": [[v.name, v.kind, v.full_name, list(v.aliases)] for v in catalog.venues],
        "papers": [{**p.to_dict(), "line": p.line} for p in catalog.papers],
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


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
