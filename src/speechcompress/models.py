"""The catalog schema: strict Pydantic models, documented field by field.

Validation happens here, at the edge; accepted data becomes :mod:`speechcompress.paper`
records. A model's ``context`` carries the catalog's :class:`~speechcompress.vocab.Vocabulary`
so a catalog can add its own venues.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from speechcompress.ids import ARXIV_ID, DOI, check_new_style_arxiv
from speechcompress.paper import FIELDS, FieldSpec, Paper
from speechcompress.vocab import VENUE_KINDS, Venue, Vocabulary, suggest

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# C0 controls, DEL, C1 controls and the bidirectional overrides and isolates: none belongs
# in a catalog's text, and printed raw they can drive or disguise a terminal (OSC 52
# writes the clipboard; U+202E reverses what follows). A multi-line text may hold line
# breaks and tabs.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)

#: Limits of the catalog header's texts (a paper's are in its FieldSpecs).
MAX_HEADER_TEXT = 20_000
MAX_NAME = 300


def check_text(value: str, *, multiline: bool = False) -> str:
    """Refuse control characters (line breaks and tabs too, unless ``multiline``)."""
    if value.isascii() and value.isprintable():  # the usual case, two scans in C
        return value
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    if found is None:
        return value
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char in "\n\r" and not multiline:
        raise ValueError(f"must be a single line (holds a line break, {code})")
    if "\u202a" <= char <= "\u2069":
        raise ValueError(f"holds a bidirectional text control character ({code})")
    raise ValueError(f"holds a control character ({code})")


def _http_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be an http:// or https:// URL without spaces or quotes")
    return value


def _vocabulary(info: ValidationInfo) -> Vocabulary:
    context = info.context or {}
    vocab = context.get("vocabulary")
    return vocab if isinstance(vocab, Vocabulary) else Vocabulary()


NonEmpty = Annotated[str, Field(min_length=1)]


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError("must be a lower-case slug: letters, digits, '-', '.', '_'")
    return value


def _arxiv(value: str) -> str:
    if ARXIV_ID.match(value):
        return check_new_style_arxiv(value)
    bare = re.sub(r"v\d+$", "", value)
    if bare != value and ARXIV_ID.match(bare):
        raise ValueError(f"{value!r} has a version suffix; write {bare!r}")
    raise ValueError(f"{value!r} is not an arXiv id like 2305.17651 or cs/0112017")


def _doi(value: str) -> str:
    if value.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
        raise ValueError(f"{value!r}: write the bare DOI, e.g. 10.21437/Interspeech.2023-1213")
    if not DOI.match(value):
        raise ValueError(f"{value!r} is not a DOI (10.<registrant>/<suffix>)")
    return value


def _venue(value: str, info: ValidationInfo) -> str:
    vocab = _vocabulary(info)
    venue = vocab.venue(value)
    if venue is None:
        guess = suggest(value, vocab.venue_names())
        tip = f"; did you mean {guess!r}?" if guess else ""
        raise ValueError(f"unknown venue {value!r}{tip} (add it under [catalog.venues])")
    return venue.name


def _methods(value: list[str]) -> list[str]:
    from speechcompress.vocab import METHODS

    out: list[str] = []
    for item in value:
        method = Vocabulary.method(item)
        if method is None:
            guess = suggest(item, METHODS)
            tip = f"; did you mean {guess!r}?" if guess else ""
            raise ValueError(f"unknown method {item!r}{tip}")
        if method not in out:
            out.append(method)
    return out


def _checker(spec: FieldSpec) -> Callable[[Any, ValidationInfo], Any] | None:
    """The check of one field beyond its type and length, by its spec (None: no check).

    Chosen once per field, not per value: validating 10,000 papers calls these 100,000
    times.
    """
    if spec.kind == "list":
        if spec.rule == "methods":
            return lambda value, info: _methods(value)

        def items(value: list[str], info: ValidationInfo) -> list[str]:
            if _CONTROL.search("".join(value)):  # one scan for the whole list, the usual case
                for item in value:
                    check_text(item)
            return value

        return items
    if spec.kind != "text":
        return None
    rule: Callable[[str], str] | None = {
        "slug": _slug,
        "url": _http_url,
        "arxiv": _arxiv,
        "doi": _doi,
    }.get(spec.rule or "")
    blank = spec.rule is None and not spec.multiline
    multiline = spec.multiline
    venue = spec.rule == "venue"

    def text(value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if blank and not value.strip():
            raise ValueError("must not be blank")
        check_text(value, multiline=multiline)
        if venue:
            return _venue(value, info)
        return rule(value) if rule else value

    return text


_LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "list")
_CHECKS = {f.name: check for f in FIELDS if (check := _checker(f)) is not None}


class _PaperBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=False)

    def to_paper(self, line: int = 0) -> Paper:
        values: dict[str, Any] = dict(self.__dict__)  # the fields, as validated
        for name in _LIST_FIELDS:
            values[name] = tuple(values[name])
        return Paper(**values, line=line)


def _pydantic_field(spec: FieldSpec) -> tuple[Any, Any]:
    """(type, FieldInfo) of one paper field, from its spec."""
    limits: dict[str, Any] = {}
    if spec.kind == "list":
        if spec.rule is None:  # methods are checked against the vocabulary instead
            item: Any = Annotated[str, Field(min_length=1, max_length=spec.max_length)]
        else:
            item = Annotated[str, Field(max_length=spec.max_length)]
        return list[item], Field(
            default_factory=list, max_length=spec.max_items or None, description=spec.doc
        )
    kind: Any = {"text": str, "int": int, "date": dt.date}[spec.kind]
    if spec.kind == "text":
        limits["max_length"] = spec.max_length or None
        if spec.required and spec.rule is None:
            limits["min_length"] = 1
    if spec.kind == "int":
        limits["ge"], limits["le"] = spec.low, spec.high
    if spec.required:
        return kind, Field(description=spec.doc, **limits)
    return kind | None, Field(default=None, description=spec.doc, **limits)


_FIELD_DEFINITIONS: dict[str, Any] = {f.name: _pydantic_field(f) for f in FIELDS}
#: One ``[[papers]]`` table: built from :data:`speechcompress.paper.FIELDS`.
PaperModel: type[_PaperBase] = create_model(
    "PaperModel",
    __base__=_PaperBase,
    __doc__="One ``[[papers]]`` table.",
    __validators__={
        f"_check_{name}": field_validator(name)(check) for name, check in _CHECKS.items()
    },
    **_FIELD_DEFINITIONS,
)


class VenueModel(BaseModel):
    """One entry of ``[catalog.venues]``: a venue beyond the built-in list."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: str = Field(description=f"One of {', '.join(VENUE_KINDS)}.")
    name: str = Field(default="", max_length=MAX_NAME, description="The venue's full name.")
    aliases: list[Annotated[str, Field(max_length=MAX_NAME)]] = Field(
        default_factory=list, max_length=100, description="Other spellings."
    )

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in VENUE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(VENUE_KINDS)}")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_text(value)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str]) -> list[str]:
        for alias in value:
            check_text(alias)
        return value


