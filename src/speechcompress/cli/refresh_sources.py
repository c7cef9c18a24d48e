"""The bibliographic-source half of ``scc refresh`` (the arXiv half is in cmd_arxiv)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from speechcompress.paper import Catalog, Paper
    from speechcompress.published_lookup import Findings


def lookup(
    catalog: Catalog,
    papers: Sequence[Paper],
    names: Sequence[str],
    *,
    no_cache: bool,
    every_paper: bool = False,
) -> Findings | None:
    """What the chosen sources (other than arXiv) propose for ``papers``; None if none.

    Papers with a venue, a DOI and an official page are skipped unless ``every_paper``
    (papers named on the command line are always asked about).
    """
    from speechcompress.published_lookup import find_published, make_sources

    sources = make_sources(names, use_cache=not no_cache)
    if not sources:
        return None
    return find_published(
        papers, sources, catalog.vocabulary, catalog.official_hosts, every_paper=every_paper
    )


def write(
    path: Path,
    findings: Findings,
    *,
    overwrite: bool,
    already: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """Write the writable proposals, leaving alone the fields arXiv's updates just set."""
    from speechcompress.published_lookup import write_proposals

    chosen = [p for p in findings.proposals if p.field not in already.get(p.paper_id, {})]
    return list(write_proposals(path, chosen, overwrite))


def table(findings: Findings, *, overwrite: bool, written: Sequence[str] | None) -> str:
    from speechcompress.render.proposals import render_proposals

    return render_proposals(
        findings.proposals, len(findings.checked), overwrite=overwrite, written=written
    )


def data(findings: Findings, names: Sequence[str], *, overwrite: bool) -> dict[str, Any]:
    from speechcompress.render.proposals import proposals_data

    out = proposals_data(findings.proposals, findings.checked, names)
    out["pending"] = len(findings.pending(overwrite))
    out["rejected"] = [
        {"id": pid, "source": r.record.source, "title": r.record.title, "reason": r.reason}
        for pid, r in findings.rejected
    ]
    return out
