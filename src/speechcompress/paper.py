"""The in-memory records every command works on, and the one definition of a paper's fields.

:class:`Paper` declares each field once, with what the rest of scc needs to know about it
(:class:`FieldSpec`: its kind, length limits, whether it is a long text kept apart from
listings, its documentation and fix hint). Everything else is derived from that
declaration: the Pydantic schema (``models.py``), the index's columns and row codecs
(``index_build.py``/``index_query.py``), the JSON and CSV records, and the checks' hints.
Adding an optional field is one line here (plus its tests).

Pydantic (``models.py``) validates a catalog at the edge; what it accepts becomes these
records. Keeping them free of pydantic is what lets a warm start skip importing it
(~65 ms, most of the start-up budget).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, dataclass_transform

from speechcompress.vocab import Venue, Vocabulary

_T = TypeVar("_T")

#: The sane range of publication years.
MIN_YEAR, MAX_YEAR = 1950, 2100

Kind = Literal["text", "int", "date", "list"]
#: Extra validation by format: a slug, an http(s) URL, an arXiv id, a DOI, a venue name or
#: alias, a list of compression methods.
Rule = Literal["slug", "url", "arxiv", "doi", "venue", "methods"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What scc knows about one field of a paper."""

    name: str
    kind: Kind
    #: Documentation, shown in the schema.
    doc: str
    required: bool = False
    rule: Rule | None = None
    #: Most characters of a text (of each item, for a list).
    max_length: int = 0
    #: Most items of a list.
    max_items: int = 0
    #: A text that may hold line breaks and tabs (no other control character).
    multiline: bool = False
    #: A long text kept apart from listings: the index stores it in another table.
    heavy: bool = False
    #: How to fix the field, shown by ``scc check``.
    hint: str = ""
    #: Range of an int.
    low: int | None = None
    high: int | None = None


def spec(kind: Kind, doc: str, *, default: Any = dataclasses.MISSING, **options: Any) -> Any:
    """A dataclass field of :class:`Paper` described by a :class:`FieldSpec`.

    A field without ``default`` is required; the others are keyword-only. (The type checker
    takes every field as keyword-only; at run time the required ones may be positional.)
    """
    meta = {"spec": (kind, doc, {**options, "required": default is dataclasses.MISSING})}
    if default is dataclasses.MISSING:
        return field(metadata=meta)
    return field(default=default, kw_only=True, metadata=meta)


@dataclass_transform(frozen_default=True, field_specifiers=(field, spec))
def record(cls: type[_T]) -> type[_T]:
    """A slotted dataclass that is read-only at run time and cheap to build.

    ``frozen=True`` sets every field through ``object.__setattr__`` (1.15 us a Paper
    here, against 0.26 us for a plain slotted one), and a search that prints 20,000
    papers builds 20,000. So ``__init__`` is generated to store each field through its
    slot's own setter (0.68 us), and ``__setattr__``/``__delattr__`` refuse: a record is
    hashable because it never changes, so one put in a set never silently drops out.
    """
    # No dataclass __init__: the one below replaces it (generating both cost ~0.3 ms of
    # every start-up).
    made: Any = dataclass(slots=True, unsafe_hash=True, init=False)(cls)
    fields = dataclasses.fields(made)
    namespace: dict[str, Any] = {}
    positional: list[str] = []
    keyword: list[str] = []
    for i, f in enumerate(fields):
        namespace[f"_set{i}"] = made.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default{i}"] = f.default
            param = f"{f.name}=_default{i}"
        else:
            param = f.name
        (keyword if f.kw_only else positional).append(param)
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    body = "".join(f"    _set{i}(self, {f.name})\n" for i, f in enumerate(fields))
    exec(f"def __init__({params}) -> None:\n{body}", namespace)  # as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{made.__qualname__}.__init__"
    made.__init__ = init
    made.__setattr__ = _read_only
    made.__delattr__ = _read_only
    setters = [made.__dict__[f.name].__set__ for f in fields]

    def __setstate__(self: Any, state: list[Any]) -> None:  # pickle and copy
        for setter, value in zip(setters, state, strict=True):
            setter(self, value)

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, f.name) for f in fields]

    made.__getstate__ = __getstate__
    made.__setstate__ = __setstate__
    return made  # type: ignore[no-any-return]


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field, spec))
def fields_record(cls: type[_T]) -> type[_T]:
    """A :func:`record` whose fields the type checker takes as keyword-only: declared in
    their output order, required ones may follow optional ones."""
    return record(cls)


