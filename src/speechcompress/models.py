"""The catalog schema: strict Pydantic models, documented field by field.

Validation happens here, at the edge; accepted data becomes :mod:`speechcompress.paper`
records. A model's ``context`` carries the catalog's :class:`~speechcompress.vocab.Vocabulary`
so a catalog can add its own venues.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from speechcompress.ids import ARXIV_ID, DOI, check_new_style_arxiv
from speechcompress.paper import MAX_YEAR, MIN_YEAR, Paper
from speechcompress.vocab import VENUE_KINDS, Venue, Vocabulary, suggest

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# Control characters (newlines included) cannot be escaped inside a Markdown link label.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    return value


def _http_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be an http:// or https:// URL without spaces or quotes")
    return value


def _vocabulary(info: ValidationInfo) -> Vocabulary:
    context = info.context or {}
    vocab = context.get("vocabulary")
    return vocab if isinstance(vocab, Vocabulary) else Vocabulary()


NonEmpty = Annotated[str, Field(min_length=1)]


class PaperModel(BaseModel):
    """One ``[[papers]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=False)

    id: str = Field(description="Stable unique slug, e.g. 'dphubert'.")
    title: NonEmpty = Field(description="The paper's title, one line.")
    authors: list[NonEmpty] = Field(default_factory=list, description="Authors in order.")
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="Publication year (venue year).")
    venue: str = Field(description="Canonical venue name or alias; 'arXiv' for preprints.")
    venue_url: str | None = Field(default=None, description="The paper's page at the venue.")
    arxiv: str | None = Field(default=None, description="arXiv id without version.")
    doi: str | None = Field(default=None, description="Publisher DOI, e.g. 10.21437/...")
    code: str | None = Field(default=None, description="URL of the code.")
    methods: list[str] = Field(default_factory=list, description="Compression methods.")
    models: list[NonEmpty] = Field(
        default_factory=list, description="Models compressed or teachers."
    )
    summary: str | None = Field(default=None, description="One sentence in our own words.")
    published: dt.date | None = Field(default=None, description="First arXiv version's date.")
    abstract: str | None = Field(default=None, description="The abstract.")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("must be a lower-case slug: letters, digits, '-', '.', '_'")
        return value

    @field_validator("title", "summary")
    @classmethod
    def _single_line(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return None if value is None else _one_line(value)

    @field_validator("authors", "models")
    @classmethod
    def _single_line_items(cls, value: list[str]) -> list[str]:
        if _CONTROL.search("".join(value)):  # one scan for the whole list, the usual case
            for item in value:
                _one_line(item)
        return value

    @field_validator("venue_url", "code")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value)

    @field_validator("arxiv")
    @classmethod
    def _arxiv(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if ARXIV_ID.match(value):
            return check_new_style_arxiv(value)
        bare = re.sub(r"v\d+$", "", value)
        if bare != value and ARXIV_ID.match(bare):
            raise ValueError(f"{value!r} has a version suffix; write {bare!r}")
        raise ValueError(f"{value!r} is not an arXiv id like 2305.17651 or cs/0112017")

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
            raise ValueError(f"{value!r}: write the bare DOI, e.g. 10.21437/Interspeech.2023-1213")
        if not DOI.match(value):
            raise ValueError(f"{value!r} is not a DOI (10.<registrant>/<suffix>)")
        return value

    @field_validator("venue")
    @classmethod
    def _venue(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        venue = vocab.venue(value)
        if venue is None:
            guess = suggest(value, vocab.venue_names())
            tip = f"; did you mean {guess!r}?" if guess else ""
            raise ValueError(f"unknown venue {value!r}{tip} (add it under [catalog.venues])")
        return venue.name

    @field_validator("methods")
    @classmethod
    def _methods(cls, value: list[str]) -> list[str]:
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

    def to_paper(self, line: int = 0) -> Paper:
        return Paper(
            id=self.id,
            title=self.title,
            year=self.year,
            venue=self.venue,
            authors=tuple(self.authors),
            venue_url=self.venue_url,
            arxiv=self.arxiv,
            doi=self.doi,
            code=self.code,
            methods=tuple(self.methods),
            models=tuple(self.models),
            summary=self.summary,
            published=self.published,
            abstract=self.abstract,
            line=line,
        )


class VenueModel(BaseModel):
    """One entry of ``[catalog.venues]``: a venue beyond the built-in list."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: str = Field(description=f"One of {', '.join(VENUE_KINDS)}.")
    name: str = Field(default="", description="The venue's full name.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings.")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in VENUE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(VENUE_KINDS)}")
        return value


class CatalogHeader(BaseModel):
    """The ``[catalog]`` table: text for the README export and extra venues."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: NonEmpty = Field(description="The README's first heading.")
    description: str = Field(default="", description="Paragraph(s) under the title.")
    footer: str = Field(default="", description="Text after the list in the README.")
    venues: dict[str, VenueModel] = Field(default_factory=dict, description="Extra venues.")
    official_hosts: list[NonEmpty] = Field(
        default_factory=list,
        description="Hosts whose pages count as official venue pages, beyond the built-in list.",
    )

    def extra_venues(self) -> tuple[Venue, ...]:
        return tuple(
            Venue(name, v.kind, v.name, tuple(v.aliases)) for name, v in self.venues.items()
        )


def validate_paper(data: Any, vocabulary: Vocabulary, line: int = 0) -> Paper:
    """Validate one raw paper table; raises ``pydantic.ValidationError``."""
    return PaperModel.model_validate(data, context={"vocabulary": vocabulary}).to_paper(line)
