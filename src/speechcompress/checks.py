"""Offline catalog health checks: every problem at once, each with its ``path:line``.

``check_catalog`` takes the raw TOML text, so a paper that fails the schema does not hide
the other problems: schema errors come from :func:`~speechcompress.catalog.parse_catalog`,
and the remaining checks (duplicates, links, years, whitespace) run on the raw tables.
Text that is not TOML at all becomes a single ``syntax`` finding (see
:func:`has_syntax_error`). Nothing here touches the network or prints.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from speechcompress.catalog import LineMap, display_path, parse_catalog, parse_toml
from speechcompress.errors import CatalogError, SccError
from speechcompress.ids import arxiv_year, normalize_arxiv_id
from speechcompress.paper import FIELDS, Catalog, Paper, record
from speechcompress.vocab import VENUE_KINDS, Venue, Vocabulary

Severity = Literal["error", "warning"]

#: Hosts known to serve https, so an http:// link to them is always worth upgrading.
HTTPS_HOSTS = (
    "arxiv.org",
    "doi.org",
    "dx.doi.org",
    "github.com",
    "gitlab.com",
    "huggingface.co",
    "ieeexplore.ieee.org",
    "aclanthology.org",
    "openreview.net",
    "isca-speech.org",
    "isca-archive.org",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "papers.nips.cc",
    "dl.acm.org",
    "link.springer.com",
    "sciencedirect.com",
    "ojs.aaai.org",
    "ijcai.org",
    "bitbucket.org",
    "zenodo.org",
    "paperswithcode.com",
    "sites.google.com",
    "github.io",
)

#: Short titles for rule names (GitHub annotation titles, JSON ``rule``).
RULE_TITLES = {
    "syntax": "not valid TOML",
    "schema": "invalid field",
    "duplicate": "duplicate paper",
    "near-duplicate": "near-identical title",
    "duplicate-url": "URL on two papers",
    "venue-url": "missing venue link",
    "secondary-venue-url": "venue link to a secondary page",
    "arxiv-year": "year before arXiv id",
    "whitespace": "stray whitespace",
    "https": "http:// link",
    "results": "invalid results file",
    "results-conflict": "results that disagree",
}

# Fix hints for schema problems, by field.
_FIELD_HINTS = {f.name: f.hint for f in FIELDS if f.hint}
_WHERE = re.compile(r"^(?P<path>.*?):(?P<line>\d+)(?::(?P<col>\d+))?$")
_LABEL = re.compile(r"^paper (?:'[^']*'|\"[^\"]*\"|#\d+): ")
_SYNTAX_HINT = "often an unclosed quote or bracket, or a key set twice, at or just before that spot"
_ENCODING_HINT = "save the file as UTF-8 text"
_URL_FIELDS = tuple(f.name for f in FIELDS if f.rule == "url")
#: The fields the raw checks read (never the long texts).
_RAW_FIELDS = tuple(f.name for f in FIELDS if not f.heavy and f.kind != "list")
_NEAR_TITLE = 95.0  # rapidfuzz ratio (0-100) above which two titles are "near-identical"
_MIN_NEAR_LEN = 20  # below this, one changed letter is a different title


@record  # read-only like a frozen dataclass, built 3x faster (a check may make 10,000)
class Finding:
    """One problem in a catalog."""

    severity: Severity
    #: The paper's id (None for a problem outside any paper).
    paper_id: str | None
    #: The catalog file as shown to the user (relative to the current folder when below it).
    path: str
    #: 1-based line (0 when unknown).
    line: int
    message: str
    hint: str | None = None
    #: Which check found it: a key of :data:`RULE_TITLES`.
    rule: str = "schema"
    #: 1-based column (0 when unknown; only TOML syntax errors know it).
    col: int = 0

    @property
    def where(self) -> str:
        """``path:line:col``, ``path:line`` or ``path``, as much as is known."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col}" if self.col else f"{self.path}:{self.line}"


