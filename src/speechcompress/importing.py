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


def plan_import(parsed: Parsed, catalog: Catalog | None) -> ImportPlan:
    """Validate ``parsed`` against ``catalog`` (None: a new catalog, which may declare venues)."""
    from pydantic import ValidationError

    from speechcompress.models import validate_paper

    plan = ImportPlan(problems=list(parsed.problems))
    existing = catalog.papers if catalog else ()
    vocab = catalog.vocabulary if catalog else Vocabulary()
    taken = {p.id for p in existing}
    index = DuplicateIndex(existing)
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
            plan.notices.append(
                LineProblem(
                    line,
                    f"new venue {venue_label!r} declared as a conference"
                    + (f" (did you mean {close!r}?)" if close else ""),
                )
            )
            plan.new_venues.append(Venue(venue_label, "conference"))
            vocab = Vocabulary.with_extra_venues([*plan.new_venues])
        raw = {"id": unique_id(str(raw.get("title", "")), taken), **raw}
        try:
            paper = validate_paper(raw, vocab, 0)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                plan.problems.append(
                    LineProblem(line, f"{where}: {err['msg'].removeprefix('Value error, ')}")
                )
            continue
        duplicate = index.find(paper)
        if duplicate:
            plan.skipped.append(duplicate)
            continue
        index.add(paper)
        taken.add(paper.id)
        plan.added.append(paper)
    plan.problems.sort(key=lambda p: p.line)
    return plan