def _read_only(self: object, name: str, *_: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


@fields_record
class Paper:
    """One paper of the catalog, validated. Read-only; build a changed copy with
    :func:`dataclasses.replace`."""

    id: str = spec(
        "text",
        "Stable unique slug, e.g. 'dphubert'.",
        rule="slug",
        max_length=100,
        hint="ids are unique lower-case slugs: letters, digits, '-', '.', '_'",
    )
    title: str = spec(
        "text",
        "The paper's title, one line.",
        max_length=1_000,
        hint="the title on one line, as the paper prints it",
    )
    authors: tuple[str, ...] = spec(
        "list",
        "Authors in order.",
        default=(),
        max_length=300,
        max_items=1_000,
        hint='a list of names: authors = ["First Last", ...]',
    )
    year: int = spec(
        "int",
        "Publication year (venue year).",
        low=MIN_YEAR,
        high=MAX_YEAR,
        hint="the year of the venue, a number like 2023",
    )
    venue: str = spec(
        "text",
        "Canonical venue name or alias; 'arXiv' for preprints.",
        rule="venue",
        max_length=200,
        hint="a built-in venue (see `scc stats`) or one declared under [catalog.venues]",
    )
    venue_url: str | None = spec(
        "text",
        "The paper's page at the venue.",
        default=None,
        rule="url",
        max_length=2_000,
        hint='a full link: venue_url = "https://..."',
    )
    arxiv: str | None = spec(
        "text",
        "arXiv id without version.",
        default=None,
        rule="arxiv",
        max_length=50,
        hint='the bare id without version or URL: arxiv = "2305.17651"',
    )
    doi: str | None = spec(
        "text",
        "Publisher DOI, e.g. 10.21437/...",
        default=None,
        rule="doi",
        max_length=300,
        hint='the bare DOI: doi = "10.21437/Interspeech.2023-1213"',
    )
    code: str | None = spec(
        "text",
        "URL of the code.",
        default=None,
        rule="url",
        max_length=2_000,
        hint='a full link: code = "https://github.com/..."',
    )
    methods: tuple[str, ...] = spec(
        "list",
        "Compression methods.",
        default=(),
        rule="methods",
        max_length=100,
        max_items=50,
        hint="pruning, distillation, quantization, low-rank, architecture-search, "
        "dynamic-inference, parameter-sharing or other",
    )
    models: tuple[str, ...] = spec(
        "list",
        "Models compressed or teachers.",
        default=(),
        max_length=200,
        max_items=200,
        hint='a list of names: models = ["HuBERT", ...]',
    )
    summary: str | None = spec(
        "text",
        "One sentence in our own words.",
        default=None,
        max_length=2_000,
        heavy=True,
    )
    published: dt.date | None = spec(
        "date",
        "First arXiv version's date.",
        default=None,
        hint="a TOML date: published = 2023-05-28",
    )
    added: dt.date | None = spec(
        "date",
        "The day the paper entered the catalog; set by every write that adds one.",
        default=None,
        hint="a TOML date: added = 2026-11-30",
    )
    abstract: str | None = spec(
        "text",
        "The abstract.",
        default=None,
        max_length=20_000,
        multiline=True,
        heavy=True,
    )
    key: str | None = spec(
        "text",
        "Citation key, kept in BibTeX exports.",
        default=None,
        max_length=200,
        hint='a BibTeX key without spaces, commas or braces: key = "peng2023dphubert"',
    )
    entry_type: str | None = spec(
        "text",
        "BibTeX entry type when not the venue's (book, phdthesis...).",
        default=None,
        max_length=50,
        hint='a BibTeX type: entry_type = "incollection"',
    )
    venue_name: str | None = spec(
        "text",
        "The venue as the source names it (BibTeX journal/booktitle).",
        default=None,
        max_length=1_000,
    )
    volume: str | None = spec("text", "Volume.", default=None, max_length=100)
    number: str | None = spec("text", "Issue or report number.", default=None, max_length=100)
    pages: str | None = spec("text", "Pages, e.g. 1-12.", default=None, max_length=100)
    month: str | None = spec("text", "Month of publication.", default=None, max_length=50)
    publisher: str | None = spec("text", "Publisher.", default=None, max_length=500)
    address: str | None = spec(
        "text", "Publisher's or venue's place.", default=None, max_length=500
    )
    editor: str | None = spec(
        "text", "Editors, as BibTeX writes them.", default=None, max_length=2_000
    )
    edition: str | None = spec("text", "Edition of a book.", default=None, max_length=100)
    series: str | None = spec(
        "text", "Series of a book or proceedings.", default=None, max_length=500
    )
    institution: str | None = spec(
        "text", "School or institution (theses, reports).", default=None, max_length=500
    )
    isbn: str | None = spec("text", "ISBN.", default=None, max_length=100)
    note: str | None = spec(
        "text", "A note printed with the reference.", default=None, max_length=2_000
    )
    tags: tuple[str, ...] = spec(
        "list",
        "Free-form tags (an imported list's tags).",
        default=(),
        max_length=100,
        max_items=100,
        hint='a list of words: tags = ["bnn", "llm"]',
    )
    section: str | None = spec(
        "text", "The topic section a list files the paper under.", default=None, max_length=300
    )
    list_line: str | None = spec(
        "text",
        "The paper's line in the list it came from, {title}-style placeholders for its fields.",
        default=None,
        max_length=5_000,
    )
    #: 1-based line of the paper's ``[[papers]]`` header in its file (0 when unknown).
    line: int = field(default=0, compare=False, kw_only=True)

    @property
    def arxiv_url(self) -> str | None:
        """The paper's arXiv page, if it has an arXiv id."""
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        """The DOI resolver's link, if the paper has a DOI."""
        return f"https://doi.org/{self.doi}" if self.doi else None

    def links(self) -> list[tuple[str, str]]:
        """(label, URL) of each link the paper has: venue page, arXiv, DOI, code, in that order."""
        pairs = [
            (self.venue, self.venue_url),
            ("arXiv", self.arxiv_url),
            ("DOI", self.doi_url),
            ("code", self.code),
        ]
        return [(label, url) for label, url in pairs if url]

    def to_dict(self) -> dict[str, Any]:
        """The record with stable field names, JSON-ready (lists as lists, dates as ISO)."""
        data: dict[str, Any] = {}
        for f in FIELDS:
            value = getattr(self, f.name)
            if f.kind == "list":
                value = list(value)
            elif f.kind == "date" and value is not None:
                value = value.isoformat()
            data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], line: int = 0) -> Paper:
        """Rebuild a record written by :meth:`to_dict` (already validated)."""
        values: dict[str, Any] = {}
        for f in FIELDS:
            value = data.get(f.name)
            if f.kind == "list":
                value = tuple(value or ())
            elif f.kind == "date" and value:
                value = dt.date.fromisoformat(value)
            if value is not None or not f.required:
                values[f.name] = value
        return cls(**values, line=line)


