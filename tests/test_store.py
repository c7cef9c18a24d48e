"""The derived index (index_build.py, index_query.py) answers exactly as the parsed catalog does."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from speechcompress import index_build, index_codec, index_query
from speechcompress.catalog import parse_catalog
from speechcompress.fs import cache_dir
from speechcompress.index_query import CatalogIndex
from speechcompress.paper import Catalog, Paper
from speechcompress.search import parse_query
from speechcompress.source import MemorySource, PaperSource, open_source, parse_file


def open_index(path: Path, parsed: Catalog | None = None) -> CatalogIndex | None:
    file = index_codec.index_file(path)
    assert file is not None

    def fallback(catalog: Catalog | None) -> PaperSource:
        return MemorySource(catalog or parse_file(path))

    return index_query.open_index(path, file, fallback, parsed)


WORDS = [
    "self",
    "supervised",
    "selfsupervised",
    "self-supervised",
    "pruning",
    "prune",
    "prunning",
    "distil",
    "distillation",
    "hubert",
    "wav2vec",
    "Guimarães",
    "guimaraes",
    "whisper",
    "low-rank",
    "lowrank",
    "ASR",
    "head",
    "heads",
    "layer",
    "layers",
]
QUERIES = [
    "pruning",
    "prunning",
    "prun",
    "selfsupervised",
    "self supervised",
    "self-supervised",
    '"self supervised"',
    "guimaraes",
    "Guimarães",
    "hubert pruning",
    "author:peng",
    "title:hubert",
    "model:wav2vec",
    "method:kd",
    "venue:interspeech",
    "year:2022..",
    "supervised",
    "lowrank",
    "low rank",
    "heads",
    "layer year:2023",
    "zzzz",
]


def build(catalog_path: Path) -> tuple[CatalogIndex, MemorySource]:
    memory = open_source(catalog_path, use_cache=False)
    assert isinstance(memory, MemorySource)
    index_build.build_index(catalog_path, memory.catalog())
    index = open_index(catalog_path)
    assert index is not None
    return index, memory


def same_hits(index: CatalogIndex, memory: MemorySource, query: str) -> None:
    terms = parse_query(query, memory.header)
    expected = [(h.paper.id, h.score, h.title_spans) for h in memory.search(terms)]
    got = [(h.paper.id, h.score, h.title_spans) for h in index.search(terms)]
    assert got == expected, query
    assert [h.paper for h in index.search(terms)] == [h.paper for h in memory.search(terms)]


@pytest.mark.parametrize("query", QUERIES)
def test_index_search_ranks_exactly_like_the_in_memory_search(query: str) -> None:
    index, memory = build(FIXTURES / "mini.toml")
    same_hits(index, memory, query)


def test_index_search_respects_limit_after_ranking() -> None:
    index, memory = build(FIXTURES / "mini.toml")
    terms = parse_query("distillation", memory.header)
    assert [h.paper.id for h in index.search(terms, limit=2)] == [
        h.paper.id for h in memory.search(terms)[:2]
    ]


def test_index_gives_back_every_paper_and_finds_by_id_or_arxiv() -> None:
    index, memory = build(FIXTURES / "mini.toml")
    assert index.papers() == memory.papers()
    assert [p.line for p in index.papers()] == [p.line for p in memory.papers()]
    assert index.catalog() == memory.catalog()
    light = index.papers(full=False)
    assert [p.id for p in light] == [p.id for p in memory.papers()]
    assert all(p.summary is None and p.abstract is None for p in light)
    assert index.find("dphubert") == memory.find("dphubert")
    assert index.find("2305.17651v3") == memory.find("2305.17651v3")
    assert index.find("nope") is None and index.count() == len(memory.papers())


# --- property: any catalog, any query made of catalog-ish words -------------------------------


def _title(words: list[str]) -> str:
    return " ".join(words)


papers = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
        st.lists(st.sampled_from(WORDS), max_size=12),
        st.integers(2019, 2026),
        st.lists(st.sampled_from(["HuBERT", "wav2vec 2.0", "WavLM"]), max_size=2, unique=True),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=papers, query=st.lists(st.sampled_from([*WORDS, *QUERIES]), min_size=1, max_size=3))
def test_property_index_and_memory_search_agree(
    tmp_path_factory: pytest.TempPathFactory, data: list, query: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    catalog = Catalog(
        title="T",
        papers=tuple(
            Paper(
                id=f"p{i}",
                title=_title(t),
                year=y,
                venue="arXiv",
                abstract=_title(a) or None,
                models=tuple(m),
                methods=("pruning",) if i % 2 else ("distillation",),
            )
            for i, (t, a, y, m) in enumerate(data)
        ),
    )
    from speechcompress.writer import add_papers

    path = folder / "c.toml"
    add_papers(path, catalog.papers, create=("T", ""))
    index, memory = build(path)
    same_hits(index, memory, " ".join(query))


# --- freshness, corruption, concurrency ---------------------------------------------------------


def test_stale_index_is_not_opened(mini: Path) -> None:
    build(mini)
    assert open_index(mini) is not None
    mini.write_text(mini.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert open_index(mini) is None


def test_index_of_another_path_is_never_used(mini: Path, tmp_path: Path) -> None:
    build(mini)
    twin = tmp_path / "twin.toml"
    twin.write_bytes(mini.read_bytes())
    assert open_index(twin) is None


def test_an_index_of_another_scc_version_is_replaced_not_kept(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(mini)
    folder = Path(cache_dir()) / "catalogs"
    monkeypatch.setattr(index_codec, "__version__", "0.0.0-older")
    assert open_index(mini) is None  # never reused by another version
    open_source(mini)
    assert open_index(mini) is not None
    assert len(list(folder.glob("*.sqlite"))) == 1  # the old one was replaced


def test_a_build_clears_what_no_catalog_will_read_again(mini: Path, tmp_path: Path) -> None:
    import os
    import shutil

    folder = Path(cache_dir()) / "catalogs"
    other = tmp_path / "other.toml"
    shutil.copy(mini, other)
    gone = tmp_path / "gone.toml"
    shutil.copy(mini, gone)
    for catalog in (other, gone):
        open_source(catalog)
    (mine,) = [f for f in folder.glob("*.sqlite") if index_build.catalog_of(f) == other.resolve()]
    shutil.copy(mine, folder / "0badname.sqlite")  # as older scc versions named them
    (folder / "junk.sqlite").write_bytes(b"not an index")
    old_tmp, new_tmp = folder / ".tmp-old.sqlite", folder / ".tmp-new.sqlite"
    old_tmp.write_bytes(b"")
    new_tmp.write_bytes(b"")  # another scc may be building right now
    os.utime(old_tmp, (0, 0))
    gone.unlink()

    open_source(mini)  # a build

    found = index_codec.index_file(mini)
    assert found is not None
    assert sorted(f.name for f in folder.iterdir()) == sorted([found.name, mine.name, new_tmp.name])


def test_corrupt_index_is_ignored_and_rebuilt(mini: Path) -> None:
    build(mini)
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    index_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert open_index(mini) is None
    source = open_source(mini)  # parsed again, and indexed again
    assert source.papers() == open_source(mini, use_cache=False).papers()
    assert open_index(mini) is not None


def _damage(index_file: Path, *tables: str) -> None:
    """Overwrite the first page of each table's data, as a bad disk block would."""
    with sqlite3.connect(index_file) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
            for t in tables
        ]
    with index_file.open("r+b") as raw:
        for root in roots:
            raw.seek((root - 1) * page_size)
            raw.write(b"\xa5" * page_size)


