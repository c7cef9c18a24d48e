"""The catalog schema: strict fields, URL and arXiv id formats, years, vocabularies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from speechcompress.models import CatalogHeader, PaperModel, validate_paper
from speechcompress.paper import PAPER_FIELDS, Paper
from speechcompress.vocab import METHOD_ALIASES, METHODS, Venue, Vocabulary


def paper_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "dphubert",
        "title": "DPHuBERT",
        "year": 2023,
        "venue": "INTERSPEECH",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def validate(vocabulary: Vocabulary | None = None, **changes: Any) -> Paper:
    return validate_paper(paper_data(**changes), vocabulary or Vocabulary())


def errors(**changes: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        validate(**changes)
    return info.value.errors()


def only_error(**changes: Any) -> tuple[tuple[Any, ...], str]:
    (err,) = errors(**changes)
    return err["loc"], err["msg"]


# --- the records and the schema stay in step -----------------------------------------------------


def test_paper_model_fields_are_paper_fields_in_order() -> None:
    assert tuple(PaperModel.model_fields) == PAPER_FIELDS


def test_paper_record_has_exactly_the_paper_fields() -> None:
    names = [f.name for f in dataclasses.fields(Paper) if f.name != "line"]
    assert sorted(names) == sorted(PAPER_FIELDS)


def test_to_dict_uses_the_stable_field_order_and_round_trips() -> None:
    paper = validate(
        authors=["A B"],
        arxiv="2305.17651",
        methods=["kd"],
        models=["HuBERT"],
        published=dt.date(2023, 5, 28),
        code="https://github.com/x/y",
    )
    record = paper.to_dict()
    assert tuple(record) == PAPER_FIELDS
    assert record["published"] == "2023-05-28"
    assert record["methods"] == ["distillation"]
    assert Paper.from_dict(record) == paper


def test_a_minimal_paper_gets_empty_defaults() -> None:
    paper = validate()
    assert (paper.authors, paper.methods, paper.models) == ((), (), ())
    assert paper.arxiv is None and paper.code is None and paper.published is None


# --- strictness ----------------------------------------------------------------------------------


def test_unknown_field_is_rejected() -> None:
    (err,) = errors(colour="red")
    assert err["loc"] == ("colour",)
    assert err["type"] == "extra_forbidden"


@pytest.mark.parametrize("field", ["id", "title", "year", "venue"])
def test_required_fields(field: str) -> None:
    loc, _ = only_error(**{field: ...})
    assert loc == (field,)


@pytest.mark.parametrize("value", ["2023", 2023.0, True])
def test_year_must_be_an_integer(value: object) -> None:
    loc, _ = only_error(year=value)
    assert loc == ("year",)


def test_authors_must_be_a_list() -> None:
    loc, _ = only_error(authors="Yifan Peng")
    assert loc == ("authors",)


@pytest.mark.parametrize("year", [1950, 1999, 2023, 2100])
def test_years_in_the_sane_range_are_accepted(year: int) -> None:
    assert validate(year=year).year == year


@pytest.mark.parametrize("year", [0, 1949, 2101, 20230])
def test_years_outside_the_sane_range_are_rejected(year: int) -> None:
    loc, _ = only_error(year=year)
    assert loc == ("year",)


@pytest.mark.parametrize("pid", ["dphubert", "q-asr", "wav2vec2.0_tiny", "2023-x"])
def test_slug_ids_are_accepted(pid: str) -> None:
    assert validate(id=pid).id == pid


@pytest.mark.parametrize("pid", ["DPHuBERT", "two words", "-x", "", "a/b", "é"])
def test_non_slug_ids_are_rejected(pid: str) -> None:
    loc, msg = only_error(id=pid)
    assert loc == ("id",)
    assert "slug" in msg


@pytest.mark.parametrize("field", ["title", "summary"])
def test_single_line_text_fields_reject_newlines(field: str) -> None:
    loc, msg = only_error(**{field: "first line\nsecond line"})
    assert loc == (field,)
    assert "single line" in msg


def test_empty_title_is_rejected() -> None:
    loc, _ = only_error(title="")
    assert loc == ("title",)


# --- URLs ----------------------------------------------------------------------------------------


GOOD_URLS = [
    "https://github.com/pyf98/DPHuBERT",
    "http://example.org/a?b=c#d",
    "HTTPS://EXAMPLE.ORG/",
]
BAD_URLS = [
    "ftp://example.org/x",
    "javascript:alert(1)",
    "github.com/pyf98/DPHuBERT",
    "file:///etc/passwd",
    "https://exa mple.org",
    'https://x.org/"a"',
    "https://",
    "",
]


@pytest.mark.parametrize("field", ["code", "venue_url"])
@pytest.mark.parametrize("url", GOOD_URLS)
def test_http_urls_are_accepted(field: str, url: str) -> None:
    assert getattr(validate(**{field: url}), field) == url


@pytest.mark.parametrize("field", ["code", "venue_url"])
@pytest.mark.parametrize("url", BAD_URLS)
def test_other_urls_are_rejected(field: str, url: str) -> None:
    loc, msg = only_error(**{field: url})
    assert loc == (field,)
    assert "http" in msg


# --- arXiv ids and DOIs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arxiv",
    [
        "2305.17651",  # new style, 5 digits (from 2015)
        "1501.00001",
        "0704.0001",  # the first new-style id, 4 digits (before 2015)
        "1412.7024",
        "cs/0112017",  # old style
        "hep-th/9901001",
        "math.GT/0309136",  # old style with a subject class
    ],
)
def test_arxiv_ids_in_both_styles_are_accepted(arxiv: str) -> None:
    assert validate(arxiv=arxiv).arxiv == arxiv


def test_arxiv_version_suffix_is_rejected_with_the_bare_id() -> None:
    loc, msg = only_error(arxiv="2305.17651v2")
    assert loc == ("arxiv",)
    assert "version" in msg and "'2305.17651'" in msg


@pytest.mark.parametrize(
    "arxiv",
    [
        "arXiv:2305.17651",
        "https://arxiv.org/abs/2305.17651",
        "2305.1765",  # a digit dropped: ids from 2015 on have 5 digits
        "1412.12345",  # ids before 2015 have 4
        "2313.12345",  # month 13
        "2300.12345",  # month 00
        "0612.1234",  # before new-style ids existed (April 2007)
        "cs/012017",
        "CS/0112017",
        "2305-17651",
        "",
    ],
)
def test_malformed_arxiv_ids_are_rejected(arxiv: str) -> None:
    loc, _ = only_error(arxiv=arxiv)
    assert loc == ("arxiv",)


def test_doi_accepted_bare_and_rejected_as_url() -> None:
    assert validate(doi="10.21437/Interspeech.2023-1213").doi == "10.21437/Interspeech.2023-1213"
    loc, msg = only_error(doi="https://doi.org/10.21437/Interspeech.2023-1213")
    assert loc == ("doi",)
    assert "bare DOI" in msg
    loc, _ = only_error(doi="11.1234/x")
    assert loc == ("doi",)


# --- venues --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("INTERSPEECH", "INTERSPEECH"),
        ("interspeech", "INTERSPEECH"),
        ("Interspeech", "INTERSPEECH"),
        ("ISCA  Interspeech", "INTERSPEECH"),  # alias, spacing and case forgiven
        ("nips", "NeurIPS"),
        ("NeurIPS", "NeurIPS"),
        ("corr", "arXiv"),
        ("Preprint", "arXiv"),
        ("taslp", "TASLP"),
    ],
)
def test_venues_resolve_case_insensitively_with_aliases(given: str, canonical: str) -> None:
    assert validate(venue=given).venue == canonical


def test_unknown_venue_gets_a_did_you_mean() -> None:
    loc, msg = only_error(venue="interspeach")
    assert loc == ("venue",)
    assert "did you mean 'INTERSPEECH'?" in msg
    assert "[catalog.venues]" in msg


def test_a_catalog_may_add_venues_with_aliases() -> None:
    extra = Vocabulary.with_extra_venues([Venue("SustaiNLP", "workshop", "", ("sustai nlp ws",))])
    assert validate(extra, venue="sustainlp").venue == "SustaiNLP"
    assert validate(extra, venue="Sustai NLP WS").venue == "SustaiNLP"
    assert validate(extra, venue="icassp").venue == "ICASSP"  # built-ins still there
    loc, _ = only_error(venue="SustaiNLP")  # not without the catalog's list
    assert loc == ("venue",)


def test_catalog_header_builds_its_extra_venues() -> None:
    header = CatalogHeader.model_validate(
        {"title": "T", "venues": {"SASB": {"kind": "workshop", "aliases": ["sasb workshop"]}}}
    )
    (venue,) = header.extra_venues()
    assert (venue.name, venue.kind, venue.aliases) == ("SASB", "workshop", ("sasb workshop",))


@pytest.mark.parametrize(
    "venues",
    [
        {"X": {"kind": "blog"}},
        {"X": {"kind": "workshop", "url": "https://x.org"}},
        {"X": "workshop"},
    ],
)
def test_bad_catalog_venues_are_rejected(venues: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CatalogHeader.model_validate({"title": "T", "venues": venues})


def test_catalog_header_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError) as info:
        CatalogHeader.model_validate({"title": "T", "subtitle": "x"})
    assert info.value.errors()[0]["loc"] == ("subtitle",)


# --- methods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("kd", "distillation"),
        ("KD", "distillation"),
        ("prune", "pruning"),
        ("Prune", "pruning"),
        ("Pruning", "pruning"),
        ("Knowledge Distillation", "distillation"),
        ("knowledge_distillation", "distillation"),
        ("low rank", "low-rank"),
        ("NAS", "architecture-search"),
        ("quantisation", "quantization"),
    ],
)
def test_methods_resolve_case_insensitively_with_aliases(given: str, canonical: str) -> None:
    assert validate(methods=[given]).methods == (canonical,)


def test_every_alias_points_at_a_known_method() -> None:
    assert set(METHOD_ALIASES.values()) <= set(METHODS)
    for alias, method in METHOD_ALIASES.items():
        assert Vocabulary.method(alias.upper()) == method


def test_methods_are_deduplicated_in_order() -> None:
    assert validate(methods=["prune", "kd", "pruning", "distillation"]).methods == (
        "pruning",
        "distillation",
    )


def test_unknown_method_gets_a_did_you_mean() -> None:
    loc, msg = only_error(methods=["pruning", "prunin"])
    assert loc == ("methods",)
    assert "unknown method 'prunin'" in msg
    assert "did you mean 'pruning'?" in msg