def _field_specs(cls: type) -> tuple[FieldSpec, ...]:
    specs = []
    for f in dataclasses.fields(cls):
        if "spec" in f.metadata:
            kind, doc, options = f.metadata["spec"]
            specs.append(FieldSpec(f.name, kind, doc, **options))
    return tuple(specs)


#: The fields of a paper, in the order they are written to TOML, JSON and CSV.
FIELDS: tuple[FieldSpec, ...] = _field_specs(Paper)
PAPER_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: The fields by name.
FIELD: dict[str, FieldSpec] = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Catalog:
    """A whole catalog: its header table, its extra venues and its papers in file order.

    Returned by :func:`speechcompress.load_catalog`; read-only. ``vocabulary`` gives the
    venues (built-in and the catalog's own) and methods names resolve against.
    """

    title: str
    description: str = ""
    footer: str = ""
    venues: tuple[Venue, ...] = ()
    papers: tuple[Paper, ...] = ()
    #: The file it was read from (None for one built in memory).
    path: str | None = None
    #: Hosts of official venue pages beyond :data:`speechcompress.published.OFFICIAL_HOSTS`.
    official_hosts: tuple[str, ...] = ()

    @property
    def vocabulary(self) -> Vocabulary:
        """The built-in venues and methods plus this catalog's own venues."""
        return Vocabulary.with_extra_venues(self.venues)

    def find(self, key: str) -> Paper | None:
        """The paper with this id or arXiv id (a version suffix is ignored)."""
        from speechcompress.ids import normalize_arxiv_id

        wanted_arxiv = normalize_arxiv_id(key)
        for paper in self.papers:
            if paper.id == key or (wanted_arxiv and paper.arxiv == wanted_arxiv):
                return paper
        return None
