"""Identifiers: every form of arXiv id users paste, and which new-style ids can exist."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from speechcompress.ids import (
    arxiv_year,
    check_new_style_arxiv,
    new_style_problem,
    normalize_arxiv_id,
)
from speechcompress.models import validate_paper
from speechcompress.vocab import Vocabulary


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2305.17651", "2305.17651"),
        ("2305.17651v2", "2305.17651"),
        ("arXiv:2305.17651", "2305.17651"),
        (" https://arxiv.org/abs/2305.17651v3 ", "2305.17651"),
        ("https://arxiv.org/pdf/2305.17651.pdf", "2305.17651"),
        ("http://export.arxiv.org/abs/2305.17651", "2305.17651"),
        ("CS/0112017", "cs/0112017"),
        ("math.gt/0309136v1", "math.GT/0309136"),
        ("not-an-id", None),
        ("2305-17651", None),
    ],
)
def test_normalize_finds_the_bare_id(value: str, expected: str | None) -> None:
    assert normalize_arxiv_id(value) == expected


@pytest.mark.parametrize(
    "arxiv_id",
    ["2305.17651", "1501.00001", "0704.0001", "1412.9999", "cs/0112017", "math.GT/0309136"],
)
def test_ids_that_can_exist_have_no_problem(arxiv_id: str) -> None:
    assert new_style_problem(arxiv_id) is None
    assert check_new_style_arxiv(arxiv_id) == arxiv_id


@pytest.mark.parametrize(
    ("arxiv_id", "problem"),
    [
        ("2305.1765", "ids from 2015 on have 5 digits after the dot"),
        ("1501.0001", "ids from 2015 on have 5 digits after the dot"),
        ("1412.12345", "ids from before 2015 have 4 digits after the dot"),
        ("2313.00001", "2313 is no new-style arXiv month (0704 or later)"),
        ("2300.12345", "2300 is no new-style arXiv month (0704 or later)"),
        ("0703.0001", "0703 is no new-style arXiv month (0704 or later)"),
    ],
)
def test_malformed_new_style_ids_say_why(arxiv_id: str, problem: str) -> None:
    assert new_style_problem(arxiv_id) == problem
    with pytest.raises(ValueError) as info:
        check_new_style_arxiv(arxiv_id)
    assert str(info.value) == f"'{arxiv_id}': {problem}"


def _schema_error(arxiv_id: str) -> str | None:
    data = {"id": "p", "title": "T", "year": 2023, "venue": "arXiv", "arxiv": arxiv_id}
    try:
        validate_paper(data, Vocabulary())
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return None


@given(
    yymm=st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}"),
    number=st.from_regex(r"\A\d{4,5}\Z"),
)
def test_the_schema_and_scc_add_agree_on_which_ids_exist(yymm: str, number: str) -> None:
    # models.py keeps its own copy of the check; this keeps the two from drifting apart.
    arxiv_id = f"{yymm}.{number}"
    problem = new_style_problem(arxiv_id)
    assert _schema_error(arxiv_id) == (f"{arxiv_id!r}: {problem}" if problem else None)


def test_arxiv_year_reads_the_yymm_part() -> None:
    assert arxiv_year("2305.17651") == 2023
    assert arxiv_year("0704.0001") == 2007
    assert arxiv_year("cs/9912017") == 1999


@given(
    st.from_regex(r"\A(arXiv:)?[0-9]{4}\.[0-9]{3,6}(v[0-9]{1,2})?\Z")
    | st.text(alphabet="0123456789.v/ :abcXx", max_size=16)
)
def test_a_bare_id_normalizes_to_itself_and_the_rest_as_before(value: str) -> None:
    from speechcompress import ids

    full = ids._ARXIV_ANY.match(value.strip())
    expected = full.group("id") if full and "/" not in full.group("id") else None
    if expected is not None or full is None:
        assert ids.normalize_arxiv_id(value) == expected
