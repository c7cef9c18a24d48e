"""Filters, year ranges and sorting: examples, error hints and Hypothesis properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from speechcompress import load_catalog
from speechcompress.errors import UsageError
from speechcompress.paper import MAX_YEAR, MIN_YEAR, Catalog, Paper
from speechcompress.query import (
    build_filters,
    filter_papers,
    parse_year_range,
    sort_papers,
)
from speechcompress.text import fold
from speechcompress.vocab import METHODS

VENUES = ["INTERSPEECH", "ICASSP", "arXiv", "SLT", "TASLP"]
MODELS = ["HuBERT", "HuBERT Large", "WavLM", "wav2vec 2.0", "Whisper"]
AUTHORS = [
    "Yifan Peng",
    "Heitor R. Guimarães",
    "Zilun Peng",
    "Shinji Watanabe",
    "Rui Wang",
    "Søren Østergaard",
]
YEARS = st.integers(2015, 2025)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    n = draw(st.integers(0, 8))
    papers = tuple(
        Paper(
            id=f"p{i}",
            title=draw(st.sampled_from(["Pruning HuBERT", "Distilling WavLM", "Tiny ASR"])),
            year=draw(YEARS),
            venue=draw(st.sampled_from(VENUES)),
            authors=tuple(draw(st.lists(st.sampled_from(AUTHORS), max_size=3, unique=True))),
            methods=tuple(draw(st.lists(st.sampled_from(list(METHODS)), max_size=3, unique=True))),
            models=tuple(draw(st.lists(st.sampled_from(MODELS), max_size=2, unique=True))),
            code=draw(st.sampled_from([None, "https://github.com/x/y"])),
        )
        for i in range(n)
    )
    return Catalog(title="T", papers=papers)


def year_text() -> st.SearchStrategy[str]:
    return st.one_of(
        YEARS.map(str),
        st.tuples(YEARS, YEARS).map(lambda t: f"{min(t)}..{max(t)}"),
        YEARS.map(lambda y: f"{y}.."),
        YEARS.map(lambda y: f"..{y}"),
    )


AUTHOR_QUERIES = ["peng", "Guimaraes", "GUIMARÃES", "soren", "watanabe", "wang"]


@st.composite
def option_values(draw: st.DrawFn, catalog: Catalog, option: str) -> str:
    """A valid value for one filter option (a model must be named by some paper)."""
    if option == "years":
        return draw(year_text())
    if option == "venues":
        return draw(st.sampled_from([*VENUES, "interspeech", "Arxiv", "preprint"]))
    if option == "methods":
        return draw(st.sampled_from([*METHODS, "kd", "prune", "QUANT", "svd"]))
    if option == "authors":
        return draw(st.sampled_from(AUTHOR_QUERIES))
    models = sorted({m for p in catalog.papers for m in p.models})
    assume(models)
    spellings = [m.lower().replace(" ", "") for m in models] + [m[:2] for m in models]
    return draw(st.sampled_from(models + spellings))


OPTIONS = ["years", "venues", "methods", "models", "authors"]


def ids(papers: list[Paper]) -> list[str]:
    return [p.id for p in papers]


def keep(catalog: Catalog, **options: Any) -> list[str]:
    return ids(filter_papers(catalog.papers, build_filters(catalog, **options)))


# --- year ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("2022", [2022], [2021, 2023]),
        ("2021..2023", [2021, 2022, 2023], [2020, 2024]),
        ("2022..", [2022, 2023, 2100], [2021]),
        ("..2022", [1950, 2022], [2023]),
        (" 2022 ", [2022], [2021]),
        ("2022..2022", [2022], [2021, 2023]),
    ],
)
def test_year_range_examples(text: str, inside: list[int], outside: list[int]) -> None:
    years = parse_year_range(text)
    assert all(y in years for y in inside)
    assert not any(y in years for y in outside)


@pytest.mark.parametrize(
    "text",
    ["abc", "", "..", "22", "20222", "2021...2023", "2021-2023", "2021..abc", "2022x", "year"],
)
def test_malformed_years_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_year_range(text)
    assert info.value.exit_code == 2
    assert "2021..2023" in (info.value.hint or "")


def test_backwards_range_suggests_the_right_way_round() -> None:
    with pytest.raises(UsageError) as info:
        parse_year_range("2023..2021")
    assert info.value.hint == "did you mean 2021..2023?"


@pytest.mark.parametrize("text", ["1800", "1949..2020", "2020..2101", "..9999"])
def test_years_outside_the_sane_range_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="out of range"):
        parse_year_range(text)


@settings(max_examples=300, deadline=None, database=None)
@given(
    low=st.integers(MIN_YEAR, MAX_YEAR),
    high=st.integers(MIN_YEAR, MAX_YEAR),
    year=st.integers(1900, 2150),
)
def test_year_range_membership_matches_the_arithmetic(low: int, high: int, year: int) -> None:
    assert (year in parse_year_range(f"{low}..")) == (year >= low)
    assert (year in parse_year_range(f"..{high}")) == (year <= high)
    assert (year in parse_year_range(str(low))) == (year == low)
    if low <= high:
        assert (year in parse_year_range(f"{low}..{high}")) == (low <= year <= high)
    else:
        with pytest.raises(UsageError):
            parse_year_range(f"{low}..{high}")


# --- filters: examples on the mini catalog -------------------------------------------------------


@pytest.fixture
def catalog(mini: Path) -> Catalog:
    return load_catalog(mini, use_cache=False)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ["dphubert", "robustdistiller", "lighthubert", "bigfoot", "q-asr"]),
        ({"years": ["2022"]}, ["lighthubert", "q-asr"]),
        ({"years": ["2021", "2023"]}, ["dphubert", "robustdistiller", "bigfoot"]),
        ({"venues": ["interspeech"]}, ["dphubert", "lighthubert"]),
        ({"venues": ["sustainlp"]}, ["bigfoot"]),  # a venue the catalog adds
        ({"methods": ["kd"]}, ["dphubert", "robustdistiller", "lighthubert", "bigfoot"]),
        ({"methods": ["prune", "quantization"]}, ["dphubert", "lighthubert", "bigfoot", "q-asr"]),
        ({"models": ["wav2vec"]}, ["bigfoot"]),  # a prefix of "wav2vec 2.0"
        ({"models": ["WAV2VEC 2.0"]}, ["bigfoot"]),
        ({"models": ["hubert"]}, ["dphubert", "robustdistiller", "lighthubert"]),
        ({"authors": ["guimaraes"]}, ["robustdistiller"]),  # accents optional
        ({"authors": ["PENG"]}, ["dphubert", "bigfoot"]),
        ({"has_code": True}, ["dphubert", "robustdistiller", "lighthubert"]),
        ({"methods": ["quantization"], "years": ["2022.."]}, ["q-asr"]),
        (
            {"methods": ["distillation"], "models": ["hubert"], "venues": ["icassp"]},
            ["robustdistiller"],
        ),
        ({"authors": ["peng"], "has_code": True}, ["dphubert"]),
    ],
)
def test_filter_examples(catalog: Catalog, options: dict[str, Any], expected: list[str]) -> None:
    assert keep(catalog, **options) == expected


@pytest.mark.parametrize(
    ("options", "hint"),
    [
        ({"methods": ["prunin"]}, "did you mean 'pruning'?"),
        ({"methods": ["kdd"]}, None),
        ({"venues": ["interspeach"]}, "did you mean 'INTERSPEECH'?"),
        ({"venues": ["sustainlpp"]}, "did you mean 'SustaiNLP'?"),
        ({"models": ["hubrt"]}, "did you mean 'HuBERT'?"),
        ({"models": ["conformer"]}, None),
        ({"models": [""]}, None),
        ({"years": ["abc"]}, None),
    ],
)
def test_unknown_filter_values_are_usage_errors(
    catalog: Catalog,
    options: dict[str, Any],
    hint: str | None,
) -> None:
    with pytest.raises(UsageError) as info:
        build_filters(catalog, **options)
    assert info.value.exit_code == 2
    if hint:
        assert info.value.hint == hint
    else:
        assert "did you mean" not in (info.value.hint or "")


# --- filters: properties -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data(), catalog=catalogs(), option=st.sampled_from(OPTIONS))
def test_repeating_an_option_is_the_union_of_single_option_results(
    data: st.DataObject,
    catalog: Catalog,
    option: str,
) -> None:
    first = data.draw(option_values(catalog, option))
    second = data.draw(option_values(catalog, option))
    both = keep(catalog, **{option: [first, second]})
    one, other = set(keep(catalog, **{option: [first]})), set(keep(catalog, **{option: [second]}))
    assert both == [p.id for p in catalog.papers if p.id in one | other]


@settings(max_examples=40, deadline=None, database=None)
@given(
    data=st.data(),
    catalog=catalogs(),
    options=st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=2, unique=True),
    has_code=st.booleans(),
)
def test_different_options_are_the_intersection(
    data: st.DataObject,
    catalog: Catalog,
    options: list[str],
    has_code: bool,
) -> None:
    a, b = options
    value_a = data.draw(option_values(catalog, a))
    value_b = data.draw(option_values(catalog, b))
    combined = keep(catalog, **{a: [value_a], b: [value_b]}, has_code=has_code)
    kept_a = set(keep(catalog, **{a: [value_a]}))
    kept_b = set(keep(catalog, **{b: [value_b]}))
    kept_code = set(keep(catalog, has_code=has_code))
    assert combined == [p.id for p in catalog.papers if p.id in kept_a & kept_b & kept_code]


def _squash(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data(), catalog=catalogs(), option=st.sampled_from([*OPTIONS, "has_code"]))
def test_each_filter_keeps_exactly_what_it_says(
    data: st.DataObject,
    catalog: Catalog,
    option: str,
) -> None:
    """An independent oracle for each filter, written from the option's documented meaning."""
    aliases = {"kd": "distillation", "prune": "pruning", "QUANT": "quantization", "svd": "low-rank"}
    venue_aliases = {"interspeech": "INTERSPEECH", "Arxiv": "arXiv", "preprint": "arXiv"}
    if option == "has_code":
        assert keep(catalog, has_code=True) == [p.id for p in catalog.papers if p.code]
        return
    value = data.draw(option_values(catalog, option))
    oracle = {
        "years": lambda p: _year_oracle(value, p.year),
        "venues": lambda p: p.venue == venue_aliases.get(value, value),
        "methods": lambda p: aliases.get(value, value) in p.methods,
        "models": lambda p: any(_squash(m).startswith(_squash(value)) for m in p.models),
        "authors": lambda p: any(_squash(value) in _squash(a) for a in p.authors),
    }[option]
    assert keep(catalog, **{option: [value]}) == [p.id for p in catalog.papers if oracle(p)]


