"""Controlled vocabularies: compression methods and publication venues.

Pure data and lookups, cheap to import: shell completion and filter parsing use them
on every call. Lookups are case-insensitive and accept aliases (``kd`` -> distillation).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

METHODS: dict[str, str] = {
    "pruning": "Removing weights, heads, channels or layers (structured or not).",
    "distillation": "Training a smaller student to mimic a teacher (knowledge distillation).",
    "quantization": "Fewer bits per weight or activation.",
    "low-rank": "Low-rank factorisation or approximation of weight matrices.",
    "architecture-search": "Searching for a smaller architecture (NAS, supernets).",
    "dynamic-inference": "Compute chosen per input at run time (early exit, layer skipping).",
    "parameter-sharing": "Reusing the same weights in several places.",
    "other": "Any other way of making a speech model cheaper.",
}

#: How each method is named in headings (``export --group-by method``).
METHOD_NAMES: dict[str, str] = {
    "pruning": "Pruning",
    "distillation": "Knowledge distillation",
    "quantization": "Quantization",
    "low-rank": "Low-rank factorization",
    "architecture-search": "Architecture search",
    "dynamic-inference": "Dynamic inference",
    "parameter-sharing": "Parameter sharing",
    "other": "Other methods",
}

METHOD_ALIASES: dict[str, str] = {
    "prune": "pruning",
    "sparsity": "pruning",
    "sparse": "pruning",
    "kd": "distillation",
    "distill": "distillation",
    "knowledge-distillation": "distillation",
    "quant": "quantization",
    "quantisation": "quantization",
    "quantize": "quantization",
    "ptq": "quantization",
    "qat": "quantization",
    "lowrank": "low-rank",
    "low-rank-approximation": "low-rank",
    "svd": "low-rank",
    "nas": "architecture-search",
    "early-exit": "dynamic-inference",
    "dynamic": "dynamic-inference",
    "weight-sharing": "parameter-sharing",
    "sharing": "parameter-sharing",
}

VENUE_KINDS = ("conference", "workshop", "journal", "preprint", "report")


@dataclass(frozen=True, slots=True)
class Venue:
    """A publication venue; ``kind`` decides the BibTeX entry type."""

    name: str
    kind: str
    full_name: str = ""
    aliases: tuple[str, ...] = ()


BUILTIN_VENUES: tuple[Venue, ...] = (
    Venue(
        "INTERSPEECH",
        "conference",
        "Annual Conference of the International Speech Communication Association",
        ("isca interspeech",),
    ),
    Venue(
        "ICASSP",
        "conference",
        "IEEE International Conference on Acoustics, Speech and Signal Processing",
    ),
    Venue("SLT", "conference", "IEEE Spoken Language Technology Workshop"),
    Venue("ASRU", "conference", "IEEE Automatic Speech Recognition and Understanding Workshop"),
    Venue("NeurIPS", "conference", "Advances in Neural Information Processing Systems", ("nips",)),
    Venue("ICLR", "conference", "International Conference on Learning Representations"),
    Venue("ICML", "conference", "International Conference on Machine Learning"),
    Venue("ACL", "conference", "Annual Meeting of the Association for Computational Linguistics"),
    Venue("EMNLP", "conference", "Conference on Empirical Methods in Natural Language Processing"),
    Venue(
        "NAACL",
        "conference",
        "Conference of the North American Chapter of the Association for Computational Linguistics",
    ),
    Venue(
        "EACL",
        "conference",
        "Conference of the European Chapter of the Association for Computational Linguistics",
    ),
    Venue("AAAI", "conference", "AAAI Conference on Artificial Intelligence"),
    Venue("IJCAI", "conference", "International Joint Conference on Artificial Intelligence"),
    Venue("IWSLT", "conference", "International Conference on Spoken Language Translation"),
    Venue("EUSIPCO", "conference", "European Signal Processing Conference"),
    Venue(
        "APSIPA",
        "conference",
        "Asia-Pacific Signal and Information Processing Association Annual Summit and Conference",
    ),
    Venue("ICME", "conference", "IEEE International Conference on Multimedia and Expo"),
    Venue("Odyssey", "conference", "The Speaker and Language Recognition Workshop"),
    Venue(
        "TASLP",
        "journal",
        "IEEE/ACM Transactions on Audio, Speech, and Language Processing",
        ("ieee/acm taslp",),
    ),
    Venue("SPL", "journal", "IEEE Signal Processing Letters"),
    Venue("JSTSP", "journal", "IEEE Journal of Selected Topics in Signal Processing"),
    Venue("CSL", "journal", "Computer Speech & Language"),
    Venue("arXiv", "preprint", "arXiv preprint", ("preprint", "arxiv preprint", "corr")),
)


def _key(value: str) -> str:
    return " ".join(value.replace("_", "-").split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """The venues and methods one catalog accepts (built-ins plus the catalog's own venues)."""

    venues: tuple[Venue, ...] = BUILTIN_VENUES
    _venue_index: dict[str, Venue] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Venue] = {}
        for venue in self.venues:
            for name in (venue.name, *venue.aliases):
                index.setdefault(_key(name), venue)
        object.__setattr__(self, "_venue_index", index)

    @classmethod
    def with_extra_venues(cls, extra: Iterable[Venue]) -> Vocabulary:
        extra = tuple(extra)
        names = {_key(v.name) for v in extra}
        return cls(tuple(extra) + tuple(v for v in BUILTIN_VENUES if _key(v.name) not in names))

    def venue(self, value: str) -> Venue | None:
        """The venue a name or alias stands for, or None."""
        return self._venue_index.get(_key(value))

    def venue_names(self) -> list[str]:
        return [v.name for v in self.venues]

    @staticmethod
    def method(value: str) -> str | None:
        """The canonical method a name or alias stands for, or None."""
        return _method(value)


@functools.lru_cache(maxsize=1024)  # a catalog names a few methods thousands of times
def _method(value: str) -> str | None:
    key = _key(value).replace(" ", "-")
    if key in METHODS:
        return key
    return METHOD_ALIASES.get(key)


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """The closest choice to a mistyped value, for a "did you mean" hint."""
    import difflib

    by_key: Mapping[str, str] = {_key(c): c for c in choices}
    match = difflib.get_close_matches(_key(value), list(by_key), n=1, cutoff=0.6)
    return by_key[match[0]] if match else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` with :func:`suggest`'s guess, or ``""`` without one: the
    tail of an "unknown ..." message."""
    guess = suggest(value, choices)
    return f"; did you mean {guess!r}?" if guess else ""
