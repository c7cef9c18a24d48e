"""The Atom feed of new papers, read back with feedparser."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from speechcompress import load_catalog
from speechcompress.render.atom import added_date, newest_first, render_atom

CATALOG = Path(__file__).resolve().parents[1] / "data" / "papers.toml"
feedparser = pytest.importorskip("feedparser")


def test_the_feed_is_valid_atom_newest_additions_first() -> None:
    catalog = load_catalog(CATALOG, use_cache=False)
    text = render_atom(catalog.papers, catalog, site_url="https://x.example/papers/", limit=50)
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == catalog.title
    assert len(feed.entries) == 50
    dates = [e.updated_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    expected = newest_first(catalog.papers)[:50]
    assert [e.title for e in feed.entries] == [p.title for p in expected]
    first = feed.entries[0]
    assert first.link == f"https://x.example/papers/#{expected[0].id}"
    assert [a.name for a in first.authors] == list(expected[0].authors)
    assert len({e.id for e in feed.entries}) == 50


def test_entries_link_to_the_paper_without_a_site_url() -> None:
    mini = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    feed = feedparser.parse(render_atom(mini.papers, mini))
    assert not feed.bozo
    dphubert = next(e for e in feed.entries if e.title.startswith("DPHuBERT"))
    assert dphubert.link.startswith("https://www.isca-speech.org/")
    assert {t.term for t in dphubert.tags} >= {"pruning", "HuBERT"}
    assert feed.feed.id.startswith("urn:uuid:")


def test_markup_in_titles_is_text(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.toml").read_text(encoding="utf-8")
    hostile = "A <b>bold</b> & </title> title"
    text = text.replace(
        'title = "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models"',
        f"title = {json.dumps(hostile)}",
    )
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    catalog = load_catalog(tmp_path / "c.toml", use_cache=False)
    feed = feedparser.parse(render_atom(catalog.papers, catalog))
    assert not feed.bozo
    assert hostile in [e.title for e in feed.entries]


def test_the_added_date_is_used_when_papers_have_one() -> None:
    mini = load_catalog(FIXTURES / "mini.toml", use_cache=False)

    class Added:
        def __init__(self, paper: object, added: dt.date) -> None:
            self._paper, self.added = paper, added

        def __getattr__(self, name: str) -> object:
            return getattr(self._paper, name)

    paper = mini.papers[0]
    assert added_date(Added(paper, dt.date(2030, 1, 2))) == dt.date(2030, 1, 2)  # type: ignore[arg-type]
    assert added_date(paper) == (paper.published or dt.date(paper.year, 1, 1))
