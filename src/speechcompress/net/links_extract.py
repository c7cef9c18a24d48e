"""Find every URL a catalog names: papers' links, arXiv and DOI links, header text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from speechcompress.ids import DOI, normalize_arxiv_id
from speechcompress.net.link_types import Link

_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
_URL_IN_TEXT = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>()\[\]\"'`]+", re.IGNORECASE)


def links_in_catalog(text: str, path: Path) -> list[Link]:
    """Every URL in a catalog's text, from the raw tables (a schema error hides none).

    Papers give venue_url, code, and their arXiv and DOI links; the [catalog] description
    and footer give the URLs written in them. Raises ``CatalogError`` for a TOML syntax error.
    """
    from speechcompress.catalog import LineMap, display_path, parse_toml

    data = parse_toml(text, path)
    shown = display_path(path)
    lines = LineMap(text)
    found: list[Link] = []
    header = data.get("catalog")
    if isinstance(header, dict):
        for key in ("description", "footer"):
            value = header.get(key)
            if isinstance(value, str):
                line = _header_line(lines.lines, lines.catalog, key)
                for match in _URL_IN_TEXT.finditer(value):
                    found.append(Link(match.group().rstrip(".,;:!?"), None, key, shown, line))
    papers = data.get("papers")
    for index, raw in enumerate(papers if isinstance(papers, list) else []):
        if not isinstance(raw, dict):
            continue
        pid = raw.get("id") if isinstance(raw.get("id"), str) else None
        for key in ("venue_url", "code"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                found.append(Link(value.strip(), pid, key, shown, lines.key(index, key)))
        arxiv = raw.get("arxiv")
        bare = normalize_arxiv_id(arxiv) if isinstance(arxiv, str) else None
        if bare:
            found.append(
                Link(
                    f"https://arxiv.org/abs/{bare}", pid, "arxiv", shown, lines.key(index, "arxiv")
                )
            )
        doi = raw.get("doi")
        if isinstance(doi, str) and DOI.match(doi):
            found.append(Link(f"https://doi.org/{doi}", pid, "doi", shown, lines.key(index, "doi")))
    return found


def _header_line(lines: list[str], start: int, key: str) -> int:
    if start < 0:
        return 0
    pattern = re.compile(rf"^\s*{key}\s*=")
    for i in range(start, len(lines)):
        if i > start and lines[i].lstrip().startswith("["):
            break
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


def arxiv_id_of(url: str) -> str | None:
    """The arXiv id an arxiv.org abs/pdf link points to, else None."""
    host = (urlsplit(url).hostname or "").lower()
    return normalize_arxiv_id(url) if host in _ARXIV_HOSTS else None
