"""Link results kept between runs, in one JSON file in scc's cache folder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from speechcompress.net.link_types import CACHED_STATUSES, LinkResult


def default_cache_path() -> Path:
    """Where results are kept: ``links/results.json`` under scc's cache folder."""
    from speechcompress.fs import cache_dir

    return cache_dir() / "links" / "results.json"


@dataclass
class LinkCache:
    """Results by URL in one JSON file; entries older than the asked maximum age are stale."""

    path: Path
    entries: dict[str, LinkResult] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> LinkCache:
        """The cache at ``path``; a missing or damaged file is an empty cache."""
        from speechcompress.fs import read_private

        try:
            raw = json.loads(read_private(path) or b"{}")
            entries = {r["url"]: LinkResult.from_dict(r) for r in raw.get("results", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(path, entries)

    def get(self, url: str, max_age: float, now: float) -> LinkResult | None:
        entry = self.entries.get(url)
        if entry is None or not 0 <= now - entry.checked_at <= max_age:
            return None
        return replace(entry, cached=True)

    def put(self, result: LinkResult) -> None:
        if result.status in CACHED_STATUSES and not result.cached:
            self.entries[result.url] = result

    def save(self) -> None:
        """Write atomically, never through a symlink; failing to cache is not an error."""
        from speechcompress.fs import write_private

        body = json.dumps(
            {"version": 1, "results": [r.to_dict() for r in self.entries.values()]},
            ensure_ascii=False,
        )
        write_private(self.path, body)
