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


def _to_text(value: str) -> str:
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


def _read_entry(entry: Any, line: int, vocab: Vocabulary, result: Parsed) -> None:
    """Add the paper of one BibTeX entry to ``result``, or its problem."""
    fields = {k.lower(): str(f.value) for k, f in entry.fields_dict.items()}
    data: dict[str, Any] = {}
    if "title" not in fields:
        result.problems.append(LineProblem(line, f"entry '{entry.key}' has no title"))
        return
    data["title"] = _to_text(fields["title"])
    if fields.get("author"):
        authors = _split_outside_braces(fields["author"], _AND)
        names = [_name(a) for a in authors if a.strip()]
        # "and others" is BibTeX for "et al.", not an author.
        data["authors"] = [n for n in names if n and n.casefold() != "others"]
    year = _YEAR.search(fields.get("year", "") or fields.get("date", ""))
    if not year:
        result.problems.append(LineProblem(line, f"entry '{entry.key}' has no year"))
        return
    data["year"] = int(year.group(1))
    eprint = fields.get("eprint", "")
    arxiv = normalize_arxiv_id(eprint) if eprint else None
    if not arxiv and "arxiv" in fields.get("journal", "").lower():
        found = re.search(r"\d{4}\.\d{4,5}", fields["journal"])
        arxiv = found.group(0) if found else None
    if arxiv:
        data["arxiv"] = arxiv
    venue_text = " ".join(fields.get(k, "") for k in ("booktitle", "journal", "howpublished"))
    venue = guess_venue(_to_text(venue_text), vocab) if venue_text.strip() else None
    if venue is None and not (arxiv or "arxiv" in venue_text.lower()):
        result.problems.append(
            LineProblem(
                line,
                f"entry '{entry.key}': venue not recognised in {venue_text.strip()!r}"
                if venue_text.strip()
                else f"entry '{entry.key}' names no venue",
            )
        )
        return
    data["venue"] = venue or "arXiv"
    doi = re.sub(
        r"^(?:https?://(?:dx\.)?doi\.org/|doi:)",
        "",
        _verbatim(fields.get("doi", "")),
        flags=re.IGNORECASE,
    )
    if doi and DOI.match(doi) and not doi.lower().startswith("10.48550/"):
        data["doi"] = doi
    url = _verbatim(fields.get("url", ""))
    if url.startswith(("http://", "https://")) and "arxiv.org" not in url:
        data["venue_url"] = url
    if fields.get("abstract"):
        data["abstract"] = _to_text(fields["abstract"])
    result.papers.append((line, data))
