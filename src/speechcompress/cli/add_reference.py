"""``scc add`` for papers named by a DOI or a publisher's URL instead of an arXiv id."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from speechcompress.cli.session import emit, open_catalog, warn, where_to_write
from speechcompress.errors import DuplicateError, UsageError

if TYPE_CHECKING:
    from speechcompress.net.sources.base import Record
    from speechcompress.paper import Catalog, Paper
    from speechcompress.resolve import Reference


def references(values: Sequence[str]) -> list[Reference] | None:
    """The references ``values`` name, None when none is one (all arXiv ids, say).

    A mix of arXiv ids and DOIs is refused: add them in two commands.
    """
    from speechcompress.resolve import parse_reference

    found = [parse_reference(v) for v in values]
    if not any(found):
        return None
    if not all(found):
        other = next(v for v, r in zip(values, found, strict=True) if r is None)
        raise UsageError(
            f"{other!r} is neither a DOI nor a URL scc can read, among DOIs",
            hint="add arXiv ids and DOIs in separate commands",
        )
    return [r for r in found if r is not None]


def _record(reference: Reference, no_cache: bool) -> Record:
    from speechcompress.net.sources import make_source
    from speechcompress.net.sources.dblp import DblpSource
    from speechcompress.published import is_preprint

    if reference.kind == "openreview":
        from speechcompress.net.sources.openreview import OpenReviewSource

        openreview = make_source("openreview", use_cache=not no_cache)
        assert isinstance(openreview, OpenReviewSource) and reference.key is not None
        note = openreview.by_id(reference.key)
        if note is None:
            raise UsageError(
                f"OpenReview has no forum {reference.key}", hint=f"check {reference.text}"
            )
        if is_preprint(note):
            raise UsageError(
                f"OpenReview forum {reference.key} is not an accepted paper "
                f"({note.venue or 'no venue'})",
                hint="add it once it is published, or by its arXiv id",
            )
        return note
    if reference.kind == "isca":
        return _isca_record(reference, no_cache)
    if reference.key is not None:
        dblp = make_source("dblp", use_cache=not no_cache)
        assert isinstance(dblp, DblpSource)
        found = dblp.by_key(reference.key)
        if found is None:
            raise UsageError(f"DBLP has no record {reference.key}", hint=f"check {reference.text}")
        if is_preprint(found):
            raise UsageError(
                f"DBLP lists {reference.key} as a preprint ({found.venue})",
                hint="add it by its arXiv id",
            )
        return found
    assert reference.doi is not None
    for name in ("crossref", "openalex"):
        record = make_source(name, use_cache=not no_cache).by_doi(reference.doi)
        if record is not None:
            return record
    raise UsageError(
        f"no paper has the DOI {reference.doi} (Crossref and OpenAlex do not know it)",
        hint=f"check it at https://doi.org/{reference.doi}",
    )


def _isca_record(reference: Reference, no_cache: bool) -> Record:
    """The paper whose ISCA archive page ``reference`` names, found in OpenAlex by that
    page (either host, http or https); exactly one work with one DOI, or a UsageError."""
    from speechcompress.net.sources import make_source
    from speechcompress.net.sources.openalex import OpenAlexSource
    from speechcompress.resolve import isca_pages

    assert reference.key is not None
    openalex = make_source("openalex", use_cache=not no_cache)
    assert isinstance(openalex, OpenAlexSource)
    found = openalex.by_landing_page(isca_pages(reference.key))
    dois = {(r.doi or "").lower() for r in found}
    if not found:
        raise UsageError(
            f"OpenAlex knows no paper at the ISCA archive page {reference.text}",
            hint="pass the paper's DOI instead (shown on that page)",
        )
    if len(found) > 1 and len(dois) > 1:
        raise UsageError(
            f"OpenAlex has {len(found)} different papers at the ISCA archive page {reference.text}",
            hint="pass the paper's DOI instead (shown on that page)",
        )
    return found[0]


def add_references(
    refs: Sequence[Reference],
    *,
    db: Any,
    paper_id: str | None,
    overrides: dict[str, Any],
    yes: bool,
    dry_run: bool,
    no_cache: bool,
    interactive: bool,
) -> None:
    """Read each reference's record, draft the papers and write them (or show them)."""
    import typer

    from speechcompress.drafting import unique_id
    from speechcompress.duplicates import DuplicateIndex
    from speechcompress.resolve import draft_from_record
    from speechcompress.writer import add_papers, paper_text

    location = where_to_write(db, writing=not dry_run, doing="add to")
    catalog = open_catalog(db)
    records = [_record(r, no_cache) for r in refs]

    def make(current: Catalog) -> list[Paper]:
        taken = {p.id for p in current.papers}
        if paper_id is not None and paper_id in taken:
            raise UsageError(f"--id {paper_id!r} is already used by another paper")
        index = DuplicateIndex(current.papers)
        drafted = []
        for ref, record in zip(refs, records, strict=True):
            pid = paper_id or unique_id(record.title, taken)
            paper = draft_from_record(record, current.vocabulary, paper_id=pid, overrides=overrides)
            duplicate = index.find(paper)
            if duplicate is not None:
                raise DuplicateError(
                    f"{ref.text} is already in the catalog as '{duplicate.existing.id}' "
                    f"(same {duplicate.reason})",
                    hint=f"see `scc show {duplicate.existing.id}`",
                )
            index.add(paper)
            taken.add(pid)
            drafted.append(paper)
        return drafted

    papers = make(catalog)
    if dry_run:
        emit("\n".join(paper_text(p) for p in papers))
        warn(f"would add {len(papers)} paper(s) to {location.path} (dry run, nothing written)")
        return
    if not yes and interactive:
        for paper in papers:
            sys.stderr.write("\n" + paper_text(paper))
        if not typer.confirm(f"\nAdd to {location.path}?", default=True, err=True):
            warn("nothing was written")
            raise typer.Exit(1)
    written: list[Paper] = []

    def plan(current: Catalog) -> list[Paper]:
        written[:] = make(current)
        return written

    add_papers(location.path, plan)
    for paper in written:
        warn(f"added '{paper.id}' ({paper.venue} {paper.year}) to {location.path}")
