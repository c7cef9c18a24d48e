"""The search query language and ranking: examples and Hypothesis properties."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from speechcompress import load_catalog
from speechcompress.errors import UsageError
from speechcompress.paper import Catalog, Paper
from speechcompress.search import Hit, parse_query, search_papers, within_edits
from speechcompress.text import fold, normalized_title, words

FAST = settings(max_examples=75, deadline=None, database=None)
MINI = Path(__file__).parent / "fixtures" / "mini.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(MINI, use_cache=False)


def found(catalog: Catalog, query: str, papers: tuple[Paper, ...] | None = None) -> list[str]:
    return [h.paper.id for h in hits(catalog, query, papers)]


def hits(catalog: Catalog, query: str, papers: tuple[Paper, ...] | None = None) -> list[Hit]:
    return search_papers(catalog.papers if papers is None else papers, parse_query(query, catalog))


def paper(pid: str, title: str, year: int = 2022, **fields: object) -> Paper:
    return Paper(id=pid, title=title, year=year, venue="arXiv", **fields)  # type: ignore[arg-type]


# --- the query parser ----------------------------------------------------------------------------


def test_words_become_separate_terms(catalog: Catalog) -> None:
    terms = parse_query("Pruning  HuBERT", catalog)
    assert [(t.words, t.field) for t in terms] == [(("pruning",), None), (("hubert",), None)]


def test_a_quoted_phrase_is_one_term(catalog: Catalog) -> None:
    (term,) = parse_query('"Knowledge Distillation"', catalog)
    assert term.words == ("knowledge", "distillation")


def test_a_hyphenated_word_is_one_term_of_its_parts(catalog: Catalog) -> None:
    (term,) = parse_query("self-supervised", catalog)
    assert term.words == ("self", "supervised")


def test_field_prefixes(catalog: Catalog) -> None:
    terms = parse_query(
        "Author:Guimarães title:robust venue:icassp method:kd model:wavlm year:2021..2023", catalog
    )
    assert [t.field for t in terms] == ["author", "title", "venue", "method", "model", "year"]
    assert terms[0].words == ("guimaraes",)
    assert terms[2].value == "ICASSP"
    assert terms[3].value == "distillation"
    assert terms[5].years is not None and 2022 in terms[5].years and 2024 not in terms[5].years


def test_quoted_value_after_a_prefix(catalog: Catalog) -> None:
    (term,) = parse_query('title:"speech recognition"', catalog)
    assert (term.field, term.words) == ("title", ("speech", "recognition"))


def test_unknown_prefix_is_plain_words(catalog: Catalog) -> None:
    assert [t.words for t in parse_query("foo:bar", catalog)] == [("foo", "bar")]


def test_bare_prefix_is_a_usage_error_with_an_example(catalog: Catalog) -> None:
    with pytest.raises(UsageError) as caught:
        parse_query("pruning author:", catalog)
    assert caught.value.message == "nothing to search for after author:"
    assert caught.value.hint is not None and "author:watanabe" in caught.value.hint


def test_apostrophes_are_part_of_words(catalog: Catalog) -> None:
    assert [t.words for t in parse_query("don't prune Whisper's", catalog)] == [
        ("don", "t"),
        ("prune",),
        ("whisper", "s"),
    ]


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        ("", "empty query", None),
        ("  ", "empty query", None),
        ("!!! --", "empty query", None),
        ('"unbalanced', "unbalanced quotes", None),
        ("venue:interspeach", "unknown venue", "did you mean 'INTERSPEECH'?"),
        ("method:prunin", "unknown method", "did you mean 'pruning'?"),
        ("year:abc", "invalid year", None),
        ("year:2023..2021", "empty year range", "did you mean 2021..2023?"),
        ("author:!!", "nothing to search for", None),
    ],
)
def test_bad_queries_are_usage_errors(
    catalog: Catalog,
    query: str,
    message: str,
    hint: str | None,
) -> None:
    with pytest.raises(UsageError) as info:
        parse_query(query, catalog)
    assert info.value.exit_code == 2
    assert message in info.value.message
    if hint:
        assert info.value.hint == hint


# --- matching on the mini catalog ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("guimaraes", ["robustdistiller"]),  # accents folded
        ("GUIMARÃES", ["robustdistiller"]),
        ("Guimarães", ["robustdistiller"]),
        ("pruning", ["dphubert", "lighthubert"]),
        ("prunning", ["dphubert", "lighthubert"]),  # a small typo
        ("selfsupervised", ["dphubert", "bigfoot"]),  # hyphens don't matter
        ("self supervised", ["dphubert", "bigfoot"]),
        ("self-supervised", ["dphubert", "bigfoot"]),
        ("Self-Supervised", ["dphubert", "bigfoot"]),
        ("pruning hubert", ["dphubert", "lighthubert"]),  # words AND
        ("pruning quantization", []),
        ('"distillation and pruning"', ["dphubert"]),  # a phrase keeps its word order
        ('"pruning and distillation"', []),
        ("pruning and distillation", ["dphubert", "lighthubert"]),  # "Lightweight and ..."
        ("author:peng", ["dphubert", "bigfoot"]),
        ("author:pruning", []),
        ("title:distillation", ["dphubert"]),
        ("venue:interspeech", ["dphubert", "lighthubert"]),
        ("venue:SustaiNLP", ["bigfoot"]),
        ("method:kd year:2023", ["dphubert", "robustdistiller"]),
        ("year:..2021", ["bigfoot"]),
        ("model:wav2vec", ["bigfoot"]),
        ("wav2vec2", ["bigfoot"]),  # "wav2vec 2.0" with the space squashed
        ("integers training data", ["q-asr"]),  # the summary is searched
        ("once-for-all supernet", ["lighthubert"]),
        ("zzzz", []),
    ],
)
def test_search_examples(catalog: Catalog, query: str, expected: list[str]) -> None:
    assert sorted(found(catalog, query)) == sorted(expected)


def test_field_prefix_narrows_a_plain_word(catalog: Catalog) -> None:
    # "peng" is in authors only; "hubert" is in titles and models
    assert found(catalog, "title:hubert") == [
        p for p in found(catalog, "hubert") if p in ("dphubert", "lighthubert")
    ]
    assert set(found(catalog, "model:hubert")) == {"dphubert", "robustdistiller", "lighthubert"}


def test_title_spans_mark_the_matched_words(catalog: Catalog) -> None:
    (hit, _) = hits(catalog, "pruning")
    assert hit.paper.id == "dphubert"
    assert [hit.paper.title[a:b] for a, b in hit.title_spans] == ["Pruning"]
    (hit,) = hits(catalog, "joint prunning")
    assert [hit.paper.title[a:b] for a, b in hit.title_spans] == ["Joint", "Pruning"]


# --- ranking -------------------------------------------------------------------------------------


def test_exact_match_ranks_above_a_typo_match(catalog: Catalog) -> None:
    papers = (
        paper("fuzzy", "Structured pruning of speech models", 2024),
        paper("exact", "Structured prunning of speech models", 2020),
    )
    assert found(catalog, "prunning", papers) == ["exact", "fuzzy"]
    assert found(catalog, "pruning", papers) == ["fuzzy", "exact"]


def test_exact_match_in_the_abstract_beats_a_fuzzy_match_in_the_title(catalog: Catalog) -> None:
    papers = (
        paper("title", "Quantizaton for speech", 2024),
        paper("abstract", "Something else", 2020, abstract="We study quantization."),
    )
    assert found(catalog, "quantization", papers) == ["abstract", "title"]


def test_prefix_match_ranks_between_exact_and_fuzzy(catalog: Catalog) -> None:
    papers = (
        paper("fuzzy", "Distilation", 2025),
        paper("prefix", "Distillations", 2024),
        paper("exact", "Distillation", 2023),
    )
    assert found(catalog, "distillation", papers) == ["exact", "prefix", "fuzzy"]


def test_title_match_ranks_above_summary_match(catalog: Catalog) -> None:
    papers = (
        paper("summary", "Something", 2025, summary="About pruning."),
        paper("title", "Pruning", 2020),
    )
    assert found(catalog, "pruning", papers) == ["title", "summary"]


def test_ties_keep_newest_first_then_catalog_order(catalog: Catalog) -> None:
    papers = (
        paper("a", "Pruning", 2021),
        paper("b", "Pruning", 2023),
        paper("c", "Pruning", 2021),
        paper("d", "Pruning", 2023),
    )
    assert found(catalog, "pruning", papers) == ["b", "d", "a", "c"]


# --- properties ----------------------------------------------------------------------------------

QUERY_PIECES = [
    "year:",
    "venue:",
    "method:",
    "author:",
    "title:",
    "model:",
    "year:2021..",
    "year:..",
    "venue:arxiv",
    "method:kd",
    '"',
    "'",
    ":",
    "-",
    "prunning",
    "Guimarães",
    "self-supervised",
    "\\",
    "*",
    "(",
    "ǅ",
    "İ",
    "\x00",
    "\t",
    "year:2022",
    "\U0001d525\U0001d532\U0001d51f\U0001d522\U0001d52f\U0001d531",
]  # Fraktur "hubert"


@FAST
@given(
    query=st.one_of(
        st.text(),
        st.lists(st.one_of(st.sampled_from(QUERY_PIECES), st.text(max_size=4)), max_size=6).map(
            " ".join
        ),
        st.lists(st.one_of(st.sampled_from(QUERY_PIECES), st.text(max_size=3)), max_size=6).map(
            "".join
        ),
    )
)
def test_search_never_raises_anything_but_usage_error(catalog: Catalog, query: str) -> None:
    try:
        terms = parse_query(query, catalog)
    except UsageError:
        return
    result = search_papers(catalog.papers, terms)
    assert {h.paper.id for h in result} <= {p.id for p in catalog.papers}


LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèüñçøßæåÅÉÖİ"
TITLE_WORD = st.text(alphabet=LETTERS, min_size=1, max_size=10)
SEPARATORS = st.sampled_from([" ", " ", "-", ": ", "'s ", ", ", " (", ") ", "/", " & ", ". "])


@st.composite
def titles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(TITLE_WORD, min_size=1, max_size=8))
    out = parts[0]
    for part in parts[1:]:
        out += draw(SEPARATORS) + part
    return out


@FAST
@given(title=titles(), others=st.lists(titles(), max_size=5), nfd=st.booleans())
def test_a_paper_finds_itself_by_its_exact_title_ranked_first(
    catalog: Catalog,
    title: str,
    others: list[str],
    nfd: bool,
) -> None:
    """Titles here hold no double quote: that is the phrase syntax."""
    papers = (*(paper(f"o{i}", t) for i, t in enumerate(others)), paper("self", title))
    query = unicodedata.normalize("NFD", title) if nfd else title
    result = hits(catalog, query, papers)
    assert "self" in [h.paper.id for h in result]
    best = max(h.score for h in result)
    assert next(h for h in result if h.paper.id == "self").score == best


ACCENTS = st.sampled_from(
    [
        "\u0301",
        "\u0300",
        "\u0302",
        "\u0303",
        "\u0308",
        "\u030a",
        "\u0327",
        "\u030c",
        "\u0304",
        "\u0306",
        "\u0328",
        "\u0307",
    ]
)


@st.composite
def accented(draw: st.DrawFn) -> tuple[str, str]:
    """(an ASCII name, the same name with accents on some letters, composed where possible)."""
    base = draw(
        st.text(
            alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12
        )
    )
    marked = "".join(c + (draw(ACCENTS) if draw(st.booleans()) else "") for c in base)
    return base, unicodedata.normalize("NFC", marked)


@FAST
@given(pair=accented())
def test_folding_strips_accents_and_case(pair: tuple[str, str]) -> None:
    base, name = pair
    assert fold(name) == base.lower()
    assert fold(name.upper()) == fold(name.lower()) == fold(name)


@FAST
@given(text=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F)))
def test_folding_latin_text_is_idempotent_and_case_blind(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(text.upper()) == fold(text.lower()) == folded
    assert not any(unicodedata.combining(c) for c in folded)


@FAST
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_words_fold_each_run_as_folding_the_whole_text(text: str) -> None:
    # words() folds runs of letters and digits one by one (cached); the definition folds
    # the whole text after turning separators into spaces. Both must give the same words.
    assert words(text) == re.findall(r"[^\W_]+", fold(re.sub(r"[\W_]+", " ", text)))


@FAST
@given(
    a=st.text(alphabet="abcdeé", max_size=12),
    b=st.text(alphabet="abcdeé", max_size=12),
    k=st.integers(min_value=0, max_value=3),
)
def test_within_edits_is_a_levenshtein_distance_of_at_most_k(a: str, b: str, k: int) -> None:
    from rapidfuzz.distance import Levenshtein

    assert within_edits(a, b, k) == (Levenshtein.distance(a, b) <= k)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str, int]:
    """A word, the word after k random edits, and k: never more than k apart."""
    word = draw(st.text(alphabet="abcdefgh", min_size=1, max_size=16))
    k = draw(st.integers(min_value=1, max_value=2))
    out = list(word)
    for _ in range(k):
        at = draw(st.integers(min_value=0, max_value=len(out)))
        op = draw(st.sampled_from(["insert", "delete", "substitute"]))
        if op == "insert" or not out:
            out.insert(at, draw(st.sampled_from("abcdefgh")))
        else:
            at = min(at, len(out) - 1)
            if op == "delete":
                del out[at]
            else:
                out[at] = draw(st.sampled_from("abcdefgh"))
    return word, "".join(out), k


@FAST
@given(case=edited())
def test_a_word_k_edits_away_is_within_k_edits(case: tuple[str, str, int]) -> None:
    word, typo, k = case
    assert within_edits(word, typo, k)
    assert within_edits(typo, word, k)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guimarães, Heitor R.", ["guimaraes", "heitor", "r"]),
        ("Øyvind Łukasz-Straße", ["oyvind", "lukasz", "strasse"]),
        ("25℃ résumé", ["25", "resume"]),  # ℃ is a symbol, though it folds to °C
    ],
)
def test_words_of_non_ascii_text(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@FAST
@given(pair=accented(), upper=st.booleans())
@example(pair=("LI", "LI"), upper=False)  # once found "Bo Li" too
@example(pair=("arXiv", "àrXiv"), upper=False)  # the venue of both papers
def test_an_accented_author_is_found_without_accents(
    catalog: Catalog,
    pair: tuple[str, str],
    upper: bool,
) -> None:
    base, name = pair
    # Everything but the name is digits or single letters, which no generated name (two
    # letters or more) can match: a name like "li" must not find another "Li".
    papers = (
        paper("accented", "1 2", authors=(f"A {name}",)),
        paper("other", "3 4", authors=("B. C.",)),
    )
    query = base.upper() if upper else base.lower()
    assert found(catalog, query, papers)[:1] == ["accented"]
    assert found(catalog, f"author:{query}", papers) == ["accented"]
    # and the other way round: the accented spelling finds the plain one
    plain = (paper("plain", "1 2", authors=(f"A {base}",)),)
    assert found(catalog, name, plain) == ["plain"]


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@FAST
@given(first=WORD.filter(lambda w: len(w) >= 3), second=WORD.filter(lambda w: len(w) >= 4))
def test_hyphens_and_spaces_between_words_do_not_matter(
    catalog: Catalog,
    first: str,
    second: str,
) -> None:
    papers = (
        paper("hyphen", f"{first.title()}-{second} models"),
        paper("space", f"{first} {second.title()} models"),
        paper("joined", f"{first}{second} models"),
    )
    for query in (
        f"{first}{second}",
        f"{first} {second}",
        f"{first}-{second}",
        f"{first.upper()}-{second.upper()}",
    ):
        assert sorted(found(catalog, query, papers)) == ["hyphen", "joined", "space"], query


@FAST
@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=8),
    position=st.integers(0, 7),
    letter=st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
)
def test_one_typo_is_forgiven_and_exact_ranks_first(
    catalog: Catalog,
    word: str,
    position: int,
    letter: str,
) -> None:
    position %= len(word)
    typo = word[:position] + letter + word[position + 1 :]
    assume(typo != word)
    papers = (paper("right", f"On {word} models", 2025), paper("typo", f"On {typo} models", 2020))
    assert found(catalog, typo, papers) == ["typo", "right"]
    assert found(catalog, word, papers) == ["right", "typo"]


CATALOG_WORDS = sorted(
    {
        w
        for p in load_catalog(MINI, use_cache=False).papers
        for text in (p.title, p.summary or "", " ".join(p.authors))
        for w in words(text)
    }
)


@FAST
@given(a=st.sampled_from(CATALOG_WORDS), b=st.sampled_from(CATALOG_WORDS))
def test_words_and_together(catalog: Catalog, a: str, b: str) -> None:
    both = set(found(catalog, f"{a} {b}"))
    assert both == set(found(catalog, a)) & set(found(catalog, b))


@FAST
@given(a=st.sampled_from(CATALOG_WORDS), field=st.sampled_from(["author", "title", "model"]))
def test_a_field_prefix_only_narrows(catalog: Catalog, a: str, field: str) -> None:
    assert set(found(catalog, f"{field}:{a}")) <= set(found(catalog, a))


@FAST
@given(
    query=st.lists(
        st.sampled_from([*CATALOG_WORDS, "prunning", "year:2022..", "method:kd"]),
        min_size=1,
        max_size=3,
    ).map(" ".join)
)
def test_results_are_ordered_by_score_then_year_then_catalog_order(
    catalog: Catalog,
    query: str,
) -> None:
    order = {p.id: i for i, p in enumerate(catalog.papers)}
    keys = [(-h.score, -h.paper.year, order[h.paper.id]) for h in hits(catalog, query)]
    assert keys == sorted(keys)


# --- queries too big to run ----------------------------------------------------------------------


def test_a_huge_word_or_too_many_words_is_a_usage_error_not_a_traceback() -> None:
    from conftest import FIXTURES, run

    db = ["--db", str(FIXTURES / "mini.toml")]
    result = run("search", "a" * 1000, *db)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: a search word or phrase of 1000 characters is too long")
    result = run("search", *[f"w{i}" for i in range(2000)], *db)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: too many words in the query (2000; at most 32)")
    # The largest query allowed still runs (SQLite joins at most 64 tables).
    result = run("search", *["speech"] * 32, *db, "-f", "plain")
    assert result.exit_code == 0 and "dphubert" in result.stdout
    result = run("search", "a" * 100, *db)
    assert result.exit_code == 1


@given(st.text(st.characters(max_codepoint=0x17F), max_size=40))
def test_a_normalized_title_is_its_words_joined(title: str) -> None:
    assert normalized_title(title) == "".join(words(title))