@pytest.mark.parametrize(
    "ask",
    [
        lambda source: [p.id for p in source.papers()],
        lambda source: [p.id for p in source.papers(full=False)],
        lambda source: source.count(),
        lambda source: source.model_names(),
        lambda source: source.find("lighthubert"),
        lambda source: [p.id for p in source.catalog().papers],
        lambda source: [h.paper.id for h in source.search(parse_query("hubert", source.header))],
        lambda source: [
            h.paper.id for h in source.search(parse_query("distilation", source.header))
        ],
    ],
)
@pytest.mark.parametrize("table", ["papers", "texts", "words_data", "terms"])
def test_a_damaged_index_is_never_trusted(
    mini: Path, ask: Callable[[PaperSource], object], table: str
) -> None:
    expected = ask(open_source(mini, use_cache=False))
    open_source(mini).search(parse_query("x", open_source(mini).header))  # fill every table
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    _damage(index_file, table)
    source = open_source(mini)
    assert isinstance(source, CatalogIndex)  # its identity still matches
    assert ask(source) == expected
    assert ask(open_source(mini)) == expected


def test_a_damaged_index_is_replaced(mini: Path) -> None:
    open_source(mini)
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    _damage(index_file, "papers")
    assert not index_codec.verify(index_file)
    # Its identity still matches, so it opens; its CRC is checked beside the first query,
    # which is answered from the file once the CRC disagrees, and the index built anew.
    damaged = open_index(mini)
    assert damaged is not None
    assert [p.id for p in damaged.papers()] == [p.id for p in parse_file(mini).papers]
    assert damaged._fallback is not None
    assert index_codec.verify(index_file)
    assert isinstance(open_source(mini), CatalogIndex)
    assert open_index(mini) is not None


