"""From arXiv entries to catalog papers: the rules ``scc add`` drafts by, and the one id rule.

Ids come from titles (:func:`unique_id`, also the importers' rule); venue, year and
methods are inferred (:mod:`speechcompress.venue_infer`) and each can be overridden;
every draft is validated with the catalog schema. Pure: no I/O, nothing printed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from speechcompress.errors import DuplicateError, UsageError
from speechcompress.paper import Catalog, Paper
from speechcompress.text import slugify
from speechcompress.venue_infer import infer_venue, propose_methods
from speechcompress.vocab import Vocabulary

if TYPE_CHECKING:
    from speechcompress.net.arxiv_feed import ArxivEntry


def id_base(title: str) -> str:
    """A slug for ``title`` that the schema accepts: ASCII letters and digits only.

    ``slugify`` keeps any letter (a Cyrillic or Chinese title gives a Cyrillic or
    Chinese slug), which ids may not hold; such words are left out whole.
    """
    parts = [w for w in slugify(title).split("-") if w and w.isascii() and w.isalnum()]
    return "-".join(parts) or "paper"


def next_free(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever no paper in ``taken`` uses."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def unique_id(title: str, taken: Collection[str]) -> str:
    """The id a new paper titled ``title`` gets: :func:`id_base`, made unique."""
    return next_free(id_base(title), taken)


def parse_arxiv_ids(values: Sequence[str]) -> list[str]:
    """Bare arXiv ids for what a user typed, in order, once each; a UsageError otherwise."""
    from speechcompress.ids import new_style_problem, normalize_arxiv_id
    from speechcompress.net.arxiv_feed import ACCEPTED_FORMS

    ids: list[str] = []
    for value in values:
        found = normalize_arxiv_id(value)
        if found is None:
            raise UsageError(f"{value!r} is not an arXiv id", hint=f"use {ACCEPTED_FORMS}")
        problem = new_style_problem(found)
        if problem:
            # Caught here, not by arXiv: it would answer that it has no such paper.
            raise UsageError(
                f"{value!r} is not an arXiv id: {problem}",
                hint=f"check for a missing or extra digit; use {ACCEPTED_FORMS}",
            )
        if found not in ids:
            ids.append(found)
    return ids


def check_overrides(catalog: Catalog, venue: str | None, methods: Sequence[str]) -> None:
    """Fail on a mistyped --venue or --method before asking arXiv anything."""
    from speechcompress.vocab import METHODS, Vocabulary, suggest

    vocab = catalog.vocabulary
    if venue is not None and vocab.venue(venue) is None:
        guess = suggest(venue, vocab.venue_names())
        raise UsageError(
            f"unknown venue {venue!r}",
            hint=f"did you mean {guess!r}?"
            if guess
            else "add it under [catalog.venues], or see `scc stats`",
        )
    for method in methods:
        if Vocabulary.method(method) is None:
            guess = suggest(method, METHODS)
            raise UsageError(
                f"unknown method {method!r}",
                hint=f"did you mean {guess!r}?" if guess else f"use one of {', '.join(METHODS)}",
            )


def refuse_known_ids(catalog: Catalog, ids: Sequence[str]) -> None:
    """Refuse ids the catalog already has (before asking arXiv, and again under the lock)."""
    for arxiv_id in ids:
        existing = catalog.find(arxiv_id)
        if existing is not None:
            raise DuplicateError(
                f"arXiv {arxiv_id} is already in the catalog as '{existing.id}' (same arXiv id)",
                hint=f"see `scc show {existing.id}`",
            )


def require_entries(entries: Mapping[str, ArxivEntry], ids: Sequence[str]) -> list[ArxivEntry]:
    """The entries for ``ids`` in order; an id arXiv does not know is a UsageError."""
    for arxiv_id in ids:
        if arxiv_id not in entries:
            raise UsageError(
                f"arXiv has no paper {arxiv_id}",
                hint=f"check the id at https://arxiv.org/abs/{arxiv_id}",
            )
    return [entries[i] for i in ids]


def draft_papers(
    catalog: Catalog,
    entries: Sequence[ArxivEntry],
    *,
    paper_id: str | None,
    venue: str | None,
    venue_url: str | None,
    methods: Sequence[str],
    models: Sequence[str],
    code: str | None,
) -> list[Draft]:
    """Validated papers for ``entries``: unique ids, and no paper the catalog already has."""
    if paper_id is not None and any(p.id == paper_id for p in catalog.papers):
        raise UsageError(
            f"--id {paper_id!r} is already used by another paper",
            hint="choose another id, or leave --id out for one made from the title",
        )
    return new_drafts(
        catalog,
        entries,
        lambda entry, pid: draft_paper(
            entry,
            catalog.vocabulary,
            paper_id=paper_id or pid,
            venue=venue,
            venue_url=venue_url,
            methods=methods or None,
            models=models,
            code=code,
        ),
    )


def new_drafts(
    catalog: Catalog,
    entries: Sequence[ArxivEntry],
    draft: Callable[[ArxivEntry, str], Draft],
) -> list[Draft]:
    """``draft(entry, id)`` for each entry, ``id`` made from its title (:func:`unique_id`).

    Raises :class:`DuplicateError` for a paper the catalog (or an earlier entry) already has.
    """
    from speechcompress.duplicates import DuplicateIndex

    taken = {p.id for p in catalog.papers}
    index = DuplicateIndex(catalog.papers)
    drafts: list[Draft] = []
    for entry in entries:
        pid = unique_id(entry.title, taken)
        drafted = draft(entry, pid)
        duplicate = index.find(drafted.paper)
        if duplicate is not None:
            raise DuplicateError(
                f"arXiv {entry.arxiv_id} is already in the catalog as '{duplicate.existing.id}' "
                f"(same {duplicate.reason})",
                hint=f"see `scc show {duplicate.existing.id}`",
            )
        index.add(drafted.paper)
        taken.add(pid)
        drafts.append(drafted)
    return drafts


@dataclass(frozen=True)
class Draft:
    """A paper proposed from an arXiv entry, with notes on how each guess was made."""

    paper: Paper
    entry: ArxivEntry
    notes: tuple[str, ...] = ()


def draft_paper(
    entry: ArxivEntry,
    vocabulary: Vocabulary,
    *,
    paper_id: str,
    venue: str | None = None,
    venue_url: str | None = None,
    methods: Sequence[str] | None = None,
    models: Sequence[str] = (),
    code: str | None = None,
) -> Draft:
    """The catalog paper for ``entry``; the keyword arguments override the guesses.

    Year is the inferred venue's year when one is written (and plausible), else the first
    version's.
    Raises :class:`UsageError` when an override is not valid (unknown venue or method,
    a URL that is not http(s), an id that is not a slug).
    """
    notes: list[str] = []
    known = vocabulary.venue(venue) if venue else None
    guess = None
    if venue is None or known is not None:
        # With --venue, the comment may still say which year ("Accepted to ICASSP 2023").
        guess = infer_venue(
            entry.journal_ref,
            entry.comment,
            vocabulary,
            only=known.name if known else None,
            first_version_year=entry.year,
        )
    if venue is None:
        if guess:
            notes.append(f"venue {guess.describe()}")
        elif entry.journal_ref:
            notes.append(
                f"the arXiv journal ref {entry.journal_ref!r} names no known venue; "
                "kept arXiv (use --venue, or add the venue under [catalog.venues])"
            )
        chosen = guess.venue if guess else "arXiv"
    else:
        chosen = venue
    year = guess.year if guess and guess.year else entry.year
    proposed = propose_methods(entry.title, entry.abstract) if methods is None else tuple(methods)
    if methods is None and proposed:
        notes.append(f"methods {', '.join(proposed)} (from keywords in the title and abstract)")
    raw: dict[str, Any] = {
        "id": paper_id,
        "title": entry.title,
        "authors": list(entry.authors),
        "year": year,
        "venue": chosen,
        "venue_url": venue_url,
        "arxiv": entry.arxiv_id,
        "doi": entry.doi,
        "code": code,
        "methods": list(proposed),
        "models": list(models),
        "published": entry.published,
        "abstract": entry.abstract or None,
    }
    return Draft(validate_draft(raw, vocabulary), entry, tuple(notes))


def validate_draft(raw: dict[str, Any], vocabulary: Vocabulary) -> Paper:
    """Validate a proposed paper with the catalog schema; problems become a UsageError."""
    from pydantic import ValidationError

    from speechcompress.models import validate_paper

    data = {k: v for k, v in raw.items() if v is not None and v != []}
    try:
        return validate_paper(data, vocabulary)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "paper"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        option = {
            "id": "--id",
            "venue": "--venue",
            "venue_url": "--venue-url",
            "code": "--code",
            "methods": "--method",
            "models": "--model",
        }.get(field.split(".")[0])
        where = f"{option}" if option else f"arXiv {raw.get('arxiv')} {field}"
        raise UsageError(f"{where}: {message}") from None


def select_papers(catalog: Catalog, keys: Sequence[str], *, arxiv_only: bool = True) -> list[Paper]:
    """The papers ``keys`` name (paper or arXiv ids), or every paper with an arXiv id
    (every paper at all when not ``arxiv_only``)."""
    if not keys:
        return [p for p in catalog.papers if p.arxiv or not arxiv_only]
    from speechcompress.source import MemorySource, require_paper

    source = MemorySource(catalog)
    chosen: list[Paper] = []
    for key in keys:
        paper = require_paper(source, key)
        if not paper.arxiv and arxiv_only:
            raise UsageError(f"paper {paper.id!r} has no arXiv id to refresh from")
        if paper not in chosen:
            chosen.append(paper)
    return chosen
