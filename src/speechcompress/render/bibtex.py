"""BibTeX entries for citing papers from the catalog.

* Entry type from the venue's kind: ``@inproceedings`` for conferences and workshops,
  ``@article`` for journals, ``@misc`` (with eprint fields) for preprints and reports.
* Keys are readable and stable: first author's surname, year, first title word
  (``peng2023dphubert``); papers that would share a key get ``a``, ``b``, ... suffixes.
* Acronyms and CamelCase words are braced (``{DPHuBERT}``) so styles keep their case;
  LaTeX special characters are escaped in text fields, URLs are written verbatim.
  Non-ASCII stays UTF-8 unless ``ascii_only``, which writes LaTeX accents (pylatexenc
  knows them all). Keys are ASCII whatever the names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from speechcompress.paper import Paper
from speechcompress.text import STOP_WORDS, fold, words
from speechcompress.vocab import Vocabulary

_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts every brace, escaped or not, so a lone one would
    # unbalance the entry (pybtex rejects the whole file).
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_WORD = re.compile(r"\S+")


# TeX ligatures that would change the text: -- and --- (dashes), `` and '' (quotes),
# ?` and !` (inverted marks). An empty group between the two characters prevents them.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)")


def escape_latex(text: str) -> str:
    """``text`` for a BibTeX field: specials escaped, braces balanced, no ligatures."""
    return _LIGATURE.sub("{}", _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text))


def _needs_braces(word: str) -> bool:
    """Whether a word part has a capital after its first letter.

    HuBERT, ASR and VIC-KD need braces; Self-Supervised does not.
    """
    for part in re.split(r"[-/]", word):
        letters = [c for c in part if c.isalpha()]
        if any(c.isupper() for c in letters[1:]):
            return True
    return False


def protect_title(title: str) -> str:
    """Escape LaTeX specials and brace each word whose capitals must survive."""
    out = []
    for match in _WORD.finditer(title):
        word = match.group()
        escaped = escape_latex(word)
        core = word.rstrip(":;,.!?")
        if _needs_braces(core):
            tail = word[len(core) :]
            escaped = "{" + escape_latex(core) + "}" + escape_latex(tail)
        out.append(escaped)
    return " ".join(out)


# pylatexenc writes the double acute of ű/Ű as a plain acute (\'u); LaTeX's is \H.
_DOUBLE_ACUTE = str.maketrans({"ű": r"{\H{u}}", "Ű": r"{\H{U}}"})


def _ascii(text: str) -> str:
    from pylatexenc.latexencode import unicode_to_latex

    return str(
        unicode_to_latex(
            text.translate(_DOUBLE_ACUTE),
            non_ascii_only=True,
            replacement_latex_protection="braces-all",
        )
    )


def _ascii_words(text: str) -> list[str]:
    # Keys stay ASCII: pdfLaTeX cannot \cite a key holding UTF-8 letters.
    return [w for w in words(text) if w.isascii()]


def base_key(paper: Paper) -> str:
    surname = _ascii_words(paper.authors[0].split()[-1]) if paper.authors else ["anon"]
    first = next((w for w in _ascii_words(paper.title) if w not in STOP_WORDS), "paper")
    return f"{''.join(surname) or 'anon'}{paper.year}{first}"


def verbatim(value: str) -> str:
    """A URL or DOI for a verbatim field: as is, but braces and backslashes percent-encoded.

    biblatex reads ``url`` and ``doi`` verbatim, so ``\\%`` would end up in the link; BibTeX
    counts every brace, escaped or not, so a lone ``{`` would end the entry early.
    """
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


#: What BibTeX and biber accept in a key: no space, comma, brace, quote, hash, percent,
#: tilde, equals sign or backslash.
_KEY = re.compile(r"^[^\s,{}()\"#%'=\\~]+$")


def stored_key(paper: Paper) -> str | None:
    """The paper's own key when it has one BibTeX can read."""
    return paper.key if paper.key and _KEY.match(paper.key) else None


def citation_keys(papers: Sequence[Paper], universe: Sequence[Paper] | None = None) -> list[str]:
    """One key per paper of ``papers``, decided over ``universe`` (default: ``papers``).

    A paper's stored ``key`` wins. Other keys depend on the paper and on the whole
    ``universe`` only (pass the whole catalog): generated keys that collide with each
    other are suffixed a, b, c ... in universe order, and one that a stored key already
    takes gets the next free suffix. So a filter never changes a key.
    """
    if universe is None:
        return _keys(papers)
    # Ids are unique in a catalog; an index may hand out equal records as other objects.
    every = {p.id: p for p in universe}
    for paper in papers:
        every.setdefault(paper.id, paper)
    chosen = dict(zip(every, _keys(list(every.values())), strict=True))
    return [chosen[p.id] for p in papers]


def _keys(papers: Sequence[Paper]) -> list[str]:
    stored = [stored_key(p) for p in papers]
    taken = {k for k in stored if k}
    bases = [fold(base_key(p)) for p in papers]
    counts = Counter(b for b, own in zip(bases, stored, strict=True) if not own)
    seen: Counter[str] = Counter()
    keys: list[str] = []
    for base, own in zip(bases, stored, strict=True):
        if own:
            keys.append(own)
            continue
        key = base
        if counts[base] > 1 or base in taken:
            key = base + _suffix(seen[base])
            seen[base] += 1
            while key in taken:
                key = base + _suffix(seen[base])
                seen[base] += 1
        taken.add(key)
        keys.append(key)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def _author(name: str, text: Callable[[str], str]) -> str:
    """One name of an author list; braced when BibTeX would cut it ("Speech Group, Inc.")."""
    written = text(escape_latex(name))
    if "," in name or " and " in f" {name.casefold()} ":
        return "{" + written + "}"
    return written


#: Entry types scc writes, and the field that names the venue in each.
ENTRY_TYPES: dict[str, str] = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "proceedings": "",
    "book": "",
    "phdthesis": "",
    "mastersthesis": "",
    "techreport": "",
    "misc": "howpublished",
    "unpublished": "",
    "manual": "",
    "online": "",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Plain text fields written after the venue, in this order (school/institution by type).
_DETAILS = ("editor", "volume", "number")
_LATER = ("publisher", "address", "edition", "series", "isbn", "note")


def entry_type(paper: Paper, vocab: Vocabulary) -> str:
    """The paper's BibTeX type: its own ``entry_type``, else its venue's kind's."""
    if paper.entry_type and paper.entry_type.lower() in ENTRY_TYPES:
        return paper.entry_type.lower()
    venue = vocab.venue(paper.venue)
    kind = venue.kind if venue else "preprint"
    if kind in ("conference", "workshop"):
        return "inproceedings"
    return "article" if kind == "journal" else "misc"


def render_entry(
    paper: Paper, key: str, vocab: Vocabulary, *, style: str = "natbib", ascii_only: bool = False
) -> str:
    venue = vocab.venue(paper.venue)
    kind = venue.kind if venue else "preprint"
    venue_name = paper.venue_name or ((venue.full_name or venue.name) if venue else paper.venue)
    text = _ascii if ascii_only else (lambda s: s)

    def braced(value: str) -> str:
        return "{" + text(escape_latex(value)) + "}"

    fields: list[tuple[str, str]] = [
        ("title", "{" + text(protect_title(paper.title)) + "}"),
    ]
    if paper.authors:
        fields.append(("author", "{" + " and ".join(_author(a, text) for a in paper.authors) + "}"))
    kind_type = entry_type(paper, vocab)
    venue_field = ENTRY_TYPES[kind_type]
    if kind_type == "misc" and kind != "report" and not paper.venue_name:
        venue_field = ""  # a preprint is named by its eprint fields
    if venue_field:
        fields.append((venue_field, braced(venue_name)))
    fields += [(name, braced(getattr(paper, name))) for name in _DETAILS if getattr(paper, name)]
    if paper.pages:
        # A page range's -- is the en dash BibTeX styles expect: no ligature breaking.
        pages = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], paper.pages)
        fields.append(("pages", "{" + text(pages) + "}"))
    fields.append(("year", "{" + str(paper.year) + "}"))
    if paper.month:
        # jan ... dec are BibTeX macros (styles print them in their language): kept so.
        macro = paper.month.strip() in _MONTHS
        fields.append(("month", paper.month.strip() if macro else braced(paper.month)))
    if paper.institution:
        where = "school" if kind_type.endswith("thesis") else "institution"
        fields.append((where, braced(paper.institution)))
    fields += [(name, braced(getattr(paper, name))) for name in _LATER if getattr(paper, name)]
    if paper.doi:
        # natbib styles print the DOI as text unless the url package is loaded; biblatex
        # reads it verbatim.
        doi = verbatim(paper.doi) if style == "biblatex" else escape_latex(paper.doi)
        fields.append(("doi", "{" + doi + "}"))
    if paper.arxiv:
        if style == "biblatex":
            fields += [("eprint", "{" + paper.arxiv + "}"), ("eprinttype", "{arxiv}")]
        else:
            fields += [("eprint", "{" + paper.arxiv + "}"), ("archivePrefix", "{arXiv}")]
    url = paper.venue_url or paper.arxiv_url
    if url:
        fields.append(("url", "{" + verbatim(url) + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@{kind_type}{{{key},\n{body}\n}}\n"


def render_bibtex(
    papers: Sequence[Paper],
    vocab: Vocabulary,
    *,
    style: str = "natbib",
    ascii_only: bool = False,
    universe: Sequence[Paper] | None = None,
) -> str:
    """The entries of ``papers``; keys are decided over ``universe`` (the whole catalog)."""
    keys = citation_keys(papers, universe)
    return "\n".join(
        render_entry(p, k, vocab, style=style, ascii_only=ascii_only)
        for p, k in zip(papers, keys, strict=True)
    )