def test_damage_found_while_filling_the_word_table_rebuilds_the_index(mini: Path) -> None:
    open_source(mini)  # a first load: the word table is left for the first search
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    _damage(index_file, "words_data")  # the papers can still be read
    source = open_source(mini)
    terms = parse_query("hubert", source.header)
    memory = open_source(mini, use_cache=False)
    assert [h.paper.id for h in source.search(terms)] == [h.paper.id for h in memory.search(terms)]
    assert index_codec.verify(index_file)  # built anew from the file
    again = open_source(mini)
    assert isinstance(again, CatalogIndex)
    assert [h.paper.id for h in again.search(terms)] == [h.paper.id for h in memory.search(terms)]
    assert again._meta("words") == "1"  # the next search filled the new index's words


def test_a_busy_index_answers_from_the_file_and_is_kept(mini: Path) -> None:
    source = open_source(mini)
    assert isinstance(source, CatalogIndex)
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    source._conn.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(index_file)
    other.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        expected = [p.id for p in open_source(mini, use_cache=False).papers()]
        assert [p.id for p in source.papers()] == expected
        assert [h.paper.id for h in source.search(parse_query("hubert", source.header))] == [
            h.paper.id
            for h in open_source(mini, use_cache=False).search(parse_query("hubert", source.header))
        ]
    finally:
        other.rollback()
        other.close()
    assert open_index(mini) is not None  # busy is not damaged: the index stays


@pytest.mark.parametrize(
    ("name", "failure"),
    [
        ("SQLITE_CORRUPT", "damaged"),
        ("SQLITE_CORRUPT_VTAB", "damaged"),  # what FTS5 reports for its own pages
        ("SQLITE_NOTADB", "damaged"),
        ("SQLITE_BUSY", "unreadable"),
        ("SQLITE_IOERR_SHORT_READ", "unreadable"),
        ("SQLITE_ERROR", None),  # a mistake in scc's SQL
        (None, None),  # no SQLite code at all, e.g. a closed connection
    ],
)
def test_which_sqlite_failures_are_the_files(name: str | None, failure: str | None) -> None:
    error = sqlite3.DatabaseError("boom")
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    assert index_query._file_failure(error) == failure


