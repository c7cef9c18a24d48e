"""Property tests: export -> import -> export is the identity, and import never loses a paper.

Catalogs are generated the way the schema accepts them (single-line titles, http(s) URLs
without spaces or quotes, built-in venues) with unique titles and arXiv ids, so no two
generated papers are duplicates of each other.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechcompress.catalog import parse_catalog
from speechcompress.importers.bibtex import parse_bibtex
from speechcompress.importers.markdown import parse_markdown
from speechcompress.importing import plan_import
from speechcompress.paper import Catalog, Paper
from speechcompress.render.bibtex import render_bibtex
from speechcompress.render.markdown import render_markdown
from speechcompress.source import load_catalog
from speechcompress.text import normalized_title
from speechcompress.vocab import BUILTIN_VENUES, Vocabulary
from speechcompress.writer import add_papers, insert_papers, new_catalog_text

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
VENUES = [v.name for v in BUILTIN_VENUES]

# Any printable character: letters of every script, symbols, Markdown and HTML syntax
# (not the bidirectional controls, which validation refuses).
title_chars = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn"),
    blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
titles = st.text(title_chars, min_size=1, max_size=40).filter(lambda t: t.strip())
hostile = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "|",
        "`",
        "<script>",
        "\\",
        "*",
        "_",
        "[[x](y)]",
        "](",
        ")]",
        "<!-- scc:start -->",
        "# ",
        "- ",
        "&amp;",
        "\u00a0",
    ]
)
# A title without a letter or digit has no normalized form to compare (see duplicates.py).
mixed_titles = (
    st.lists(st.one_of(titles, hostile), min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda t: bool(normalized_title(t)))
)

url_chars = st.sampled_from(
    string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%|\\`{}^" + "éü中"
)
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}.org/{path}",
    st.sampled_from(["http", "https"]),
    st.text(string.ascii_lowercase, min_size=1, max_size=8),
    st.text(url_chars, max_size=20),
)


@st.composite
def arxiv_ids(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        year, month = draw(st.integers(15, 26)), draw(st.integers(1, 12))
        return f"{year:02d}{month:02d}.{draw(st.integers(0, 99999)):05d}"
    archive = draw(st.sampled_from(["cs", "hep-th", "math.GT", "eess.AS"]))
    return f"{archive}/{draw(st.integers(9101, 9912)):04d}{draw(st.integers(0, 999)):03d}"


names = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=10)


@st.composite
def papers(draw: st.DrawFn, index: int) -> Paper:
    return Paper(
        id=f"p{index}",
        title=draw(mixed_titles),
        year=draw(st.integers(1990, 2030)),
        venue=draw(st.sampled_from(VENUES)),
        authors=tuple(draw(st.lists(st.builds(lambda a, b: f"{a} {b}", names, names), max_size=3))),
        venue_url=draw(st.none() | urls),
        arxiv=draw(st.none() | arxiv_ids()),
        code=draw(st.none() | urls),
    )


text_line = (
    st.text(
        st.sampled_from(string.ascii_letters + string.digits + " .,;:!?'\"()éß中"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda s: bool(s) and not s.startswith(("-", "+", "*")))
)


def section(heading: str, body: str, items: list[str]) -> str:
    """A footer section: ``## heading``, paragraphs, then a bullet list."""
    return f"## {heading}\n\n{body}\n\n" + "\n".join(f"- {item}" for item in items)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    count = draw(st.integers(1, 8))
    drawn: list[Paper] = []
    seen_titles: set[str] = set()
    seen_arxiv: set[str] = set()
    for i in range(count):
        paper = draw(papers(i))
        key = normalized_title(paper.title)
        if key in seen_titles or (paper.arxiv and paper.arxiv in seen_arxiv):
            continue
        seen_titles.add(key)
        if paper.arxiv:
            seen_arxiv.add(paper.arxiv)
        drawn.append(paper)
    paragraphs = st.lists(
        st.lists(text_line, min_size=1, max_size=3).map("\n".join), max_size=3
    ).map("\n\n".join)
    description = draw(paragraphs)
    footer = draw(
        st.one_of(
            st.just(""),
            paragraphs,
            st.builds(
                section,
                text_line.filter(lambda s: not s[:4].isdigit()),
                paragraphs.filter(bool),
                st.lists(text_line, max_size=3),
            ),
        )
    ).strip()
    title = draw(text_line.filter(lambda s: not s.endswith("#")))
    return Catalog(title, description, footer, (), tuple(drawn))


