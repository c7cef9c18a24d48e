"""OpenReview: ICLR and workshop papers, read by their forum id (for ``scc add``).

``GET /notes?id=<forum id>`` answers ``{"notes": [...]}``. Venues on API v2
(``api2.openreview.net``) wrap each content field as ``{"value": ...}``; legacy venues
(ICLR 2022 and older, on ``api.openreview.net``) give plain values. The fields read:
``content.title``, ``content.authors``, ``content.venue`` ("ICLR 2022 Poster"),
``content.venueid`` and the dates ``pdate`` / ``cdate`` (milliseconds). A paper still
"Submitted to" a venue, or one rejected or withdrawn, is not a publication.

Pace: one request a second; OpenReview's public reads need no key, and scc makes at
most two requests per paper added (API v2, then the legacy API).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from speechcompress.net.sources.base import Query, Record
from speechcompress.net.sources.fetch import Fetcher, SourceSettings

ENV_API = "SCC_OPENREVIEW_API"
ENV_LEGACY_API = "SCC_OPENREVIEW_V1_API"
DEFAULT_API_URL = "https://api2.openreview.net"
DEFAULT_LEGACY_URL = "https://api.openreview.net"

_NOT_PUBLISHED = re.compile(r"^\s*submitted to\b|rejected|withdrawn|desk", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """OpenReview API v2's defaults (before the environment is read)."""
    del environ
    return SourceSettings(
        name="openreview", label="OpenReview", api_url=DEFAULT_API_URL, env_api=ENV_API
    )


def legacy_settings() -> SourceSettings:
    """The legacy API (v1), where venues before 2023 live."""
    return SourceSettings(
        name="openreview",
        label="OpenReview (API v1)",
        api_url=DEFAULT_LEGACY_URL,
        env_api=ENV_LEGACY_API,
    )


def _value(content: Mapping[str, Any], key: str) -> Any:
    item = content.get(key)
    return item.get("value") if isinstance(item, dict) else item


def parse_note(note: Mapping[str, Any]) -> Record | None:
    """A submission note as a :class:`Record` (None without a title)."""
    raw = note.get("content")
    content: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    title = _value(content, "title")
    if not isinstance(title, str) or not title.strip():
        return None
    venue = _value(content, "venue")
    venue = venue.strip() if isinstance(venue, str) and venue.strip() else None
    venueid = _value(content, "venueid")
    status = " ".join(x for x in (venue, venueid) if isinstance(x, str))
    found = _YEAR.search(venue or "")
    year: int | None = int(found.group(1)) if found else None
    stamp = note.get("pdate") or note.get("cdate")
    if year is None and isinstance(stamp, int) and stamp > 0:
        year = dt.datetime.fromtimestamp(stamp / 1000, tz=dt.UTC).year
    authors = _value(content, "authors")
    forum = note.get("forum") or note.get("id")
    return Record(
        source="openreview",
        title=" ".join(title.split()),
        authors=tuple(a for a in authors if isinstance(a, str))
        if isinstance(authors, list)
        else (),
        year=year,
        venue=venue,
        url=f"https://openreview.net/forum?id={forum}" if forum else None,
        kind="preprint" if not venue or _NOT_PUBLISHED.search(status) else "conference",
        record_url=f"https://openreview.net/forum?id={forum}" if forum else None,
        found_by="OpenReview id",
    )


def parse_notes(data: Any) -> list[Record]:
    notes = data.get("notes") if isinstance(data, dict) else None
    records = [parse_note(n) for n in notes or [] if isinstance(n, dict)]
    return [r for r in records if r is not None]


@dataclass
class OpenReviewSource:
    """OpenReview's notes, by forum id (API v2 first, then the legacy API)."""

    fetcher: Fetcher
    name: str = "openreview"
    legacy: Fetcher | None = field(default=None, repr=False)

    def lookup(self, query: Query) -> list[Record]:
        return []  # OpenReview is read by id only

    def by_doi(self, doi: str) -> Record | None:
        return None

    def by_id(self, forum: str) -> Record | None:
        found = parse_notes(self.fetcher.get_json("/notes", {"id": forum}))
        if not found:
            if self.legacy is None:
                from speechcompress.net.sources.fetch import make_fetcher

                self.legacy = make_fetcher(legacy_settings(), use_cache=self.fetcher.use_cache)
            found = parse_notes(self.legacy.get_json("/notes", {"id": forum}))
        return found[0] if found else None


SOURCE = OpenReviewSource
__all__ = ["ENV_API", "ENV_LEGACY_API", "SOURCE", "OpenReviewSource", "parse_notes", "settings"]