def test_a_mistake_in_the_index_sql_is_not_answered_around(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = open_source(mini)
    assert isinstance(source, CatalogIndex)
    monkeypatch.setattr(index_query, "_select_from", lambda full: "no_such_column FROM papers")
    with pytest.raises(sqlite3.OperationalError):
        source.papers()


def test_a_damaged_index_does_not_break_the_cli(mini: Path) -> None:
    from typer.testing import CliRunner

    from speechcompress.cli.app import make_app

    runner = CliRunner()
    db = ["--db", str(mini), "--format", "plain"]
    expected = runner.invoke(make_app(None), ["search", "hubert", *db, "--no-cache"]).stdout
    runner.invoke(make_app(None), ["search", "hubert", *db])
    (index_file,) = (Path(cache_dir()) / "catalogs").glob("*.sqlite")
    _damage(index_file, "papers", "words_data")
    result = runner.invoke(make_app(None), ["search", "hubert", *db])
    assert (result.exit_code, result.stdout) == (0, expected)


def test_first_search_fills_the_word_index_once(mini: Path) -> None:
    index, memory = build(mini)
    assert index._meta("words") == "0"
    terms = parse_query("distillation", memory.header)
    assert [h.paper.id for h in index.search(terms)] == [h.paper.id for h in memory.search(terms)]
    assert index._meta("words") == "1"
    again = open_index(mini)
    assert again is not None and again._meta("words") == "1"
    assert [h.paper.id for h in again.search(terms)] == [h.paper.id for h in memory.search(terms)]


def test_search_works_when_the_index_cannot_be_written(mini: Path) -> None:
    index, memory = build(mini)
    index._file = mini.parent / "no" / "such" / "folder" / "index.sqlite"
    terms = parse_query("pruning", memory.header)
    assert [h.paper.id for h in index.search(terms)] == [h.paper.id for h in memory.search(terms)]


def _build_in_child(path: str) -> None:
    catalog = parse_catalog(Path(path).read_text(encoding="utf-8"), Path(path))
    for _ in range(5):
        index_build.build_index(Path(path), catalog)


def test_two_processes_building_at_once_leave_a_whole_index(mini: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=_build_in_child, args=(str(mini),)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    index = open_index(mini)
    assert index is not None
    assert [p.id for p in index.papers()] == [
        p.id for p in open_source(mini, use_cache=False).papers()
    ]
    leftovers = [p for p in (Path(cache_dir()) / "catalogs").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_index_is_read_only(mini: Path) -> None:
    index, _ = build(mini)
    with pytest.raises(sqlite3.OperationalError):
        index._conn.execute("DELETE FROM papers")


def test_ascii_symbols_split_words_in_the_index_as_in_memory(tmp_path: Path) -> None:
    """ASCII fields go into FTS5 unsplit: its tokenizer must split them like text.words()."""
    from speechcompress.writer import add_papers

    titles = [
        "a+b c$d e^f",
        "g|h i~j k`l",
        "m<n>o p=q r_s",
        "t'u v@w x#y",
        "z&a b%c d*e",
        "f\\g h/i j:k",
    ]
    papers = [
        Paper(id=f"p{i}", title=t, year=2020, venue="arXiv", abstract=f"{t}\tend\nline")
        for i, t in enumerate(titles)
    ]
    path = tmp_path / "c.toml"
    add_papers(path, papers, create=("T", ""))
    index, memory = build(path)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        same_hits(index, memory, letter)
    same_hits(index, memory, "end line")


filter_options = st.fixed_dictionaries(
    {},
    optional={
        "years": st.lists(
            st.sampled_from(["2021", "2022..", "..2021", "2022..2023", "2023"]), max_size=2
        ),
        "venues": st.lists(
            st.sampled_from(["INTERSPEECH", "icassp", "arXiv", "SustaiNLP"]), max_size=2
        ),
        "methods": st.lists(
            st.sampled_from(["kd", "pruning", "quantization", "low-rank"]), max_size=2
        ),
        "models": st.lists(st.sampled_from(["hubert", "WavLM", "wav2vec"]), max_size=2),
        "authors": st.lists(st.sampled_from(["peng", "guimaraes", "wang", "zz"]), max_size=2),
        "has_code": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(options=filter_options)
def test_property_index_filters_exactly_like_memory(options: dict) -> None:
    from speechcompress.query import build_filters

    index, memory = build(FIXTURES / "mini.toml")
    assert index.model_names() == memory.model_names()
    filters = build_filters(memory.header, **options)
    for full in (True, False):
        expected = [p.id for p in memory.filtered(filters)]
        assert [p.id for p in index.filtered(filters, full=full)] == expected


@pytest.mark.parametrize("query", ["pruning", "hubert distillation", "year:2022.."])
def test_brief_search_hits_carry_what_a_listing_shows(query: str) -> None:
    index, memory = build(FIXTURES / "mini.toml")
    terms = parse_query(query, memory.header)
    brief = index.search(terms, full=False)
    whole = memory.search(terms)
    assert [(h.paper.id, h.score) for h in brief] == [(h.paper.id, h.score) for h in whole]
    for b, w in zip(brief, whole, strict=True):
        shown = ("id", "title", "year", "venue", "methods")
        assert [getattr(b.paper, f) for f in shown] == [getattr(w.paper, f) for f in shown]
        assert b.title_spans == w.title_spans


def test_a_word_with_too_many_splits_is_searched_in_memory(tmp_path: Path) -> None:
    """ "aaaa...": every run of a's is a vocabulary word, so the splits explode."""
    from speechcompress.writer import add_papers

    titles = ["a aa aaa aaaa", "aaaaa aaaaaa", "aaaaaaaaaaaa b", "c d"]
    papers = [Paper(id=f"p{i}", title=t, year=2020, venue="arXiv") for i, t in enumerate(titles)]
    path = tmp_path / "c.toml"
    add_papers(path, papers, create=("T", ""))
    index, memory = build(path)
    same_hits(index, memory, "aaaaaaaaaaaa")
    same_hits(index, memory, "aaaaaaaaaaaa b")


def test_a_first_load_keeps_what_it_parsed_and_searches_alike(mini: Path) -> None:
    cold = open_source(mini)  # parses, indexes, and keeps the parsed catalog
    assert isinstance(cold, CatalogIndex)
    warm = open_index(mini)
    assert warm is not None
    assert cold.catalog() == warm.catalog()
    terms = parse_query("distillation hubert", cold.header)
    assert [(h.paper.id, h.score) for h in cold.search(terms)] == [
        (h.paper.id, h.score) for h in MemorySource(warm.catalog()).search(terms)
    ]
