"""Read the Atom feeds the arXiv API serves into :class:`ArxivEntry` values. Pure: no I/O.

Feeds are parsed with defusedxml: no entity-expansion or external-entity attacks. Any
answer that is not a feed (HTML, malformed or undecodable XML) is a
:class:`~speechcompress.errors.NetworkError`; the API's own error feed is a
:class:`~speechcompress.errors.UsageError` quoting arXiv.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from speechcompress.errors import NetworkError, UsageError
from speechcompress.ids import DOI, normalize_arxiv_id

#: The id forms ``scc add`` accepts, for hints.
ACCEPTED_FORMS = (
    "2305.17651, 2305.17651v2, arXiv:2305.17651, https://arxiv.org/abs/2305.17651, "
    "https://arxiv.org/pdf/2305.17651 or cs/0112017"
)

_ENTRY_ID = re.compile(r"/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_WITHDRAWN_COMMENT = re.compile(r"\bwithdrawn\b", re.IGNORECASE)
_WITHDRAWN_ABSTRACT = re.compile(
    r"^\s*(?:this (?:paper|article|submission|manuscript|version) (?:has been|was|is) )?"
    r"withdrawn\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ArxivEntry:
    """One paper as the arXiv API describes it (text with whitespace collapsed)."""

    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    #: Date of the first version.
    published: dt.date
    #: Date of the version returned (the latest one unless a version was asked for).
    updated: dt.date
    abstract: str = ""
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None

    @property
    def year(self) -> int:
        """The year of the first version."""
        return self.published.year

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def withdrawn(self) -> bool:
        """Whether the authors withdrew the paper (arXiv keeps the record, marked so)."""
        return bool(
            (self.comment and _WITHDRAWN_COMMENT.search(self.comment))
            or _WITHDRAWN_ABSTRACT.match(self.abstract)
        )


# --- parsing -------------------------------------------------------------------------


def _local(tag: str) -> str:
    # Match on local names: the API has declared its namespaces on <feed> in one era and on
    # each element in another; ElementTree resolves both to the same URIs, and a mirror
    # that drops them still parses.
    return tag.rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: Any, name: str) -> str | None:
    for child in _children(element, name):
        value = " ".join((child.text or "").split())
        if value:
            return value
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _first_doi(value: str | None) -> str | None:
    # arXiv's doi field occasionally lists several, separated by spaces or semicolons;
    # 10.48550 is arXiv's own DOI prefix, not a sign of publication.
    for token in re.split(r"[\s;,]+", value or ""):
        if DOI.match(token) and not token.startswith("10.48550/"):
            return token
    return None


def _version(digits: str | None) -> int:
    # A version is a small number; thousands of digits would also trip int()'s limit.
    return int(digits) if digits and len(digits) <= 6 else 1


def looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def parse_feed(data: bytes | str, *, source: str = "the arXiv API") -> list[ArxivEntry]:
    """The entries of an arXiv API Atom feed, in feed order.

    Entries without a title or first-version date (how the API has answered for ids it
    does not know) are left out. Raises :class:`UsageError` for the API's error feed and
    :class:`NetworkError` for an HTML page, malformed XML or XML that declares entities.
    """
    # defusedxml ships no type hints (types-defusedxml is not a dependency).
    import defusedxml  # type: ignore[import-untyped]
    from defusedxml import ElementTree

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise NetworkError(f"{source} sent an empty answer instead of an Atom feed")
    if looks_like_html(raw):
        raise NetworkError(
            f"{source} sent an HTML page instead of an Atom feed",
            hint="check the API URL (--api-url or $SCC_ARXIV_API); a proxy or captive portal "
            "may be answering instead of arXiv",
        )
    try:
        root = ElementTree.fromstring(raw)
    except defusedxml.DefusedXmlException as exc:
        raise NetworkError(
            f"{source} sent XML that declares entities or external references; refused to "
            f"read it ({type(exc).__name__})"
        ) from None
    except ElementTree.ParseError as exc:
        raise NetworkError(f"{source} sent malformed XML ({exc})") from None
    except (LookupError, ValueError) as exc:  # an unknown encoding in the XML declaration
        raise NetworkError(f"{source} sent XML that cannot be decoded ({exc})") from None
    if _local(root.tag) != "feed":
        raise NetworkError(f"{source} sent <{_local(root.tag)}>, not an Atom <feed>")

    entries: list[ArxivEntry] = []
    for element in _children(root, "entry"):
        entry_id = _text(element, "id") or ""
        title = _text(element, "title")
        if title == "Error" and ("/api/errors" in entry_id or not _text(element, "published")):
            message = _text(element, "summary") or "unspecified error"
            raise UsageError(
                f"the arXiv API refused the request: {message}",
                hint=f"arXiv ids look like {ACCEPTED_FORMS}",
            )
        match = _ENTRY_ID.search(entry_id)
        published = _date(_text(element, "published"))
        arxiv_id = normalize_arxiv_id(match["id"]) if match else None
        if not (arxiv_id and title and published):
            continue
        primary = next(
            (c.get("term") for c in _children(element, "primary_category") if c.get("term")),
            None,
        )
        entries.append(
            ArxivEntry(
                arxiv_id=arxiv_id,
                version=_version(match["version"] if match else None),
                title=title,
                authors=tuple(
                    name for a in _children(element, "author") if (name := _text(a, "name"))
                ),
                published=published,
                updated=_date(_text(element, "updated")) or published,
                abstract=_text(element, "summary") or "",
                primary_category=primary,
                categories=tuple(
                    term for c in _children(element, "category") if (term := c.get("term"))
                ),
                doi=_first_doi(_text(element, "doi")),
                journal_ref=_text(element, "journal_ref"),
                comment=_text(element, "comment"),
            )
        )
    return entries
