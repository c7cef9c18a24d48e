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
_BARE_NEW_STYLE = re.compile(r"[0-9]{4}\.[0-9]{4,5}")


def normalize_arxiv_id(value: str) -> str | None:
    """The bare id (no version) in ``value``, or None if it holds no arXiv id.

    Accepts ``2305.17651``, ``2305.17651v2``, ``arXiv:2305.17651``, abs/pdf URLs and
    old-style ids like ``cs/0112017``.
    """
    if _BARE_NEW_STYLE.fullmatch(value):  # already bare, as every validated paper's id
        return value
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


def new_style_problem(arxiv_id: str) -> str | None:
    """Why a bare new-style id (``2305.17651``) cannot exist, or None (old-style ids too).

    The pattern alone lets typos through: a dropped digit (``2305.1765``) or month 13.
    New-style ids start in April 2007 (0704) and have 5 digits after the dot from 2015 on.
    """
    if "/" in arxiv_id or not ARXIV_ID.match(arxiv_id):
        return None
    yymm, number = arxiv_id.split(".")
    if not 1 <= int(yymm[2:]) <= 12 or yymm < "0704":
        return f"{yymm} is no new-style arXiv month (0704 or later)"
    digits = 5 if yymm >= "1501" else 4
    if len(number) != digits:
        return (
            f"ids from {'2015 on' if digits == 5 else 'before 2015'} "
            f"have {digits} digits after the dot"
        )
    return None


def check_new_style_arxiv(value: str) -> str:
    """``value`` if no :func:`new_style_problem` is found, else a ValueError (for Pydantic)."""
    problem = new_style_problem(value)
    if problem:
        raise ValueError(f"{value!r}: {problem}")
    return value


def arxiv_year(arxiv_id: str) -> int:
    """The year an arXiv id was issued in (from its YYMM part)."""
    digits = arxiv_id.split("/")[-1]
    yy = int(digits[:2])
    return (1900 if yy >= 91 else 2000) + yy