def has_errors(findings: Sequence[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def has_syntax_error(findings: Sequence[Finding]) -> bool:
    """Whether the file was not TOML at all, so no other check could run."""
    return any(f.rule == "syntax" for f in findings)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """The findings of one catalog file, and how many papers it holds."""

    findings: list[Finding]
    #: ``[[papers]]`` tables in the file (None when it is not TOML or not UTF-8).
    papers: int | None
    #: The papers' ids, in file order (those that are strings).
    ids: tuple[str, ...] = ()


def check_file(path: Path, *, use_cache: bool = True) -> list[Finding]:
    """Read a catalog file and check it; see :func:`check_path`."""
    return check_path(path, use_cache=use_cache).findings


def check_path(path: Path, *, use_cache: bool = True) -> CheckedFile:
    """Read a catalog file and check it; see :func:`check_catalog`.

    With ``use_cache``, a file whose index is current (scc validated these exact bytes
    when it wrote the index) is checked from its indexed papers: the same findings
    without parsing or validating it again. No index is written (but one found damaged
    is replaced). A file that is not UTF-8 is reported
    like a syntax error. Raises :class:`~speechcompress.errors.FileProblem` when the file
    cannot be read at all.
    """
    from speechcompress.catalog import read_text

    try:
        indexed = None
        if use_cache:
            from speechcompress.source import read_indexed

            indexed = read_indexed(path)
        text = indexed[0] if indexed else read_text(path)
    except CatalogError as exc:
        return CheckedFile(not_toml(exc), None)
    lines = LineMap(text)
    if indexed is not None and len(lines.papers) == len(indexed[1].papers):
        findings = _check_indexed(indexed[1], path, lines)
        ids = tuple(p.id for p in indexed[1].papers)
    else:
        findings, ids = _check_text(text, path, lines)
    return CheckedFile(findings, None if has_syntax_error(findings) else len(lines.papers), ids)


def _check_indexed(catalog: Catalog, path: Path, lines: LineMap) -> list[Finding]:
    """The findings of a catalog scc validated and indexed, from its indexed papers.

    A valid catalog's raw tables hold what its papers hold (venues under their canonical
    names, which name the same venues), so the raw checks run on the papers' fields and
    no TOML is parsed (``tests/test_checks.py`` compares the two).
    """
    with _no_cycle_collection():
        raw_papers = [
            {name: value for name in _RAW_FIELDS if (value := getattr(p, name)) is not None}
            for p in catalog.papers
        ]
        findings = _raw_findings(
            raw_papers,
            catalog.vocabulary,
            lines,
            display_path(path),
            catalog.official_hosts,
            catalog.papers,
        )
    return _in_order(findings)


def check_catalog(text: str, path: Path, *, lines: LineMap | None = None) -> list[Finding]:
    """Every problem in a catalog's text, sorted by line.

    Text that is not TOML gives one ``syntax`` finding and nothing else. ``lines`` is the
    text's :class:`~speechcompress.catalog.LineMap` when the caller has one.
    """
    return _check_text(text, path, LineMap(text) if lines is None else lines)[0]


def _check_text(text: str, path: Path, lines: LineMap) -> tuple[list[Finding], tuple[str, ...]]:
    """:func:`check_catalog`'s findings, and the ids of the papers."""
    with _no_cycle_collection():
        try:
            data = parse_toml(text, path)
        except CatalogError as exc:
            return not_toml(exc), ()
        raw_papers = _raw_papers(data)
        findings, valid = _schema_findings(text, path, data, lines, raw_papers)
        findings += _raw_findings(
            raw_papers,
            _raw_vocabulary(data),
            lines,
            display_path(path),
            _official_hosts(data),
            valid.papers if valid else None,
        )
    return _in_order(findings), tuple(i for raw in raw_papers if (i := _id_of(raw)))


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector: it walked the parsed catalog's hundreds of thousands of
    objects again and again while the checks made their findings (~10% of a check)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _raw_findings(
    raw_papers: list[dict[str, Any]],
    vocabulary: Vocabulary,
    lines: LineMap,
    shown: str,
    hosts: Sequence[str],
    papers: Sequence[Paper] | None = None,
) -> list[Finding]:
    """Every finding but the schema's, from the papers' raw tables (``hosts``: the
    catalog's own official venue-page hosts; ``papers``: the tables validated, when
    they are valid)."""
    from speechcompress.text import normalized_title

    venues: dict[str, Venue | None] = {}  # a catalog names a few venues many times
    titles = [normalized_title(_text(raw, "title") or "") for raw in raw_papers]
    duplicates = list(_duplicates(raw_papers, lines, shown, titles, papers))
    findings = list(duplicates)
    # A pair already reported as a duplicate need not be reported as near-identical too.
    repeated = {_paper_at(lines, f.line) for f in duplicates}
    findings.extend(
        f
        for f in _near_titles(raw_papers, lines, shown, titles)
        if _paper_at(lines, f.line) not in repeated
    )
    findings.extend(_duplicate_urls(raw_papers, lines, shown))
    for index, raw in enumerate(raw_papers):
        _paper_findings(index, raw, lines, shown, vocabulary, venues, hosts, findings)
    return findings


def _in_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.severity != "error", f.rule, f.message))


