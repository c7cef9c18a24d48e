"""Reported results (model, size, benchmark, metric, value) for catalogued papers.

Results live in their own file, ``results.toml`` beside the catalog, keyed by paper id,
rather than under each paper in ``papers.toml``: the catalog is edited by every other
workflow (imports, ``scc add``, refreshes) while numbers are reviewed on their own, a
one-number fix should be a one-line diff in a file that holds nothing else, and the
paper index (built for 100,000-paper catalogs) never needs to read them.

- :mod:`.schema`: the row record and the vocabulary of benchmarks, tasks and metrics
- :mod:`.load`: read and validate a results file; errors carry ``path:line``
- :mod:`.analysis`: filter, rank, Pareto frontier, side-by-side comparison, conflicts

Like the rest of the core, nothing here prints.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The results file's name, beside its catalog.
RESULTS_NAME = "results.toml"


def results_path(catalog: str | os.PathLike[str], results: str | None = None) -> Path:
    """``--results PATH`` if given, else ``results.toml`` beside the catalog file."""
    return Path(results) if results else Path(catalog).parent / RESULTS_NAME