class CatalogHeader(BaseModel):
    """The ``[catalog]`` table: text for the README export and extra venues."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: NonEmpty = Field(max_length=1_000, description="The README's first heading.")
    description: str = Field(
        default="", max_length=MAX_HEADER_TEXT, description="Paragraph(s) under the title."
    )
    footer: str = Field(
        default="", max_length=MAX_HEADER_TEXT, description="Text after the list in the README."
    )
    venues: dict[str, VenueModel] = Field(
        default_factory=dict, max_length=1_000, description="Extra venues."
    )

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return check_text(value)

    @field_validator("description", "footer")
    @classmethod
    def _texts(cls, value: str) -> str:
        return check_text(value, multiline=True)

    @field_validator("venues")
    @classmethod
    def _venue_names(cls, value: dict[str, VenueModel]) -> dict[str, VenueModel]:
        for name in value:
            if len(name) > MAX_NAME:
                raise ValueError(f"a venue name is longer than {MAX_NAME} characters")
            check_text(name)
        return value

    official_hosts: list[NonEmpty] = Field(
        default_factory=list,
        max_length=1_000,
        description="Hosts whose pages count as official venue pages, beyond the built-in list.",
    )

    @field_validator("official_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for host in value:
            if len(host) > MAX_NAME:
                raise ValueError(f"a host is longer than {MAX_NAME} characters")
            check_text(host)
        return value

    def extra_venues(self) -> tuple[Venue, ...]:
        return tuple(
            Venue(name, v.kind, v.name, tuple(v.aliases)) for name, v in self.venues.items()
        )


def validate_paper(data: Any, vocabulary: Vocabulary, line: int = 0) -> Paper:
    """Validate one raw paper table; raises ``pydantic.ValidationError``."""
    return PaperModel.model_validate(data, context={"vocabulary": vocabulary}).to_paper(line)
