"""Identifiers: arXiv ids in every form users paste, and DOIs."""

from __future__ import annotations

import re

#: New-style (2305.17651, 0704.0001) and old-style (cs/0112017, math.GT/0309136) ids.
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})$")
_ARXIV_ANY = re.compile(
    r"^(?:arxiv:)?(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def normalize_arxiv_id(value: str) -> str | None:
    """The bare id (no version) in ``value``, or None if it holds no arXiv id.

    Accepts ``2305.17651``, ``2305.17651v2``, ``arXiv:2305.17651``, abs/pdf URLs and
    old-style ids like ``cs/0112017``.
    """
    match = _ARXIV_ANY.match(value.strip())
    if not match:
        return None
    found = match.group("id")
    # Old-style archive names are lower-case, subject classes upper-case (math.GT).
    if "/" in found:
        archive, number = found.split("/")
        name, dot, cls = archive.partition(".")
        found = f"{name.lower()}{dot}{cls.upper()}/{number}"
    return found


def arxiv_year(arxiv_id: str) -> int:
    """The year an arXiv id was issued in (from its YYMM part)."""
    digits = arxiv_id.split("/")[-1]
    yy = int(digits[:2])
    return (1900 if yy >= 91 else 2000) + yy