def not_toml(error: CatalogError) -> list[Finding]:
    """The problems of a file that could not be parsed (TOML syntax, not UTF-8) as findings."""
    findings = []
    for problem in error.problems:
        path, line, col = split_where(problem.where or "")
        hint = problem.hint or (_SYNTAX_HINT if line else _ENCODING_HINT)
        findings.append(Finding("error", None, path, line, problem.message, hint, "syntax", col))
    return findings


def split_where(where: str) -> tuple[str, int, int]:
    """``path:line:col`` (line and col optional) as (path, line, col), 0 when unknown."""
    match = _WHERE.match(where)
    if not match:
        return where, 0, 0
    return match["path"], int(match["line"]), int(match["col"] or 0)


# --- schema ---------------------------------------------------------------------------


def _schema_findings(
    text: str, path: Path, data: dict[str, Any], lines: LineMap, raw_papers: list[dict[str, Any]]
) -> tuple[list[Finding], Catalog | None]:
    """The schema's findings, and the catalog when there are none."""
    try:
        return [], parse_catalog(text, path, data, lines)
    except CatalogError as exc:
        return [_from_problem(p, lines, raw_papers) for p in exc.problems], None


def _from_problem(problem: SccError, lines: LineMap, raw_papers: list[dict[str, Any]]) -> Finding:
    path, line, col = split_where(problem.where or "")
    index = _paper_at(lines, line)
    paper_id = _id_of(raw_papers[index]) if index is not None and index < len(raw_papers) else None
    message = _LABEL.sub("", problem.message)
    field = message.split(":", 1)[0] if ":" in message else ""
    hint = problem.hint or _FIELD_HINTS.get(field.split(".")[0])
    return Finding(
        "error",
        paper_id,
        path,
        line,
        message,
        hint or "fix the field as the message says",
        "schema",
        col,
    )


def _paper_at(lines: LineMap, line: int) -> int | None:
    """Index of the paper table holding a 1-based line."""
    found = None
    for index, start in enumerate(lines.papers):
        if start + 1 > line:
            break
        found = index
    return found


# --- raw tables -----------------------------------------------------------------------


def _raw_papers(data: dict[str, Any]) -> list[dict[str, Any]]:
    papers = data.get("papers")
    if not isinstance(papers, list):
        return []
    # Keep positions (LineMap counts every [[papers]] header) but blank out non-tables.
    return [p if isinstance(p, dict) else {} for p in papers]


def _raw_vocabulary(data: dict[str, Any]) -> Vocabulary:
    header = data.get("catalog")
    venues = header.get("venues") if isinstance(header, dict) else None
    extra = []
    if isinstance(venues, dict):
        for name, spec in venues.items():
            if isinstance(spec, dict) and spec.get("kind") in VENUE_KINDS:
                aliases = spec.get("aliases")
                aliases = (
                    tuple(a for a in aliases if isinstance(a, str))
                    if isinstance(aliases, list)
                    else ()
                )
                extra.append(Venue(name, spec["kind"], str(spec.get("name", "")), aliases))
    return Vocabulary.with_extra_venues(extra)


def _official_hosts(data: dict[str, Any]) -> tuple[str, ...]:
    header = data.get("catalog")
    hosts = header.get("official_hosts") if isinstance(header, dict) else None
    return tuple(h for h in hosts if isinstance(h, str)) if isinstance(hosts, list) else ()


def _id_of(raw: dict[str, Any]) -> str | None:
    value = raw.get("id")
    return value if isinstance(value, str) and value else None


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) and value else None


def _as_paper(index: int, raw: dict[str, Any], lines: LineMap) -> Paper:
    """A lenient record for duplicate detection: wrong types count as missing."""
    # A Paper with a blank year and venue, because duplicates.py (which takes Papers) is
    # the one definition of "same paper": check reports exactly what add/import refuse.
    arxiv = _text(raw, "arxiv")
    return Paper(
        id=_id_of(raw) or f"#{index + 1}",
        title=_text(raw, "title") or "",
        year=0,
        venue="",
        arxiv=normalize_arxiv_id(arxiv) if arxiv else None,
        doi=_text(raw, "doi"),
        line=lines.paper(index),
    )


