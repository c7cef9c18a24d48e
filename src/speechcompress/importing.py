"""Turn what an importer read into validated papers for a catalog.

Decides ids, resolves venues, validates every paper, and sets duplicates aside
(same arXiv id, DOI or normalized title as a paper already in the catalog or earlier
in the same import). Pure: writing is :mod:`speechcompress.writer`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from speechcompress.drafting import unique_id
from speechcompress.duplicates import Duplicate, DuplicateIndex
from speechcompress.importers import LineProblem, Parsed
from speechcompress.importers.venues import JOURNALS, guess_kind
from speechcompress.paper import Catalog, Paper
from speechcompress.vocab import Venue, Vocabulary, suggest


@dataclass
class ImportPlan:
    added: list[Paper] = field(default_factory=list)
    skipped: list[Duplicate] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    #: Venues the import needs that the catalog does not know yet (new catalogs only).
    new_venues: list[Venue] = field(default_factory=list)
    #: Things worth a warning that do not stop the import (each new venue, with its line).
    notices: list[LineProblem] = field(default_factory=list)
    #: The list's format (a Markdown list not in the seed's format), papers named by id.
    style: dict[str, str] = field(default_factory=dict)


def merge_versions(first: Paper, second: Paper, vocab: Vocabulary) -> Paper | None:
    """One paper from a preprint and its published version (either order), or None when
    they are not that pair. The published version's venue, key and details win; the
    preprint gives its arXiv id and whatever the other lacks."""
    import dataclasses

    def preprint(p: Paper) -> bool:
        venue = vocab.venue(p.venue)
        return venue is not None and venue.kind == "preprint"

    if preprint(first) == preprint(second):
        return None
    published, early = (second, first) if preprint(first) else (first, second)
    if published.arxiv and early.arxiv and published.arxiv != early.arxiv:
        return None
    changes = {
        f.name: getattr(early, f.name)
        for f in dataclasses.fields(published)
        if f.name not in ("id", "line", "key", "entry_type", "venue_name", "publisher")
        and getattr(published, f.name) in (None, ())
        and getattr(early, f.name) not in (None, ())
    }
    return dataclasses.replace(published, id=first.id, **changes)


def plan_import(parsed: Parsed, catalog: Catalog | None) -> ImportPlan:
    """Validate ``parsed`` against ``catalog`` (None: a new catalog, which may declare venues)."""
    from pydantic import ValidationError

    from speechcompress.models import validate_paper

    plan = ImportPlan(problems=list(parsed.problems))
    existing = catalog.papers if catalog else ()
    vocab = catalog.vocabulary if catalog else Vocabulary()
    taken = {p.id for p in existing}
    index = DuplicateIndex(existing)
    line_ids: dict[int, str] = {}  # source line -> the id of the paper it became
    for line, raw in parsed.papers:
        venue_label = str(raw.get("venue", "arXiv"))
        if vocab.venue(venue_label) is None:
            if catalog is not None:
                plan.problems.append(
                    LineProblem(
                        line,
                        f"unknown venue {venue_label!r}: declare it under [catalog.venues] first",
                    )
                )
                continue
            # A hand-written list may use any venue, but a typo (INTERSPEACH) would
            # silently become one: say so, with the closest known name.
            close = suggest(venue_label, vocab.venue_names())
            kind = parsed.venue_kinds.get(venue_label) or guess_kind(venue_label)
            plan.notices.append(
                LineProblem(
                    line,
                    f"new venue {venue_label!r} declared as a{'n' if kind[0] in 'aeiou' else ''}"
                    f" {kind}" + (f" (did you mean {close!r}?)" if close else ""),
                )
            )
            plan.new_venues.append(Venue(venue_label, kind, JOURNALS.get(venue_label, "")))
            vocab = Vocabulary.with_extra_venues([*plan.new_venues])
        raw = {"id": unique_id(str(raw.get("title", "")), taken), **raw}
        try:
            paper = validate_paper(raw, vocab, line)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                plan.problems.append(
                    LineProblem(line, f"{where}: {err['msg'].removeprefix('Value error, ')}")
                )
            continue
        duplicate = index.find(paper)
        if duplicate and duplicate.existing in plan.added:
            merged = merge_versions(duplicate.existing, paper, vocab)
            if merged is not None:
                # The preprint and the published version of one paper: one entry.
                plan.added[plan.added.index(duplicate.existing)] = merged
                index.add(merged)
                plan.notices.append(
                    LineProblem(line, f"merged with {duplicate.existing.id!r}: {duplicate.reason}")
                )
                line_ids[line] = merged.id
                continue
        if duplicate:
            plan.skipped.append(duplicate)
            # Listed twice (under two topics, say): one paper, shown in both places.
            line_ids[line] = duplicate.existing.id
            continue
        index.add(paper)
        taken.add(paper.id)
        plan.added.append(paper)
        line_ids[line] = paper.id
    plan.problems.sort(key=lambda p: p.line)
    if parsed.style:
        from speechcompress.render.markdown import resolve_block_lines

        document = resolve_block_lines(parsed.style["document"], line_ids)
        plan.style = {**parsed.style, "document": document}
    return plan