def _year_oracle(text: str, year: int) -> bool:
    low, _, high = text.partition("..")
    if ".." not in text:
        return year == int(text)
    return (not low or year >= int(low)) and (not high or year <= int(high))


@settings(max_examples=40, deadline=None, database=None)
@given(text=st.text(max_size=12))
def test_any_year_text_filters_or_is_a_usage_error(text: str) -> None:
    catalog = Catalog("T", papers=(Paper("a", "A", 2022, "arXiv"), Paper("b", "B", 2023, "arXiv")))
    try:
        kept = keep(catalog, years=[text])
    except UsageError:
        return
    assert kept in ([], ["a"], ["b"], ["a", "b"])


# --- sorting -------------------------------------------------------------------------------------


def test_default_order_is_newest_first_then_catalog_order(catalog: Catalog) -> None:
    # mini.toml: dphubert, robustdistiller (2023), lighthubert (2022), bigfoot (2021), q-asr (2022)
    assert ids(sort_papers(catalog.papers)) == [
        "dphubert",
        "robustdistiller",
        "lighthubert",
        "q-asr",
        "bigfoot",
    ]


def test_sort_by_title_ignores_case(catalog: Catalog) -> None:
    papers = sort_papers(catalog.papers, "title")
    assert [p.title.lower() for p in papers] == sorted(p.title.lower() for p in catalog.papers)


