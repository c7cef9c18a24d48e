"""``scc add`` beyond arXiv: a DOI or a publisher's URL, read into a catalog paper.

:func:`parse_reference` recognises what was typed; :func:`draft_from_record` turns the
record a source returned into a validated paper (venue mapped to the catalog's
vocabulary, the official page or DOI link as ``venue_url``, methods from title
keywords). Fetching is the caller's: a DOI is read from Crossref (OpenAlex if Crossref
does not know it); an ISCA archive page is looked up in OpenAlex by landing page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from speechcompress.drafting import validate_draft
from speechcompress.errors import UsageError
from speechcompress.net.sources.base import Record, bare_doi
from speechcompress.paper import Paper
from speechcompress.published import map_venue, official_url
from speechcompress.venue_infer import propose_methods
from speechcompress.vocab import Vocabulary

#: What ``scc add`` takes besides arXiv ids, for messages.
ACCEPTED_REFERENCES = (
    "a DOI (10.21437/Interspeech.2023-1213, https://doi.org/...), a DBLP record URL, "
    "an OpenReview forum URL, an ACL Anthology URL or an ISCA archive URL"
)
#: ACL Anthology papers carry the DOI 10.18653/v1/<Anthology ID>.
_ACL_DOI_PREFIX = "10.18653/v1/"
_ACL_ID = re.compile(r"^/(\d{4}\.[a-z0-9-]+\.\d+|[A-Z]\d{2}-\d{4})/?$")
# https://dblp.org/rec/conf/interspeech/Key23(.html|.xml|.bib)
_DBLP_KEY = re.compile(r"^/rec/((?:conf|journals)/[\w-]+/[\w-]+?)(?:\.(?:html|xml|bib))?/?$")
# https://www.isca-archive.org/interspeech_2023/peng23c_interspeech.html, and the same
# path under https://www.isca-speech.org/archive/ (the archive's older host).
_ISCA_PAGE = re.compile(
    r"^/([a-z][a-z0-9-]*_\d{4})/(?!index\b)([a-z0-9][\w-]*?)(?:\.html)?/?$", re.IGNORECASE
)
#: Where ISCA archive pages live (or lived), in the order the lookup lists them.
_ISCA_BASES = ("isca-archive.org", "isca-speech.org/archive")


@dataclass(frozen=True, slots=True)
class Reference:
    """A paper named by something other than an arXiv id."""

    #: "doi", "acl", "dblp", "openreview" or "isca".
    kind: str
    #: What was typed.
    text: str
    doi: str | None = None
    #: The DBLP record key, the OpenReview forum id, or the ISCA archive page
    #: (``interspeech_2023/peng23c_interspeech``).
    key: str | None = None


def isca_pages(key: str) -> tuple[str, ...]:
    """Every spelling of the ISCA archive page ``key`` (``interspeech_2023/peng23c_interspeech``):
    both hosts, with and without ``www.``, https and http."""
    return tuple(
        f"{scheme}://{www}{base}/{key}.html"
        for base in _ISCA_BASES
        for www in ("www.", "")
        for scheme in ("https", "http")
    )


def parse_reference(text: str) -> Reference | None:
    """The reference ``text`` names, or None when it is none scc can read.

    Other pages of DBLP, OpenReview, the ACL Anthology and the ISCA archive are a
    :class:`UsageError` saying to pass the paper's DOI instead.
    """
    value = text.strip()
    doi = bare_doi(value)
    if doi:
        return Reference("doi", text, doi)
    if not re.match(r"^https?://", value, re.IGNORECASE):
        return None
    parts = urlsplit(value)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host == "aclanthology.org":
        found = _ACL_ID.match(parts.path)
        if found:
            return Reference("acl", text, _ACL_DOI_PREFIX + found.group(1))
    if host == "openreview.net":
        forum = parse_qs(parts.query).get("id", [""])[0]
        if parts.path.rstrip("/") in ("/forum", "/pdf") and re.fullmatch(r"[\w-]{5,}", forum):
            return Reference("openreview", text, key=forum)
    if host in ("dblp.org", "dblp.uni-trier.de"):
        found = _DBLP_KEY.match(parts.path)
        if found:
            return Reference("dblp", text, key=found.group(1))
    if host in ("isca-archive.org", "isca-speech.org"):
        path = parts.path
        if host == "isca-speech.org":
            path = path[len("/archive") :] if path.startswith("/archive/") else ""
        found = _ISCA_PAGE.match(path)
        if found:
            return Reference("isca", text, key=f"{found.group(1)}/{found.group(2)}".lower())
    if host in (
        "dblp.org",
        "dblp.uni-trier.de",
        "openreview.net",
        "isca-archive.org",
        "isca-speech.org",
        "aclanthology.org",
    ):
        raise UsageError(
            f"scc cannot read {host} pages yet: {text!r}",
            hint="pass the paper's DOI instead (shown on that page)",
        )
    return None


def draft_from_record(
    record: Record,
    vocabulary: Vocabulary,
    *,
    paper_id: str,
    overrides: Mapping[str, Any] | None = None,
) -> Paper:
    """The catalog paper for a published record (validated; a UsageError says what is wrong).

    ``overrides`` (venue, venue_url, methods, models, code) replace the guesses. A venue
    the catalog does not know is refused with a hint to declare it.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, [], ())}
    venue = overrides.get("venue") or map_venue(record, vocabulary)
    if venue is None:
        kind = record.kind or "conference"
        raise UsageError(
            f"{record.doi or record.title!r}: {record.venue or 'the venue'!r} is not a venue "
            "of this catalog",
            hint=f"declare it under [catalog.venues] (kind {kind!r}), then add the paper again",
        )
    if record.year is None:
        raise UsageError(f"{record.doi or record.title!r}: {record.source} gives no year")
    raw: dict[str, Any] = {
        "id": paper_id,
        "title": record.title,
        "authors": list(record.authors),
        "year": record.year,
        "venue": venue,
        "venue_url": official_url(record),
        "doi": record.doi,
        "methods": list(propose_methods(record.title)),
    }
    raw.update({k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()})
    return validate_draft(raw, vocabulary)
