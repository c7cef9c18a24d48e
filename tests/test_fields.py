"""A paper's fields are declared once (paper.FIELDS); validation is strict about text."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from speechcompress.errors import CatalogError
from speechcompress.models import validate_paper
from speechcompress.paper import FIELD, Paper
from speechcompress.vocab import Vocabulary


def _validate(**changes: Any) -> Paper:
    data: dict[str, Any] = {"id": "x", "title": "A title", "year": 2023, "venue": "arXiv"}
    data.update(changes)
    return validate_paper(data, Vocabulary())


def _message(**changes: Any) -> str:
    with pytest.raises(ValidationError) as info:
        _validate(**changes)
    err = info.value.errors()[0]
    return f"{'.'.join(map(str, err['loc']))}: {err['msg']}"


# --- Paper is truly read-only, so hashing it is honest ------------------------------------------


def test_a_paper_cannot_be_changed_so_it_never_drops_out_of_a_set() -> None:
    paper = Paper("x", "A title", 2023, "arXiv")
    papers = {paper}
    with pytest.raises(dataclasses.FrozenInstanceError):
        paper.title = "Another"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del paper.title  # type: ignore[misc]
    assert paper in papers
    changed = dataclasses.replace(paper, title="Another")
    assert (changed.title, paper.title, changed in papers) == ("Another", "A title", False)


# --- control characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"abstract": "Copy \x1b]52;c;ZXZpbA==\x07 this"}, "abstract: Value error, holds a "
         "control character (U+001B)"),
        ({"title": "Bad \x9b title"}, "title: Value error, holds a control character (U+009B)"),
        ({"title": "Bad \x7f"}, "title: Value error, holds a control character (U+007F)"),
        ({"summary": "evil \u202e txt"}, "summary: Value error, holds a bidirectional text "
         "control character (U+202E)"),
        ({"authors": ["A", "B\u2066"]}, "authors: Value error, holds a bidirectional text "
         "control character (U+2066)"),
        ({"models": ["M\x00"]}, "models: Value error, holds a control character (U+0000)"),
        ({"title": "Two\nlines"}, "title: Value error, must be a single line (holds a line "
         "break, U+000A)"),
        ({"abstract": "tab\there\r\n"}, "abstract: Value error, holds a control character "
         "(U+000D)"),
    ],
)  # fmt: skip
def test_control_characters_are_refused_naming_field_and_character(
    changes: dict[str, Any], expected: str
) -> None:
    assert _message(**changes) == expected


def test_a_multiline_abstract_may_hold_line_breaks_and_tabs() -> None:
    assert _validate(abstract="One\n\tTwo").abstract == "One\n\tTwo"


def test_a_control_character_in_the_catalog_header_is_refused(tmp_path: Path) -> None:
    from speechcompress.catalog import parse_catalog

    text = '[catalog]\ntitle = "T"\ndescription = "x \\u001b[2J y"\n'
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, tmp_path / "c.toml")
    assert "description: holds a control character (U+001B)" in info.value.message


# --- length limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "t" * 1_001}, "title: String should have at most 1000 characters"),
        ({"abstract": "a" * 20_001}, "abstract: String should have at most 20000 characters"),
        ({"summary": "s" * 2_001}, "summary: String should have at most 2000 characters"),
        ({"authors": ["n"] * 1_001}, "authors: List should have at most 1000 items after "
         "validation, not 1001"),
        ({"authors": ["a" * 301]}, "authors.0: String should have at most 300 characters"),
        ({"models": ["m"] * 201}, "models: List should have at most 200 items after "
         "validation, not 201"),
        ({"code": "https://x.org/" + "c" * 2_000}, "code: String should have at most 2000 "
         "characters"),
    ],
)  # fmt: skip
def test_every_text_field_has_a_length_limit(changes: dict[str, Any], expected: str) -> None:
    assert _message(**changes) == expected


def test_limits_at_the_edge_are_accepted() -> None:
    paper = _validate(title="t" * 1_000, abstract="a" * 20_000, authors=["a" * 300] * 1_000)
    assert (len(paper.title), len(paper.authors)) == (1_000, 1_000)


def test_every_text_field_is_capped() -> None:
    for spec in FIELD.values():
        if spec.kind in ("text", "list"):
            assert spec.max_length > 0, spec.name
        if spec.kind == "list":
            assert spec.max_items > 0, spec.name
