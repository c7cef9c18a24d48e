"""The results schema: one record per reported number, and the names it may use.

A row's numbers are kept as the strings printed in the source ("96.30", "0.0693",
"6.541e+11"): a TOML float would drop trailing zeros, and no number is ever rounded or
converted. :attr:`Result.number` gives the exact :class:`~decimal.Decimal` to compute with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: A number as printed: digits, an optional fraction and exponent, no sign or grouping.
NUMBER = re.compile(r"^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
#: Parameters in millions: one printed number, or parts added up ("124+6.2" backbone+head).
PARAMS = re.compile(r"^\d+(?:\.\d+)?(?:\+\d+(?:\.\d+)?)*$")

ROLES = ("compressed", "teacher", "reference")
QUALIFIERS = ("over", "more than", "up to", "less than")

SUPERB_TASKS = ("PR", "KS", "IC", "SID", "ER", "ASR", "QbE", "SF", "ASV", "SD", "overall")
#: Built-in names; a results file adds its own under ``[vocabulary]``.
BENCHMARKS = ("SUPERB", "LibriSpeech", "Common Voice", "VoxCeleb1", "efficiency")
TASKS = (
    *SUPERB_TASKS,
    "test-clean",
    "test-other",
    "dev-clean",
    "dev-other",
    "Vox1-O",
    "Vox1-E",
    "Vox1-H",
)
METRICS = (
    "WER",
    "CER",
    "PER",
    "EER",
    "DER",
    "Acc",
    "F1",
    "MTWV",
    "overall score",
    "MACs",
    "FLOPs",
)
UNITS = ("%", "x", "G", "KB", "MB")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The benchmarks, tasks, metrics and units a results file may name."""

    benchmarks: tuple[str, ...] = BENCHMARKS
    tasks: tuple[str, ...] = TASKS
    metrics: tuple[str, ...] = METRICS
    units: tuple[str, ...] = UNITS

    def extended(self, extra: Mapping[str, Iterable[str]]) -> Vocabulary:
        """This vocabulary plus a file's ``[vocabulary]`` lists."""

        def plus(base: tuple[str, ...], more: Iterable[str]) -> tuple[str, ...]:
            return base + tuple(m for m in more if m not in base)

        return Vocabulary(
            plus(self.benchmarks, extra.get("benchmarks", ())),
            plus(self.tasks, extra.get("tasks", ())),
            plus(self.metrics, extra.get("metrics", ())),
            plus(self.units, extra.get("units", ())),
        )


@dataclass(frozen=True, slots=True)
class Result:
    """One number a paper reports (or a model's size alone, when no metric is given)."""

    #: The catalog id of the paper the result belongs to.
    paper: str
    #: The model as the source names it, variant included: "DPHuBERT (960h)".
    model: str
    #: The source's URL, pinned to a commit where it is a repository file.
    source: str
    #: Where in the source: a table, figure or passage.
    where: str
    #: "compressed", or "teacher"/"reference" for an uncompressed baseline row.
    role: str = "compressed"
    #: The model it was compressed from, when the source says.
    teacher: str | None = None
    #: Parameters in millions as printed; "124+6.2" for parts added up.
    params: str | None = None
    benchmark: str | None = None
    #: The task or test set: "ASR", "test-other", "Vox1-O".
    task: str | None = None
    metric: str | None = None
    #: The value as printed, digits only ("96.30"); its unit and qualifier apart.
    value: str | None = None
    unit: str | None = None
    #: "over", "up to", ... when the source gives a bound rather than a value.
    qualifier: str | None = None
    #: None when the source does not say which way is better.
    lower_is_better: bool | None = None
    #: Reprinted in another paper's table rather than read from the paper's own.
    secondary: bool = False
    #: Our note on this row, and on the source it came from.
    note: str | None = None
    source_note: str | None = None
    #: The row's line in the results file (0 when unknown).
    line: int = field(default=0, compare=False)

    @property
    def number(self) -> Decimal | None:
        """The value, exactly; None when there is none."""
        return None if self.value is None else Decimal(self.value)

    @property
    def params_millions(self) -> Decimal | None:
        """Parameters in millions, parts added up exactly."""
        if self.params is None:
            return None
        return sum((Decimal(p) for p in self.params.split("+")), Decimal(0))

    @property
    def printed(self) -> str:
        """The value as a reader sees it: "over 21%", "0.0693", "6.31G"; "" for none."""
        if self.value is None:
            return ""
        head = f"{self.qualifier} " if self.qualifier else ""
        return f"{head}{self.value}{self.unit or ''}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two values comparable: benchmark, task, metric and unit."""
        return (self.benchmark or "", self.task or "", self.metric or "", self.unit or "")

    @property
    def is_baseline(self) -> bool:
        return self.role != "compressed"

    def to_dict(self) -> dict[str, Any]:
        """Stable field names in :data:`RESULT_FIELDS` order; values stay printed strings."""
        return {name: getattr(self, name) for name in RESULT_FIELDS}


#: The fields of JSON and CSV output, in order: what a row is, then where it is from.
RESULT_FIELDS = (
    "paper",
    "model",
    "role",
    "teacher",
    "params",
    "benchmark",
    "task",
    "metric",
    "value",
    "unit",
    "qualifier",
    "lower_is_better",
    "source",
    "where",
    "secondary",
    "note",
    "source_note",
)


@dataclass(frozen=True, slots=True)
class ResultSet:
    """A validated results file."""

    results: tuple[Result, ...]
    vocabulary: Vocabulary = Vocabulary()
    path: str | None = None