def file_catalog(catalog: Catalog, folder: Path) -> Catalog:
    """``catalog`` written as a TOML file by scc's writer and read back by its loader."""
    text = insert_papers(
        new_catalog_text(catalog.title, catalog.description, (), catalog.footer), catalog.papers
    )
    return parse_catalog(text, folder / "generated.toml")


def reimport(markdown: str, folder: Path) -> Catalog:
    """What ``scc import README.md --db NEW.toml`` makes of ``markdown``."""
    parsed = parse_markdown(markdown)
    plan = plan_import(parsed, None)
    assert plan.problems == []
    assert plan.skipped == []
    target = folder / "imported.toml"
    add_papers(
        target,
        plan.added,
        create=(parsed.title, parsed.description, parsed.footer),
        venues=plan.new_venues,
    )
    return load_catalog(target, use_cache=False)


def shown(paper: Paper) -> tuple[object, ...]:
    """What the Markdown list shows of a paper (titles with whitespace runs collapsed)."""
    return (
        " ".join(paper.title.split()),
        paper.year,
        paper.venue,
        paper.venue_url,
        paper.arxiv,
        paper.code,
    )


@SETTINGS
@given(catalogs())
def test_export_import_export_is_identical_and_no_paper_is_lost(generated: Catalog) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = file_catalog(generated, folder)
        first = render_markdown(catalog)
        imported = reimport(first, folder)
        assert render_markdown(imported) == first
        # Every paper once, in the order the list shows them (years newest first).
        by_year = sorted(enumerate(catalog.papers), key=lambda ip: (-ip[1].year, ip[0]))
        assert [shown(p) for p in imported.papers] == [shown(p) for _, p in by_year]
        assert (imported.title, imported.description, imported.footer) == (
            catalog.title,
            catalog.description,
            catalog.footer,
        )


@SETTINGS
@given(catalogs())
def test_importing_a_catalogs_own_list_duplicates_nothing(generated: Catalog) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        catalog = file_catalog(generated, Path(tmp))
        plan = plan_import(parse_markdown(render_markdown(catalog)), catalog)
        assert plan.problems == []
        assert plan.added == []
        assert sorted(d.existing.id for d in plan.skipped) == sorted(p.id for p in catalog.papers)


# Letters LaTeX has accents for (pylatexenc can only approximate ħ or Ŀ), plus other scripts
# for the UTF-8 output.
LATIN = (
    string.ascii_letters + "äöüÄÖÜßéèêëÉÈáàâãÁÀÂÃíìîïñÑóòôõøØúùûçÇłŁšŠžŽčČřŘőűŰåÅæÆœŒğşıİąęćńśźż"
)
OTHER_SCRIPTS = "中文語音Жжλ"


def bib_text(letters: str) -> st.SearchStrategy[str]:
    chars = st.sampled_from(letters + string.digits + " .,:;!?()[]|<>&%$#_{}~^\\'/+=*@")
    return (
        st.text(chars, min_size=1, max_size=40)
        .map(lambda s: " ".join(s.split()))
        .filter(
            # TeX ligatures (-- and quotes) are TeX, not text.
            lambda s: bool(s) and "--" not in s
        )
    )


def bib_names(letters: str) -> st.SearchStrategy[list[str]]:
    name = st.text(st.sampled_from(letters), min_size=1, max_size=10)
    return st.lists(st.builds(lambda a, b: f"{a} {b}", name, name), max_size=3)


@SETTINGS
@given(st.data(), st.sampled_from(["natbib", "biblatex"]), st.booleans())
def test_bibtex_export_imports_back_to_the_same_text(
    data: st.DataObject,
    style: str,
    ascii_only: bool,
) -> None:
    letters = LATIN if ascii_only else LATIN + OTHER_SCRIPTS
    row = st.tuples(bib_text(letters), bib_names(letters), st.sampled_from(VENUES))
    rows = data.draw(st.lists(row, min_size=1, max_size=5))
    vocab = Vocabulary()
    papers = [
        Paper(
            id=f"p{i}",
            title=t,
            year=2023,
            venue=v,
            authors=tuple(a),
            arxiv=f"2301.{i:05d}" if v == "arXiv" else None,
        )
        for i, (t, a, v) in enumerate(rows)
    ]
    text = render_bibtex(papers, vocab, style=style, ascii_only=ascii_only)
    assert text.isascii() or not ascii_only
    parsed = parse_bibtex(text, vocab)
    assert parsed.problems == []
    assert [(p["title"], p.get("authors", []), p["venue"]) for _, p in parsed.papers] == [
        (p.title, list(p.authors), p.venue) for p in papers
    ]
