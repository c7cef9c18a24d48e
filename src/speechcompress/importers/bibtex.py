"""Read a BibTeX file: one paper per entry, LaTeX turned into Unicode.

bibtexparser does the parsing (braces, @string macros, comments); pylatexenc turns
``{\\~a}`` into ``ã``. An entry that cannot be parsed is reported with its line.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from speechcompress.ids import DOI, normalize_arxiv_id
from speechcompress.importers import LineProblem, Parsed
from speechcompress.importers.venues import guess_kind, venue_label
from speechcompress.vocab import Vocabulary

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@functools.cache
def _converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # pylatexenc turns \textasciicircum into U+02C6, not the "^" that scc export escaped.
    context = get_default_latex_context_db()
    context.add_context_category(
        "scc",
        prepend=True,
        macros=[
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
        ],
    )
    return LatexNodes2Text(latex_context=context)


#: Longer than any field scc keeps (an abstract holds at most 20,000 characters): such a
#: value is refused by validation anyway, and LaTeX decoding grows faster than linearly
#: (a 1 MB title took minutes), so it is passed on undecoded.
_MAX_DECODED = 50_000
#: Text without these characters reads the same as LaTeX and as plain text.
_LATEX_MARKUP = re.compile(r"[\\{}~$%&#_^`'\"-]")


def _to_text(value: str) -> str:
    if len(value) > _MAX_DECODED or not _LATEX_MARKUP.search(value):
        return " ".join(value.split())
    return " ".join(_converter().latex_to_text(value).split())


_VERBATIM_ESCAPE = re.compile(r"\\([_%#&${}])")


def _verbatim(value: str) -> str:
    """A URL or DOI as written in a .bib file, without the LaTeX escapes some tools add."""
    return _VERBATIM_ESCAPE.sub(r"\1", value.strip())


def _name(raw: str) -> str:
    """A name as it is read: ``Peng, Yifan`` -> ``Yifan Peng``, ``Doe, Jr., John`` ->
    ``John Doe Jr.`` (BibTeX's "Last, Suffix, First"); ``Yifan Peng`` and a braced
    ``{Speech Group, Inc.}`` stay."""
    parts = [_to_text(p).strip() for p in _split_outside_braces(raw, _COMMA)]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        last, first = parts
        return f"{first} {last}".strip()
    last, suffix, first = parts[0], parts[1], ", ".join(parts[2:])
    return " ".join(p for p in (first, last, suffix) if p)


_AND = re.compile(r"\s+and\s+")
_COMMA = re.compile(",")


def _split_outside_braces(raw: str, separator: re.Pattern[str]) -> list[str]:
    """``raw`` cut where ``separator`` matches outside braces: BibTeX reads
    ``{Speech Group, Inc.}`` and ``{Johnson and Johnson}`` as one name each."""
    parts, start = [], 0
    for match in separator.finditer(raw):
        at = match.start()
        if raw.count("{", 0, at) == raw.count("}", 0, at):
            parts.append(raw[start:at])
            start = match.end()
    return [*parts, raw[start:]]


def guess_venue(text: str, vocab: Vocabulary) -> str | None:
    """The first known venue named in a booktitle/journal string ("Proc. Interspeech 2023")."""
    for venue in vocab.venues:
        if venue.kind == "preprint":
            continue
        for name in (venue.name, venue.full_name, *venue.aliases):
            if name and re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE):
                return venue.name
    return None


def parse_bibtex(text: str, vocab: Vocabulary) -> Parsed:
    import bibtexparser

    # bibtexparser logs each broken block to stderr itself; scc reports it below, once.
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        # Re-exported by bibtexparser without being listed in an __all__.
        library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    finally:
        log.setLevel(level)
    result = Parsed()
    for block in library.failed_blocks:
        reason = getattr(block.error, "abort_reason", "") or str(block.error)
        result.problems.append(
            LineProblem(
                (block.start_line or 0) + 1,
                "cannot parse this BibTeX entry"
                + (f": {reason.strip()}" if reason.strip() else ""),
            )
        )
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        try:
            _read_entry(entry, line, vocab, result)
        except RecursionError:
            # pylatexenc walks nested braces recursively: hundreds of levels exhaust the stack.
            result.problems.append(
                LineProblem(line, f"entry '{entry.key}': braces nested too deeply to read")
            )
    return result


_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv[:\s/.]*(?:abs/|pdf/)?|arxiv\.org/(?:abs|pdf|html)/)"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_URL_IN_TEXT = re.compile(r"https?://[^\s{}\\]+")
#: Where each entry type names its venue, in order of preference.
_VENUE_FIELDS = {
    "article": ("journal", "journaltitle"),
    "inproceedings": ("booktitle", "eventtitle", "series", "organization", "publisher"),
    "conference": ("booktitle", "eventtitle", "series", "organization", "publisher"),
    "incollection": ("booktitle", "series", "publisher"),
    "inbook": ("booktitle", "series", "publisher"),
    "book": ("publisher", "series", "organization"),
    "proceedings": ("series", "publisher", "organization"),
    "phdthesis": ("school", "institution"),
    "mastersthesis": ("school", "institution"),
    "thesis": ("school", "institution"),
    "techreport": ("institution", "organization", "publisher"),
    "report": ("institution", "organization", "publisher"),
}
_OTHER_VENUE_FIELDS = ("journal", "booktitle", "howpublished", "publisher", "organization")
#: Types whose venue is a publisher or a school rather than a conference or journal.
_REPORT_TYPES = (
    "book",
    "proceedings",
    "phdthesis",
    "mastersthesis",
    "thesis",
    "techreport",
    "report",
    "manual",
)
#: Plain fields kept as they are read (LaTeX turned into text).
_KEPT = ("volume", "number", "month", "address", "edition", "series", "isbn", "note")
#: The venue of a thesis, report or book that names no school, institution or publisher.
_TYPE_LABELS = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
    "thesis": "Thesis",
    "techreport": "Technical report",
    "report": "Technical report",
    "book": "Book",
    "manual": "Manual",
}
#: Fields kept character for character (no LaTeX to read in them, or -- meant as is).
_VERBATIM = ("volume", "number", "month", "isbn", "edition")
#: What scc calls the kinds of venue the entry types imply.
_TYPE_KIND = {"article": "journal", "inproceedings": "conference", "conference": "conference"}


def _arxiv_of(fields: dict[str, str]) -> str | None:
    """The arXiv id an entry names anywhere: eprint, a DataCite DOI, a URL, the journal."""
    eprint = fields.get("eprint", "")
    prefix = (fields.get("archiveprefix", "") or fields.get("eprinttype", "")).casefold()
    if eprint and prefix in ("", "arxiv"):
        found = normalize_arxiv_id(eprint)
        if found:
            return found
    doi = fields.get("doi", "")
    datacite = re.search(r"10\.48550/arxiv\.(.+)$", doi, re.IGNORECASE)
    if datacite:
        found = normalize_arxiv_id(datacite.group(1).strip())
        if found:
            return found
    corr = re.match(r"^abs/(.+)$", fields.get("volume", ""))
    if corr and normalize_arxiv_id(corr.group(1)):  # DBLP: journal = CoRR, volume = abs/ID
        return normalize_arxiv_id(corr.group(1))
    for name in ("url", "journal", "howpublished", "note", "booktitle", "eprint"):
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match:
            found = normalize_arxiv_id(match.group(1))
            if found:
                return found
    return None


def _is_link(value: str) -> bool:
    return value.startswith(("\\url", "http://", "https://"))


def _is_arxiv_text(text: str) -> bool:
    return bool(re.search(r"\barxiv\b|\bcorr\b|\bpreprint\b", text, re.IGNORECASE))


def _read_entry(entry: Any, line: int, vocab: Vocabulary, result: Parsed) -> None:
    """Add the paper of one BibTeX entry to ``result``, or its problem."""
    fields = {k.lower(): str(f.value).strip() for k, f in entry.fields_dict.items()}
    kind_of_entry = entry.entry_type.lower()
    data: dict[str, Any] = {}
    if not fields.get("title"):
        result.problems.append(LineProblem(line, f"entry '{entry.key}' has no title"))
        return
    data["title"] = _to_text(fields["title"])
    if fields.get("author"):
        authors = _split_outside_braces(fields["author"], _AND)
        names = [_name(a) for a in authors if a.strip()]
        # "and others" is BibTeX for "et al.", not an author.
        data["authors"] = [n for n in names if n and n.casefold() != "others"]
    arxiv = _arxiv_of(fields)
    year = _YEAR.search(fields.get("year", "") or fields.get("date", ""))
    for name in ("urldate", "note", "howpublished", "lastchecked", "accessed"):
        year = year or _YEAR.search(fields.get(name, ""))
    if year:
        data["year"] = int(year.group(1))
    elif arxiv and re.match(r"\d{4}\.", arxiv):
        data["year"] = 2000 + int(arxiv[:2])  # a new-style id starts with its YYMM
    else:
        result.problems.append(LineProblem(line, f"entry '{entry.key}' has no year"))
        return
    if arxiv:
        data["arxiv"] = arxiv
    data["key"] = entry.key
    venue_fields = _VENUE_FIELDS.get(kind_of_entry, _OTHER_VENUE_FIELDS)
    venue_text = next(
        (_to_text(fields[k]) for k in venue_fields if fields.get(k) and not _is_link(fields[k])),
        "",
    )
    if _is_arxiv_text(venue_text) and kind_of_entry not in _REPORT_TYPES:
        # "arXiv preprint arXiv:2405.01234", "CoRR": a preprint, not a venue; the name is
        # kept as written for the BibTeX export.
        data["venue_name"], venue_text = venue_text, ""
    venue: str | None = None
    if venue_text:
        venue = None if kind_of_entry in _REPORT_TYPES else guess_venue(venue_text, vocab)
        known = vocab.venue(venue) if venue else None
        if (
            known
            and known.kind == "conference"
            and guess_kind(venue_text) == "workshop"
            and guess_kind(known.full_name) != "workshop"
        ):
            venue = None  # "Workshop on ... @ NeurIPS" is a workshop, not NeurIPS itself
        if venue is None:
            venue = venue_label(venue_text)
            if vocab.venue(venue) is None:
                kind = "report" if kind_of_entry in _REPORT_TYPES else _TYPE_KIND.get(kind_of_entry)
                if kind is None and kind_of_entry not in _VENUE_FIELDS:
                    # @misc{howpublished = {GitHub}}: a journal if its name says so, else
                    # something published some other way.
                    kind = "journal" if guess_kind(venue) == "journal" else "report"
                if kind is None or (kind == "conference" and guess_kind(venue) == "workshop"):
                    kind = guess_kind(venue)
                result.venue_kinds.setdefault(venue, kind)
        known = vocab.venue(venue)
        if not known or venue_text not in (known.name, known.full_name):
            data["venue_name"] = venue_text
    elif arxiv or _is_arxiv_text(" ".join(fields.get(k, "") for k in venue_fields)):
        venue = "arXiv"
    elif kind_of_entry in _TYPE_LABELS:
        # A thesis, report or book that names no school, institution or publisher.
        venue = _TYPE_LABELS[kind_of_entry]
        result.venue_kinds.setdefault(venue, "report")
    else:
        if not _URL_IN_TEXT.search(fields.get("url", "") or fields.get("howpublished", "")):
            result.problems.append(LineProblem(line, f"entry '{entry.key}' names no venue"))
            return
        venue = "Web"  # a web page or a piece of software: named by its link
        result.venue_kinds.setdefault(venue, "report")
        if fields.get("howpublished") and not fields["howpublished"].startswith("\\url"):
            data["venue_name"] = _to_text(fields["howpublished"])
    data["venue"] = venue
    default_type = {
        "journal": "article",
        "conference": "inproceedings",
        "workshop": "inproceedings",
    }
    resolved = vocab.venue(venue)
    venue_kind = resolved.kind if resolved else result.venue_kinds.get(venue, "")
    if kind_of_entry != default_type.get(venue_kind, "misc"):
        data["entry_type"] = kind_of_entry
    doi = re.sub(
        r"^(?:https?://(?:dx\.)?doi\.org/|doi:)",
        "",
        _verbatim(fields.get("doi", "")),
        flags=re.IGNORECASE,
    )
    if doi and DOI.match(doi) and not doi.lower().startswith("10.48550/"):
        data["doi"] = doi
    link = _URL_IN_TEXT.search(_verbatim(fields.get("url", "")) or fields.get("howpublished", ""))
    url = _verbatim(link.group(0)) if link else ""
    if url and "arxiv.org" not in url and "doi.org/" not in url:
        data["venue_url"] = url
    if fields.get("pages"):
        data["pages"] = " ".join(fields["pages"].split())
    for name in _KEPT:
        if fields.get(name):
            value = fields[name]
            # Numbers and dates as written: "23--29 Jul" stays a BibTeX range.
            data[name] = " ".join(value.split()) if name in _VERBATIM else _to_text(value)
    if fields.get("publisher"):
        data["publisher"] = _to_text(fields["publisher"])  # "arXiv" too: as the entry says
    institution = fields.get("school") or fields.get("institution")
    if institution:
        data["institution"] = _to_text(institution)
    if fields.get("editor"):
        data["editor"] = _to_text(fields["editor"])
    if fields.get("abstract"):
        data["abstract"] = _to_text(fields["abstract"])
    if fields.get("keywords"):
        tags = [t.strip() for t in re.split(r"[,;]", _to_text(fields["keywords"])) if t.strip()]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
    result.papers.append((line, data))
