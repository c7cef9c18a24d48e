"""Compare catalog papers with their arXiv entries: what changed upstream, and what to update.

Safe updates (applied by ``scc refresh --write``) are the ones a preprint earns when it is
published: the venue (and that venue's year) read from arXiv's journal ref or comment,
and a DOI where the catalog has none. Everything else (a new version, a changed title,
a withdrawal, a DOI or venue that disagrees with the catalog) is reported for a person
to judge.

A paper's versions are not in the catalog, so the version last seen for each arXiv id is
kept in the cache folder; "new version" means newer than that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechcompress.paper import Paper
from speechcompress.text import normalized_title
from speechcompress.venue_infer import infer_venue
from speechcompress.vocab import Vocabulary

if TYPE_CHECKING:
    from speechcompress.arxiv import ArxivEntry

#: Kinds of change, in report order.
KINDS = ("missing", "withdrawn", "venue", "doi", "journal_ref", "version", "title")


@dataclass(frozen=True)
class Change:
    """One difference between a catalog paper and its arXiv entry."""

    paper_id: str
    arxiv: str
    #: One of :data:`KINDS`.
    kind: str
    #: One line for a person.
    detail: str
    old: Any = None
    new: Any = None
    #: Fields ``--write`` sets (empty: report only).
    updates: Mapping[str, Any] = field(default_factory=dict)

    @property
    def safe(self) -> bool:
        return bool(self.updates)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.paper_id,
            "arxiv": self.arxiv,
            "kind": self.kind,
            "detail": self.detail,
            "old": self.old,
            "new": self.new,
            "safe": self.safe,
            "updates": dict(self.updates),
        }


class SeenVersions:
    """The arXiv version last seen per id: one small file each, so writers never collide."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, arxiv_id: str) -> Path | None:
        return self.folder / arxiv_id.replace("/", "_") if self.folder else None

    def get(self, arxiv_id: str) -> int | None:
        from speechcompress.fs import read_private

        path = self._file(arxiv_id)
        data = read_private(path) if path else None
        text = (data or b"").strip()
        # A version is a small number; anything else is a damaged file, read as unseen.
        return int(text) if text.isdigit() and len(text) <= 6 else None

    def record(self, arxiv_id: str, version: int) -> None:
        """Remember ``version``; a link planted in the cache is replaced, never followed."""
        from speechcompress.fs import write_private

        path = self._file(arxiv_id)
        if path is not None:
            write_private(path, f"{version}\n")


def seen_versions() -> SeenVersions:
    """The record kept in scc's cache folder."""
    from speechcompress.fs import cache_dir

    return SeenVersions(cache_dir() / "arxiv" / "versions")


def _is_preprint(paper: Paper, vocabulary: Vocabulary) -> bool:
    venue = vocabulary.venue(paper.venue)
    return venue is None or venue.kind == "preprint"


def compare_paper(
    paper: Paper,
    entry: ArxivEntry | None,
    vocabulary: Vocabulary,
    seen_version: int | None = None,
) -> list[Change]:
    """What arXiv says that the catalog does not, for one paper with an arXiv id."""
    assert paper.arxiv is not None
    pid, aid = paper.id, paper.arxiv
    if entry is None:
        return [Change(pid, aid, "missing", f"arXiv has no entry for {aid}")]
    changes: list[Change] = []
    if entry.withdrawn:
        changes.append(
            Change(
                pid,
                aid,
                "withdrawn",
                f"withdrawn on arXiv (v{entry.version}, {entry.updated}): "
                f"{entry.comment or entry.abstract[:80]}",
            )
        )

    guess = infer_venue(entry.journal_ref, entry.comment, vocabulary, first_version_year=entry.year)
    if guess and _is_preprint(paper, vocabulary):
        updates: dict[str, Any] = {"venue": guess.venue}
        if guess.year and guess.year != paper.year:
            updates["year"] = guess.year
        changes.append(
            Change(
                pid,
                aid,
                "venue",
                f"published: {guess.describe()}",
                paper.venue,
                guess.venue,
                updates,
            )
        )
    elif guess and guess.venue != paper.venue:
        changes.append(
            Change(
                pid,
                aid,
                "venue",
                f"arXiv names {guess.describe()}; the catalog has {paper.venue}",
                paper.venue,
                guess.venue,
            )
        )
    elif guess is None and entry.journal_ref and _is_preprint(paper, vocabulary):
        changes.append(
            Change(
                pid,
                aid,
                "journal_ref",
                f"published as {entry.journal_ref!r}, not a known venue: set it by "
                "hand or add it under [catalog.venues]",
                None,
                entry.journal_ref,
            )
        )

    if entry.doi and not paper.doi:
        changes.append(
            Change(
                pid,
                aid,
                "doi",
                f"DOI {entry.doi} (listed on arXiv)",
                None,
                entry.doi,
                {"doi": entry.doi},
            )
        )
    elif entry.doi and paper.doi and entry.doi.casefold() != paper.doi.casefold():
        changes.append(
            Change(
                pid,
                aid,
                "doi",
                f"arXiv lists DOI {entry.doi}; the catalog has {paper.doi}",
                paper.doi,
                entry.doi,
            )
        )

    if seen_version is not None and entry.version > seen_version:
        changes.append(
            Change(
                pid,
                aid,
                "version",
                f"new version v{entry.version} ({entry.updated}); last seen v{seen_version}",
                seen_version,
                entry.version,
            )
        )
    if normalized_title(entry.title) != normalized_title(paper.title):
        changes.append(
            Change(pid, aid, "title", f"title on arXiv: {entry.title!r}", paper.title, entry.title)
        )
    return changes


def compare_papers(
    papers: Iterable[Paper],
    entries: Mapping[str, ArxivEntry],
    vocabulary: Vocabulary,
    seen: SeenVersions | None = None,
) -> list[Change]:
    """Every change for ``papers`` (those without an arXiv id are skipped), in paper order.

    A version seen for the first time is recorded as the baseline; a newer one is reported
    until :func:`write_updates` acknowledges it.
    """
    changes: list[Change] = []
    for paper in papers:
        if not paper.arxiv:
            continue
        entry = entries.get(paper.arxiv)
        last = seen.get(paper.arxiv) if seen else None
        if seen and entry and last is None:
            seen.record(paper.arxiv, entry.version)
        found = compare_paper(paper, entry, vocabulary, last)
        changes.extend(sorted(found, key=lambda c: KINDS.index(c.kind)))
    return changes


def pending_updates(changes: Sequence[Change]) -> dict[str, dict[str, Any]]:
    """The safe updates, merged per paper id (in report order)."""
    merged: dict[str, dict[str, Any]] = {}
    for change in changes:
        if change.updates:
            merged.setdefault(change.paper_id, {}).update(change.updates)
    return merged


def write_updates(
    path: Path,
    changes: Sequence[Change],
    entries: Mapping[str, ArxivEntry] | None = None,
    seen: SeenVersions | None = None,
) -> Iterator[str]:
    """Write the safe updates into the catalog at ``path``, yielding each id once written.

    Each paper is one locked, validated, atomic, comment-preserving write, so when one
    fails the ids already yielded are in the file and the rest are not. Versions in
    ``entries`` are recorded in ``seen`` as acknowledged once every write succeeded.
    """
    from speechcompress.writer import update_paper_fields

    for paper_id, fields in pending_updates(changes).items():
        update_paper_fields(path, paper_id, fields)
        yield paper_id
    if seen is not None and entries:
        for change in changes:
            entry = entries.get(change.arxiv)
            if change.kind == "version" and entry is not None:
                seen.record(change.arxiv, entry.version)