# --- duplicates -----------------------------------------------------------------------


def _duplicates(
    raw_papers: list[dict[str, Any]],
    lines: LineMap,
    shown: str,
    titles: Sequence[str],
    valid: Sequence[Paper] | None = None,
) -> Iterator[Finding]:
    """Same arXiv id (versions ignored), same DOI (any case) or same normalized title.

    ``titles``: each table's title normalized. ``valid``: the tables as validated
    papers, when they are valid (their arXiv ids are bare already); else lenient records
    are made of the raw tables.
    """
    from speechcompress.duplicates import duplicate_pairs

    papers = valid or [_as_paper(i, raw, lines) for i, raw in enumerate(raw_papers)]
    position = {id(p): i for i, p in enumerate(papers)}
    for dup in duplicate_pairs(papers, titles):
        index = position[id(dup.new)]
        key = {"arXiv id": "arxiv", "DOI": "doi", "title": "title"}[dup.reason]
        yield Finding(
            "error",
            _id_of(raw_papers[index]),
            shown,
            lines.key(index, key),
            f"{dup.describe()} (line {dup.existing.line})",
            f"merge the two entries into '{dup.existing.id}' and delete this one",
            "duplicate",
        )


def _near_titles(
    raw_papers: list[dict[str, Any]], lines: LineMap, shown: str, titles: Sequence[str]
) -> Iterator[Finding]:
    """Titles that differ by a typo or two (but not by a number: 2-bit vs 4-bit);
    ``titles``: each table's title normalized.

    Each title is compared only with the earlier titles that could reach the threshold:
    the same numbers, and a length within the bound the ratio sets (a ratio of 95 allows
    at most 5% of the two lengths' sum in insertions and deletions, so the lengths can
    differ by no more). Those candidates are scored in one rapidfuzz call. The findings
    are exactly those of comparing every pair (``tests/test_checks.py`` checks that).
    """
    from bisect import bisect_left, bisect_right, insort

    # Per distinct list of numbers: (length, index, title) of the titles seen so far.
    blocks: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
    exact: set[str] = set()
    keep = (100 - _NEAR_TITLE) / 100  # |a - b| <= keep * (a + b)
    for index, (raw, title) in enumerate(zip(raw_papers, titles, strict=True)):
        if len(title) < _MIN_NEAR_LEN or title in exact:
            exact.add(title)
            continue  # exact repeats are reported by _duplicates
        block = blocks.setdefault(tuple(re.findall(r"\d+", title)), [])
        size = len(title)
        low = bisect_left(block, (int(size * (1 - keep) / (1 + keep)) - 1,))
        high = bisect_right(block, (int(size * (1 + keep) / (1 - keep)) + 2,))
        candidates = block[low:high]
        if candidates:
            extract, ratio = _rapidfuzz()
            matches = extract(
                title,
                [c[2] for c in candidates],
                scorer=ratio,
                score_cutoff=_NEAR_TITLE,
                limit=None,
            )
            if matches:
                other_index = min(candidates[m[2]][1] for m in matches)  # the first in file
                other_id = _id_of(raw_papers[other_index]) or f"#{other_index + 1}"
                yield Finding(
                    "warning",
                    _id_of(raw),
                    shown,
                    lines.key(index, "title"),
                    f"title is nearly the same as '{other_id}' (line {lines.paper(other_index)})",
                    "if both are the same paper, merge them; else ignore this warning",
                    "near-duplicate",
                )
        insort(block, (size, index, title))
        exact.add(title)


@functools.cache
def _rapidfuzz() -> tuple[Any, Any]:
    """rapidfuzz's ``process.extract`` and ``fuzz.ratio``, imported (~5 ms) only once two
    titles are worth comparing."""
    from rapidfuzz import fuzz, process

    return process.extract, fuzz.ratio


