"""The catalog schema: strict Pydantic models, documented field by field.

The definition of a valid table, and the one that says what is wrong with an invalid
one. Reading a catalog asks :mod:`speechcompress.fast_validate` first, which accepts a
valid table with the same rules (:mod:`speechcompress.rules`) without importing
Pydantic; only the tables it leaves come here. Accepted data becomes
:mod:`speechcompress.paper` records. A model's ``context`` carries the catalog's
:class:`~speechcompress.vocab.Vocabulary` so a catalog can add its own venues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from speechcompress.paper import FIELDS, FieldSpec, Paper
from speechcompress.rules import (
    CHECKS,
    MAX_ALIASES,
    MAX_HEADER_ITEMS,
    MAX_HEADER_TEXT,
    MAX_HEADER_TITLE,
    MAX_NAME,
    Check,
    check_text,
)
from speechcompress.vocab import VENUE_KINDS, Venue, Vocabulary


def _vocabulary(info: ValidationInfo) -> Vocabulary:
    context = info.context or {}
    vocab = context.get("vocabulary")
    return vocab if isinstance(vocab, Vocabulary) else Vocabulary()


NonEmpty = Annotated[str, Field(min_length=1)]


def _validator(check: Check) -> Callable[[Any, ValidationInfo], Any]:
    """A field's rule (:mod:`speechcompress.rules`) as a Pydantic validator."""
    return lambda value, info: check(value, _vocabulary(info))


_LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "list")


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
        f"_check_{name}": field_validator(name)(_validator(check)) for name, check in CHECKS.items()
    },
    **_FIELD_DEFINITIONS,
)


class VenueModel(BaseModel):
    """One entry of ``[catalog.venues]``: a venue beyond the built-in list."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: str = Field(description=f"One of {', '.join(VENUE_KINDS)}.")
    name: str = Field(default="", max_length=MAX_NAME, description="The venue's full name.")
    aliases: list[Annotated[str, Field(max_length=MAX_NAME)]] = Field(
        default_factory=list, max_length=MAX_ALIASES, description="Other spellings."
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

    title: NonEmpty = Field(max_length=MAX_HEADER_TITLE, description="The README's first heading.")
    description: str = Field(
        default="", max_length=MAX_HEADER_TEXT, description="Paragraph(s) under the title."
    )
    footer: str = Field(
        default="", max_length=MAX_HEADER_TEXT, description="Text after the list in the README."
    )
    venues: dict[str, VenueModel] = Field(
        default_factory=dict, max_length=MAX_HEADER_ITEMS, description="Extra venues."
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
        max_length=MAX_HEADER_ITEMS,
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
