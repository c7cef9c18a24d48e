"""CSL-JSON and RIS: each checked by a real consumer, not by string matching.

CSL-JSON is validated against a subset of the CSL 1.0.2 schema (``fixtures/csl-data.schema.json``:
no PyPI package ships the schema file) and rendered by citeproc-py; RIS is read back by rispy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from speechcompress import load_catalog
from speechcompress.paper import Catalog
from speechcompress.render.bibtex import citation_keys
from speechcompress.render.csljson import render_csljson
from speechcompress.render.names import split_name
from speechcompress.render.ris import render_ris

CATALOG = Path(__file__).resolve().parents[1] / "data" / "papers.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG, use_cache=False)


def test_csl_json_is_valid_against_the_schema(catalog: Catalog) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((FIXTURES / "csl-data.schema.json").read_text(encoding="utf-8"))
    items = json.loads(render_csljson(catalog.papers, catalog))
    jsonschema.validate(items, schema)
    assert [i["id"] for i in items] == citation_keys(catalog.papers)
    types = {i["type"] for i in items}
    assert {"paper-conference", "article"} <= types


def test_csl_json_items_carry_the_papers_facts() -> None:
    mini = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    items = {i["id"]: i for i in json.loads(render_csljson(mini.papers, mini))}
    dphubert = items["peng2023dphubert"]
    assert dphubert["type"] == "paper-conference"
    assert dphubert["author"][0] == {"given": "Yifan", "family": "Peng"}
    assert dphubert["issued"] == {"date-parts": [[2023]]}
    assert dphubert["DOI"] == "10.21437/Interspeech.2023-1213"
    assert dphubert["container-title"].startswith("Annual Conference of the International Speech")
    robust = next(i for i in items.values() if i["title"].startswith("RobustDistiller"))
    assert robust["author"][0] == {"given": "Heitor R.", "family": "Guimarães"}


# citeproc-py predates CSL 1.0.2's citation-key and event-title; it ignores them with a warning.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")
def test_citeproc_renders_every_item(catalog: Catalog) -> None:
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    items = json.loads(render_csljson(catalog.papers, catalog))
    source = CiteProcJSON(items)
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    text = "\n".join(rendered)
    for paper in catalog.papers[:20]:
        assert paper.authors[0].split()[-1] in text, paper.id


def test_ris_round_trips_through_rispy(catalog: Catalog) -> None:
    rispy = pytest.importorskip("rispy")
    records = rispy.loads(render_ris(catalog.papers, catalog))
    assert len(records) == len(catalog.papers)
    keys = citation_keys(catalog.papers)
    for paper, key, record in zip(catalog.papers, keys, records, strict=True):
        assert record["id"] == key
        assert record["title"] == " ".join(paper.title.split())
        assert record["year"] == str(paper.year)
        assert len(record.get("authors", [])) == len(paper.authors)
        if paper.doi:
            assert record["doi"] == paper.doi
        urls = record.get("urls", [])
        for url in (paper.venue_url, paper.arxiv_url, paper.code):
            assert (url in urls) == bool(url)
        assert record["keywords"] == [*paper.methods, *paper.models]
    types = {r["type_of_reference"] for r in records}
    assert {"CPAPER", "UNPB"} <= types


def test_ris_names_are_family_comma_given() -> None:
    mini = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    text = render_ris(mini.papers, mini)
    assert "AU  - Peng, Yifan\n" in text and "AU  - Guimarães, Heitor R.\n" in text
    assert text.count("ER  - ") == len(mini.papers)


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Yifan Peng", ("Yifan", "Peng")),
        ("Hung-yi Lee", ("Hung-yi", "Lee")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Heitor R. Guimarães", ("Heitor R.", "Guimarães")),
        ("OpenAI", None),
    ],
)
def test_names_split_into_given_and_family(name: str, split: tuple[str, str] | None) -> None:
    assert split_name(name) == split
