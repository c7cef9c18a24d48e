"""Papers the maintainer rejected: a TOML file beside the catalog, so they never return.

``data/rejected.toml`` next to ``data/papers.toml`` (``<name>.rejected.toml`` beside any
other catalog file), one ``[[rejected]]`` table per paper::

    [[rejected]]
    arxiv = "2509.15579"
    title = "Chunk Based Speech Pre-training with ..."
    reason = "vector quantization targets, not model compression"
    date = 2026-11-30

It is written like the catalog: under the file's lock, atomically, comments kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechcompress.errors import FileProblem
from speechcompress.ids import normalize_arxiv_id

_HEADER = (
    "# Papers `scc discover` proposed and the maintainers turned down: they are never\n"
    "# proposed again, and they teach the ranking what is out of scope.\n"
)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One turned-down paper."""

    arxiv: str
    title: str
    reason: str = ""
    date: dt.date | None = None
    #: The abstract, kept so the paper stays a negative example without the network.
    abstract: str = ""


def rejected_path(catalog: Path) -> Path:
    """Where the rejections of the catalog at ``catalog`` live."""
    catalog = Path(catalog)
    if catalog.name == "papers.toml":
        return catalog.with_name("rejected.toml")
    return catalog.with_name(f"{catalog.stem}.rejected.toml")


def _parse(text: str, path: Path) -> list[Rejection]:
    import tomli

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise FileProblem(f"{path} is not valid TOML ({exc})") from None
    rows = data.get("rejected", [])
    if not isinstance(rows, list):
        raise FileProblem(f"{path}: 'rejected' must be an array of [[rejected]] tables")
    out: list[Rejection] = []
    for n, row in enumerate(rows, 1):
        arxiv = normalize_arxiv_id(str(row.get("arxiv", ""))) if isinstance(row, dict) else None
        if not isinstance(row, dict) or arxiv is None:
            raise FileProblem(f"{path}: rejected paper {n} has no valid 'arxiv' id")
        date = row.get("date")
        out.append(
            Rejection(
                arxiv=arxiv,
                title=str(row.get("title", "")),
                reason=str(row.get("reason", "")),
                date=date if isinstance(date, dt.date) else None,
                abstract=str(row.get("abstract", "")),
            )
        )
    return out


def load_rejections(path: Path) -> list[Rejection]:
    """The rejections recorded at ``path`` (none when the file does not exist)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise FileProblem(f"cannot read {path}: {exc}") from None
    return _parse(text, path)


def record_rejections(path: Path, new: Sequence[Rejection]) -> list[Rejection]:
    """Add ``new`` (ids already there are updated in place) and return all of them."""
    import tomlkit

    from speechcompress.fs import atomic_write, check_writable, locked

    path = Path(path)
    check_writable(path)
    with locked(path):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = _HEADER
        except (OSError, UnicodeDecodeError) as exc:
            raise FileProblem(f"cannot read {path}: {exc}") from None
        _parse(text, path)  # refuse to extend a file we cannot read back
        doc = tomlkit.parse(text)
        tables: Any = doc.setdefault("rejected", tomlkit.aot())
        by_id = {normalize_arxiv_id(str(t.get("arxiv", ""))): t for t in tables}
        for item in new:
            table = by_id.get(item.arxiv)
            if table is None:
                table = tomlkit.table()
                tables.append(table)
                by_id[item.arxiv] = table
            table["arxiv"] = item.arxiv
            table["title"] = item.title
            table["reason"] = item.reason
            table["date"] = item.date or dt.date.today()
            if item.abstract:
                table["abstract"] = item.abstract
        out = tomlkit.dumps(doc)
        result = _parse(out, path)
        atomic_write(path, out)
    return result
