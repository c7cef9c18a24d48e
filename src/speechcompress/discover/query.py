"""The arXiv search query ``scc discover`` sends, built from the catalog itself."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from speechcompress.errors import UsageError
from speechcompress.paper import Paper

#: Where speech-model papers are listed (arXiv's audio and language categories).
CATEGORIES = ("eess.AS", "cs.SD", "cs.CL")
#: One search phrase per compression method of the catalog's vocabulary.
METHOD_PHRASES = {
    "pruning": ("pruning", "sparsity"),
    "distillation": ("distillation",),
    "quantization": ("quantization",),
    "low-rank": ('"low-rank"',),
    "architecture-search": ('"architecture search"',),
    "dynamic-inference": ('"early exit"', '"layer skipping"'),
    "parameter-sharing": ('"weight sharing"', '"parameter sharing"'),
    "other": ("compression", '"token merging"'),
}
#: How many of the catalog's model names go into the query (the most used first).
MAX_MODELS = 8
#: With a model name, one of these makes a result worth ranking (SEW, token merging...).
EFFICIENCY_PHRASES = ("efficient", "lightweight", "compress", "faster", "smaller", "speedup")


@dataclass(frozen=True)
class DateWindow:
    """Submission dates, both ends included; None is open."""

    since: dt.date | None = None
    until: dt.date | None = None

    def clause(self, today: dt.date | None = None) -> str | None:
        if self.since is None and self.until is None:
            return None
        low = (self.since or dt.date(1991, 1, 1)).strftime("%Y%m%d")
        high = (self.until or today or dt.date.today()).strftime("%Y%m%d")
        return f"submittedDate:[{low}0000 TO {high}2359]"


def parse_day(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a :class:`UsageError` naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2025-01-31"
        ) from None


def date_window(since: str | None, until: str | None) -> DateWindow:
    window = DateWindow(parse_day(since, "--since"), parse_day(until, "--until"))
    if window.since and window.until and window.since > window.until:
        raise UsageError(f"--since {window.since} is after --until {window.until}")
    return window


def catalog_models(papers: Sequence[Paper]) -> list[str]:
    """The catalog's model names, most used first."""
    counts = Counter(m for p in papers for m in p.models)
    return [m for m, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def search_query(
    papers: Sequence[Paper], window: DateWindow = DateWindow(), *, today: dt.date | None = None
) -> str:
    """``(categories) AND (methods OR (models AND efficiency)) [AND submittedDate:[...]]``.

    The methods are those the catalog uses; the models its most used ones, so a catalog
    of Whisper papers searches for Whisper papers that say they are efficient. A model
    name alone would flood the results (every new Transformer paper), and the newest
    results are the ones kept. Wide on purpose otherwise: the ranking sorts it out.
    """
    used = {m for p in papers for m in p.methods} or set(METHOD_PHRASES)
    terms: list[str] = []
    for method, phrases in METHOD_PHRASES.items():
        if method in used:
            terms.extend(f"abs:{p}" for p in phrases)
    names = []
    for model in catalog_models(papers)[:MAX_MODELS]:
        name = model.replace('"', "")
        names.append(f'abs:"{name}"' if " " in name else f"abs:{name}")
    if names:
        efficiency = " OR ".join(f"abs:{p}" for p in EFFICIENCY_PHRASES)
        terms.append(f"(({' OR '.join(names)}) AND ({efficiency}))")
    cats = " OR ".join(f"cat:{c}" for c in CATEGORIES)
    query = f"({cats}) AND ({' OR '.join(terms)})"
    clause = window.clause(today)
    return f"{query} AND {clause}" if clause else query