def test_sort_by_venue_then_newest_first(catalog: Catalog) -> None:
    assert ids(sort_papers(catalog.papers, "venue")) == [
        "q-asr",
        "robustdistiller",
        "dphubert",
        "lighthubert",
        "bigfoot",
    ]


def test_unknown_sort_key_is_a_usage_error(catalog: Catalog) -> None:
    with pytest.raises(UsageError) as info:
        sort_papers(catalog.papers, "author")
    assert "year, title, venue" in (info.value.hint or "")


@settings(max_examples=40, deadline=None, database=None)
@given(catalog=catalogs(), key=st.sampled_from(["year", "title", "venue"]), reverse=st.booleans())
def test_sorting_is_a_stable_permutation(catalog: Catalog, key: str, reverse: bool) -> None:
    papers = list(catalog.papers)
    result = sort_papers(papers, key, reverse)
    assert sorted(ids(result)) == sorted(ids(papers))
    assert sort_papers(papers, key, not reverse) == result[::-1]
    forward = result[::-1] if reverse else result
    position = {p.id: i for i, p in enumerate(papers)}
    sort_key = {
        "year": lambda p: (-p.year,),
        "title": lambda p: (fold(p.title),),
        "venue": lambda p: (fold(p.venue), -p.year),
    }[key]
    assert forward == sorted(papers, key=lambda p: (*sort_key(p), position[p.id]))
