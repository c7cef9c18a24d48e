"""The Pydantic-free validator accepts only what Pydantic accepts, as Pydantic would.

``fast_validate`` may leave any table to Pydantic (None); what it accepts must be valid
and give the very record Pydantic gives. Hypothesis builds tables field by field from
values valid and not (wrong types, bools for numbers, one character over a limit,
control and bidi characters, blanks, unknown venues and methods, unknown keys); the
bundled catalog and a generated one must go through the fast path whole, or it would
save nothing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from speechcompress.catalog import parse_catalog
from speechcompress.fast_validate import accept_header, accept_paper
from speechcompress.models import CatalogHeader, validate_paper
from speechcompress.paper import FIELDS, Catalog, FieldSpec
from speechcompress.vocab import Venue, Vocabulary

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = Vocabulary.with_extra_venues([Venue("SLT", "conference", "Spoken LT", ("slt ws",))])

_ODD = st.sampled_from(
    [
        "",
        " ",
        "  padded  ",
        "line\nbreak",
        "tab\there",
        "esc\x1b[31m",
        "c1\x9b",
        "bidi\u202e",
        "NUL\x00",
        "Ünïcödé title",
        "https://example.org/a b",
    ]
)
_WRONG = st.one_of(
    st.integers(-5, 3000),
    st.booleans(),
    st.floats(allow_nan=False),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


def _sized(limit: int) -> st.SearchStrategy[str]:
    """Texts at and just past a length limit."""
    return st.sampled_from([limit, limit + 1]).map(lambda n: "a" * n) if limit else st.just("a")


_WORDS = st.text(
    st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=8
)
_PLAIN = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join)

# Values that pass each rule, and values that break it.
_RULED: dict[str, tuple[list[Any], list[Any]]] = {
    "slug": (["dphubert", "a.b_c-1", "x", "2023"], ["Upper", "-dash", "a b", ""]),
    "venue": (["INTERSPEECH", "interspeech", "slt ws", "SLT", "  icassp "], ["Nowhere", ""]),
    "url": (["https://a.org/p", "http://x.y", "HTTPS://A.B/c?d=1"], ["ftp://a", "a.org", ""]),
    "arxiv": (["2305.17651", "cs/0112017", "1401.1234"], ["2305.17651v2", "2313.00001", ""]),
    "doi": (["10.21437/Interspeech.2023-1213", "10.1109/x"], ["doi:10.1/x", "10.1/", ""]),
}
_METHODS = ["pruning", "kd", "Distillation", "low rank", "quantization"]


def _spec(name: str) -> FieldSpec:
    return next(f for f in FIELDS if f.name == name)


def _valid(name: str) -> st.SearchStrategy[Any]:
    """Values Pydantic accepts for this field."""
    spec = _spec(name)
    if spec.rule in _RULED:
        return st.sampled_from(_RULED[spec.rule][0])
    if spec.rule == "methods":
        return st.lists(st.sampled_from(_METHODS), max_size=4)
    if spec.kind == "text":
        text = st.one_of(_PLAIN, st.just("a" * spec.max_length))
        return st.one_of(text, _PLAIN.map(lambda t: f"{t}\n\tmore")) if spec.multiline else text
    if spec.kind == "int":
        return st.integers(spec.low or 0, spec.high or 3000)
    if spec.kind == "date":
        return st.dates()
    return st.lists(st.one_of(_PLAIN, st.just("a" * spec.max_length)), max_size=4)


def _doubtful(name: str) -> st.SearchStrategy[Any]:
    """Values that may or may not pass: wrong types, limits + 1, odd characters."""
    spec = _spec(name)
    if spec.kind == "text":
        bad = _RULED[spec.rule][1] if spec.rule in _RULED else ["  "]
        return st.one_of(st.sampled_from(bad), _ODD, _sized(spec.max_length), _WRONG)
    if spec.kind == "int":
        low, high = spec.low or 0, spec.high or 3000
        return st.one_of(st.sampled_from([low - 1, high + 1, True, False, 2023.0, "2023"]), _WRONG)
    if spec.kind == "date":
        return st.one_of(st.datetimes(), st.sampled_from(["2023-05-28", 20230528]), _WRONG)
    item = st.one_of(_ODD, _sized(spec.max_length), st.integers(), st.just("magic"))
    return st.one_of(
        st.lists(st.one_of(item, _PLAIN), min_size=1, max_size=3),
        st.lists(st.just("x"), min_size=spec.max_items + 1, max_size=spec.max_items + 1),
        st.tuples(_PLAIN),
        _WRONG,
    )


_NAMES = [f.name for f in FIELDS]
_REQUIRED = ["id", "title", "year", "venue"]


@st.composite
def raw_papers(draw: st.DrawFn) -> dict[str, Any]:
    """A valid paper with a few optional fields, then up to two fields made doubtful,
    and now and then a required field dropped or an unknown key added."""
    names = dict.fromkeys(_REQUIRED + draw(st.lists(st.sampled_from(_NAMES), max_size=8)))
    raw = {name: draw(_valid(name)) for name in names}
    for name in draw(st.lists(st.sampled_from(_NAMES), max_size=2)):
        raw[name] = draw(_doubtful(name))
    change = draw(st.integers(0, 19))
    if change == 0:
        del raw[draw(st.sampled_from(_REQUIRED))]
    elif change == 1:
        raw["unknown_field"] = "x"
    return raw


def _by_pydantic(raw: dict[str, Any]) -> Any:
    try:
        return validate_paper(raw, VOCABULARY, 7)
    except ValidationError:
        return None


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_papers())
def test_an_accepted_paper_is_what_pydantic_makes_of_it(raw: dict[str, Any]) -> None:
    fast = accept_paper(raw, VOCABULARY, 7)
    if fast is not None:
        slow = _by_pydantic(raw)
        assert slow is not None, f"accepted what Pydantic refuses: {raw!r}"
        assert fast == slow and fast.line == slow.line == 7
        assert all(type(getattr(fast, f.name)) is type(getattr(slow, f.name)) for f in FIELDS)


def test_the_common_valid_cases_take_the_fast_path() -> None:
    raw = {
        "id": "dphubert",
        "title": "DPHuBERT",
        "authors": ["Yifan Peng", "Yui Sudo"],
        "year": 2023,
        "venue": "interspeech",
        "arxiv": "2305.17651",
        "doi": "10.21437/Interspeech.2023-1213",
        "methods": ["kd", "pruning", "distillation"],
        "published": dt.date(2023, 5, 28),
        "abstract": "Two lines\nwith a\ttab.",
    }
    fast = accept_paper(raw, VOCABULARY)
    assert fast is not None
    assert fast == validate_paper(raw, VOCABULARY)
    assert fast.venue == "INTERSPEECH" and fast.methods == ("distillation", "pruning")


@pytest.mark.parametrize(
    "change",
    [
        {"year": True},
        {"year": 2023.0},
        {"title": "   "},
        {"title": "A\u202eB"},
        {"venue": "Nowhere"},
        {"methods": ["magic"]},
        {"authors": [""]},
        {"authors": ["A B", 3]},
        {"models": [["HuBERT"]]},
        {"methods": [1]},
        {"tags": ("a",)},
        {"title": "x" * 1_001},
        {"published": dt.datetime(2023, 5, 28, 1, 2)},
        {"colour": "red"},
    ],
)
def test_anything_doubtful_is_left_to_pydantic(change: dict[str, Any]) -> None:
    raw = {"id": "p", "title": "T", "year": 2023, "venue": "ICASSP", **change}
    assert accept_paper(raw, VOCABULARY) is None


_HEADER_TEXT = st.one_of(_PLAIN, _PLAIN, _PLAIN, _ODD, _sized(1_000), _sized(300), _WRONG)


@st.composite
def raw_headers(draw: st.DrawFn) -> dict[str, Any]:
    header: dict[str, Any] = {"title": draw(st.one_of(st.just("Papers"), _HEADER_TEXT))}
    if draw(st.booleans()):
        header["description"] = draw(_HEADER_TEXT)
    if draw(st.booleans()):
        venue = {"kind": draw(st.sampled_from(["conference", "conference", "journal", "blog", 3]))}
        if draw(st.booleans()):
            venue["name"] = draw(_HEADER_TEXT)
        if draw(st.booleans()):
            venue["aliases"] = draw(st.lists(_HEADER_TEXT, max_size=3))
        if draw(st.integers(0, 9)) == 0:
            venue["colour"] = "red"
        header["venues"] = {draw(st.one_of(st.just("SLT"), _ODD)): venue}
    if draw(st.booleans()):
        header["official_hosts"] = draw(st.lists(_HEADER_TEXT, max_size=3))
    if draw(st.integers(0, 9)) == 0:
        header["subtitle"] = "x"
    return header


@settings(max_examples=800, deadline=None)
@given(raw_headers())
def test_an_accepted_header_is_what_pydantic_makes_of_it(raw: dict[str, Any]) -> None:
    fast = accept_header(raw)
    if fast is not None:
        try:
            slow = CatalogHeader.model_validate(raw)
        except ValidationError as exc:
            raise AssertionError(f"accepted what Pydantic refuses: {raw!r}") from exc
        expected = Catalog(
            slow.title,
            slow.description,
            slow.footer,
            slow.extra_venues(),
            official_hosts=tuple(slow.official_hosts),
        )
        assert fast == expected


def test_the_bundled_catalog_never_needs_pydantic() -> None:
    text = (ROOT / "data" / "papers.toml").read_text(encoding="utf-8")
    data = tomli.loads(text)
    header = accept_header(data["catalog"])
    assert header is not None and header.venues  # it declares venues of its own
    vocabulary = header.vocabulary
    assert all(accept_paper(raw, vocabulary) is not None for raw in data["papers"])
    # and the whole catalog reads the same either way
    assert parse_catalog(text, Path("papers.toml")).papers == tuple(
        validate_paper(raw, vocabulary) for raw in data["papers"]
    )


def test_a_generated_catalog_reads_without_importing_pydantic(tmp_path: Path) -> None:
    catalog = tmp_path / "papers.toml"
    gen = ROOT / "bench" / "gen_catalog.py"
    subprocess.run([sys.executable, str(gen), "300", str(catalog)], check=True)
    probe = (
        "import sys; from pathlib import Path; "
        "from speechcompress.catalog import parse_catalog; "
        f"c = parse_catalog(Path({str(catalog)!r}).read_text(), Path('p.toml')); "
        "print(len(c.papers), 'pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["300", "False"]


def test_the_quick_arxiv_match_agrees_with_the_full_rule_on_new_style_ids() -> None:
    from speechcompress import rules

    def full(value: str) -> bool:
        try:
            return bool(rules.ARXIV_ID.match(value)) and rules.check_new_style_arxiv(value) == value
        except ValueError:
            return False

    agreed = 0
    for yymm in range(10_000):
        for digits in (3, 4, 5, 6):
            value = f"{yymm:04d}.{'7' * digits}"
            assert bool(rules._NEW_STYLE.fullmatch(value)) == full(value), value
            agreed += full(value)
    # months 0704-1412 with 4 digits after the dot, 1501-9912 with 5
    assert agreed == (12 * 8 - 3) + 12 * (99 - 15 + 1)


@pytest.mark.parametrize("multiline", [False, True])
def test_plain_text_is_text_without_a_control_character(multiline: bool) -> None:
    from speechcompress import rules

    # The patterns are the definition; check_text itself asks plain() first.
    pattern = rules._CONTROL_MULTILINE if multiline else rules.CONTROL
    for code in [*range(0x100), 0x202E, 0x2066, 0x4E2D]:
        text = f"a{chr(code)}b"
        control = pattern.search(text) is not None
        assert not (rules.plain(text, multiline=multiline) and control), hex(code)
        if code < 0x80 and not control:
            assert rules.plain(text, multiline=multiline), hex(code)  # ASCII: answered fast