def _duplicate_urls(
    raw_papers: list[dict[str, Any]], lines: LineMap, shown: str
) -> Iterator[Finding]:
    """The same venue or code link on two papers: often a copy-paste slip."""
    first: dict[str, tuple[int, str]] = {}
    for index, raw in enumerate(raw_papers):
        for key in _URL_FIELDS:
            url = _text(raw, key)
            if not url:
                continue
            norm = url.strip().rstrip("/").casefold().replace("http://", "https://", 1)
            if norm in first:
                other_index, other_key = first[norm]
                if other_index == index:
                    continue
                other_id = _id_of(raw_papers[other_index]) or f"#{other_index + 1}"
                yield Finding(
                    "warning",
                    _id_of(raw),
                    shown,
                    lines.key(index, key),
                    f"{key} is also the {other_key} of '{other_id}' "
                    f"(line {lines.key(other_index, other_key)})",
                    "fine for a repository shared by two papers; otherwise fix the copy-paste",
                    "duplicate-url",
                )
            else:
                first[norm] = (index, key)


# --- one paper at a time --------------------------------------------------------------


def _paper_findings(
    index: int,
    raw: dict[str, Any],
    lines: LineMap,
    shown: str,
    vocabulary: Vocabulary,
    venues: dict[str, Venue | None],
    official_hosts: Sequence[str],
    found: list[Finding],
) -> None:
    """Add the findings about one paper on its own to ``found``."""
    pid = _id_of(raw)

    title = raw.get("title")
    if isinstance(title, str) and title and " ".join(title.split()) != title:
        found.append(
            Finding(
                "warning",
                pid,
                shown,
                lines.key(index, "title"),
                "title has stray whitespace (leading, trailing, doubled or tabs)",
                f'title = "{" ".join(title.split())}"',
                "whitespace",
            )
        )

    venue_name = _text(raw, "venue")
    if venue_name is None:
        venue = None
    elif venue_name in venues:
        venue = venues[venue_name]
    else:
        venue = venues[venue_name] = vocabulary.venue(venue_name)
    arxiv = _text(raw, "arxiv")
    doi = _text(raw, "doi")
    venue_url = _text(raw, "venue_url")
    # Without a venue_url the README links the DOI; only with neither is the link empty.
    if venue is not None and not venue_url and not doi and not (venue.name == "arXiv" and arxiv):
        found.append(
            Finding(
                "warning",
                pid,
                shown,
                lines.key(index, "venue"),
                f"no venue_url: the README shows an empty link [{venue.name}]()",
                'add venue_url = "https://..." (the paper\'s page at the venue)',
                "venue-url",
            )
        )
    if venue_url and doi and not _is_official(venue_url, official_hosts):
        from urllib.parse import urlsplit

        found.append(
            Finding(
                "warning",
                pid,
                shown,
                lines.key(index, "venue_url"),
                f"venue_url points to a secondary page ({urlsplit(venue_url).hostname}) "
                "while the paper's DOI is known",
                f'venue_url = "https://doi.org/{doi}" (or list the host under [catalog] '
                "official_hosts if it is the publisher's)",
                "secondary-venue-url",
            )
        )

    year = raw.get("year")
    bare = normalize_arxiv_id(arxiv) if arxiv else None
    if bare and isinstance(year, int) and not isinstance(year, bool) and year < arxiv_year(bare):
        # A venue paper may reach arXiv after it appeared; a preprint cannot.
        preprint = venue is not None and venue.kind == "preprint"
        found.append(
            Finding(
                "error" if preprint else "warning",
                pid,
                shown,
                lines.key(index, "year"),
                f"year {year} is before the arXiv id's year {arxiv_year(bare)} ({bare})",
                f"year = {arxiv_year(bare)}" if preprint else _LATE_ARXIV_HINT,
                "arxiv-year",
            )
        )

    for key in _URL_FIELDS:
        url = raw.get(key)
        if isinstance(url, str) and url[:7].lower() == "http://" and _serves_https(url):
            found.append(
                Finding(
                    "warning",
                    pid,
                    shown,
                    lines.key(index, key),
                    f"{key} uses http:// but the site serves https",
                    f'{key} = "https://{url[len("http://") :]}"',
                    "https",
                )
            )


_LATE_ARXIV_HINT = "check the year; fine if the paper appeared at the venue before its arXiv post"


def _is_official(url: str, hosts: Sequence[str]) -> bool:
    from speechcompress.published import is_official  # ~5 ms to import: only when needed

    return is_official(url, hosts)


def _serves_https(url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in HTTPS_HOSTS)
