"""The rules that take or refuse a source's record, and the proposals a taken one makes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from sources_server import FIXTURES
from speechcompress import load_catalog
from speechcompress.net.sources import crossref, dblp, openalex, semanticscholar
from speechcompress.net.sources.base import Record
from speechcompress.paper import Catalog, Paper
from speechcompress.published import (
    Match,
    Rejection,
    is_official,
    map_venue,
    match,
    merge,
    official_url,
    propose,
    updates,
)
from speechcompress.published_lookup import best_match


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURES / "catalog.toml")


def paper(catalog: Catalog, paper_id: str) -> Paper:
    found = catalog.find(paper_id)
    assert found is not None
    return found


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_a_preprint_dblp_knows_as_an_interspeech_paper(catalog: Catalog) -> None:
    dph = paper(catalog, "dphubert")
    found, refused = best_match(
        dph, dblp.parse_search(load("dblp_dphubert.json")), catalog.vocabulary
    )
    assert found is not None
    assert "same title" in found.evidence
    assert "shared author 'peng'" in found.evidence
    # DBLP's CoRR copy is the preprint itself: never a published version.
    assert [r.reason for r in refused] == ["a preprint, not a published version"]
    proposals = {p.field: p for p in propose(dph, found, catalog.vocabulary)}
    assert proposals["venue"].new == "INTERSPEECH"
    assert proposals["venue"].action == "fill"
    assert "year" not in proposals  # the arXiv year is the venue's
    assert proposals["doi"].new == "10.21437/INTERSPEECH.2023-1213"
    assert proposals["venue_url"].new == "https://doi.org/10.21437/Interspeech.2023-1213"
    assert all(p.source == "dblp" for p in proposals.values())


def test_a_paper_crossref_knows_only_by_title(catalog: Catalog) -> None:
    two = paper(catalog, "two-pass-asr-compression")
    (record,) = crossref.parse_works(load("crossref_two_pass.json"))
    verdict = match(two, record, catalog.vocabulary)
    assert isinstance(verdict, Match)
    proposals = {p.field: p for p in propose(two, verdict, catalog.vocabulary)}
    assert proposals["venue"].new == "ASRU"
    # ASRU 2021 was held before the first arXiv version (January 2022).
    assert (proposals["year"].old, proposals["year"].new) == (2022, 2021)
    assert proposals["doi"].new == "10.1109/asru51503.2021.9688121"
    assert proposals["venue_url"].new == "https://doi.org/10.1109/asru51503.2021.9688121"


def test_a_different_paper_with_the_same_title_is_not_taken(catalog: Catalog) -> None:
    two = paper(catalog, "two-pass-asr-compression")
    (decoy,) = dblp.parse_search(load("dblp_same_title.json"))
    verdict = match(two, decoy, catalog.vocabulary)
    assert isinstance(verdict, Rejection)
    assert "no author in common" in verdict.reason
    # Even with an author in common, a year far from the paper's is refused.
    namesake = replace(decoy, authors=("Chanwoo Kim",))
    verdict = match(two, namesake, catalog.vocabulary)
    assert isinstance(verdict, Rejection) and "year 2015" in verdict.reason


def test_a_nearly_equal_title_needs_a_shared_surname(catalog: Catalog) -> None:
    fit = paper(catalog, "fithubert")
    record = Record(
        "crossref",
        # One letter missing: not equal once normalised, but 99% similar.
        "FitHuBERT: Going Thinner and Deeper for Knowledge Distilation of Speech "
        "Self-Supervised Learning",
        ("Yeonghyeon Lee",),
        2022,
        "Interspeech 2022",
    )
    assert isinstance(match(fit, record, catalog.vocabulary), Match)
    stranger = replace(record, authors=("Ada Example",))
    assert isinstance(match(fit, stranger, catalog.vocabulary), Rejection)
    anonymous = replace(record, authors=())
    assert isinstance(match(fit, anonymous, catalog.vocabulary), Rejection)
    other = replace(record, title="FitHuBERT Revisited: Thinner Students for Speech Models")
    assert isinstance(match(fit, other, catalog.vocabulary), Rejection)


def test_openalex_and_semantic_scholar_records_by_arxiv_id(catalog: Catalog) -> None:
    light = paper(catalog, "lighthubert")
    (record,) = openalex.parse_works(load("openalex_lighthubert.json"), "arXiv id")
    found = match(light, record, catalog.vocabulary)
    assert isinstance(found, Match) and "found by arXiv id" in found.evidence
    fields = {p.field: p.new for p in propose(light, found, catalog.vocabulary)}
    assert fields == {
        "venue": "INTERSPEECH",
        "doi": "10.21437/interspeech.2022-10269",
        "venue_url": "https://doi.org/10.21437/interspeech.2022-10269",
    }

    fit = paper(catalog, "fithubert")
    s2 = semanticscholar.parse_paper(load("s2_fithubert.json"))  # type: ignore[arg-type]
    assert s2 is not None
    found = match(fit, s2, catalog.vocabulary)
    assert isinstance(found, Match)
    proposals = {p.field: p for p in propose(fit, found, catalog.vocabulary)}
    assert proposals["doi"].action == "fill"
    # A secondary page is shown as a diff, written only with overwrite.
    url = proposals["venue_url"]
    assert (url.old, url.new, url.action) == (
        "https://lab.example.org/papers/fithubert",
        "https://doi.org/10.21437/Interspeech.2022-11112",
        "diff",
    )
    assert "venue_url" not in updates([url], overwrite=False).get("fithubert", {})
    assert updates([url], overwrite=True) == {"fithubert": {"venue_url": url.new}}


def test_a_venue_the_catalog_does_not_know_is_left_to_a_person(catalog: Catalog) -> None:
    dph = paper(catalog, "dphubert")
    record = Record("dblp", dph.title, dph.authors, 2023, "SpeechFoo Workshop", kind="conference")
    found = match(dph, record, catalog.vocabulary)
    assert isinstance(found, Match)
    (venue,) = propose(dph, found, catalog.vocabulary)
    assert venue.action == "manual"
    assert "[catalog.venues]" in venue.evidence and "'conference'" in venue.evidence
    # Its DOI is a fact to fill; its page waits for the venue.
    with_doi = match(dph, replace(record, doi="10.1/x"), catalog.vocabulary)
    assert isinstance(with_doi, Match)
    actions = {p.field: p.action for p in propose(dph, with_doi, catalog.vocabulary)}
    assert actions == {"venue": "manual", "doi": "fill", "venue_url": "manual"}


def test_sources_that_disagree_leave_the_field_to_a_person(catalog: Catalog) -> None:
    dph = paper(catalog, "dphubert")
    a = Record("dblp", dph.title, dph.authors, 2023, "INTERSPEECH", doi="10.1/a")
    b = replace(a, source="crossref", doi="10.1/b")
    c = replace(a, source="openalex")
    raw = []
    for record in (a, b, c):
        found = match(dph, record, catalog.vocabulary)
        assert isinstance(found, Match)
        raw += propose(dph, found, catalog.vocabulary)
    merged = {p.field: p for p in merge(raw)}
    assert merged["venue"].source == "dblp+crossref+openalex"
    assert merged["doi"].action == "manual"
    assert "crossref says '10.1/b'" in merged["doi"].evidence


@pytest.mark.parametrize(
    ("venue", "doi", "expected"),
    [
        ("INTERSPEECH", None, "INTERSPEECH"),
        ("Interspeech 2022", None, "INTERSPEECH"),
        (
            "ICASSP 2021 - 2021 IEEE International Conference on Acoustics, Speech and Signal "
            "Processing (ICASSP)",
            None,
            "ICASSP",
        ),
        ("IEEE ACM Trans. Audio Speech Lang. Process.", None, "TASLP"),
        ("IEEE/ACM Transactions on Audio, Speech, and Language Processing", None, "TASLP"),
        ("SLT", None, "SLT"),
        # Semantic Scholar's spellings: a serial comma, no "IEEE".
        (
            "IEEE International Conference on Acoustics, Speech, and Signal Processing",
            None,
            "ICASSP",
        ),
        ("Spoken Language Technology Workshop", None, "SLT"),
        ("Workshop", None, None),
        (None, "10.21437/Interspeech.2024-47", "INTERSPEECH"),
        ("Some Journal of Things", None, None),
    ],
)
def test_venues_map_to_the_catalog_vocabulary(
    catalog: Catalog, venue: str | None, doi: str | None, expected: str | None
) -> None:
    record = Record("x", "t", venue=venue, doi=doi)
    assert map_venue(record, catalog.vocabulary) == expected


def test_official_pages_and_doi_links() -> None:
    assert is_official("https://www.isca-archive.org/interspeech_2023/x.html")
    assert is_official("https://ieeexplore.ieee.org/document/10095780")
    assert is_official("https://proceedings.neurips.cc/paper/2021/hash/x")
    assert not is_official("https://www.superlectures.com/interspeech2021/x")
    assert not is_official("https://mengli.me/publication/x/")
    assert is_official("https://mengli.me/publication/x/", ["mengli.me"])
    record = Record("dblp", "t", doi="10.1/x", url="https://aclanthology.org/2021.x-1.14/")
    assert official_url(record) == "https://aclanthology.org/2021.x-1.14/"
    assert (
        official_url(replace(record, url="https://lab.example.org/x")) == "https://doi.org/10.1/x"
    )
    assert official_url(replace(record, url=None, doi="10.48550/arXiv.1")) is None


def test_only_papers_a_source_could_improve_are_asked_about(catalog: Catalog) -> None:
    from speechcompress.published_lookup import needs_lookup

    done = Paper(
        "done",
        "T",
        2023,
        "INTERSPEECH",
        doi="10.21437/Interspeech.2023-1213",
        venue_url="https://www.isca-archive.org/interspeech_2023/peng23c_interspeech.html",
    )
    assert not needs_lookup(done, catalog.vocabulary)
    assert needs_lookup(replace(done, venue="arXiv"), catalog.vocabulary)
    assert needs_lookup(replace(done, doi=None), catalog.vocabulary)
    lecture = replace(done, venue_url="https://www.superlectures.com/interspeech2021/x")
    assert needs_lookup(lecture, catalog.vocabulary)
    assert not needs_lookup(lecture, catalog.vocabulary, ["superlectures.com"])


def test_once_a_paper_is_complete_the_next_sources_are_not_asked(catalog: Catalog) -> None:
    from speechcompress.net.sources.base import Query
    from speechcompress.published_lookup import find_published

    asked: list[str] = []

    class Fake:
        def __init__(self, name: str, records: list[Record]) -> None:
            self.name, self.records = name, records

        def lookup(self, query: Query) -> list[Record]:
            asked.append(self.name)
            return self.records

        def by_doi(self, doi: str) -> Record | None:
            return None

    dph = paper(catalog, "dphubert")
    full = Record("dblp", dph.title, dph.authors, 2023, "INTERSPEECH", doi="10.1/x")
    nothing = Fake("crossref", [])
    findings = find_published([dph], [Fake("dblp", [full]), nothing], catalog.vocabulary)
    assert asked == ["dblp"]
    assert {p.field for p in findings.proposals} == {"venue", "doi", "venue_url"}
    asked.clear()
    partial = replace(full, doi=None)
    find_published([dph], [Fake("dblp", [partial]), nothing], catalog.vocabulary)
    assert asked == ["dblp", "crossref"]


def test_choosing_sources_from_the_option_or_the_environment() -> None:
    from speechcompress.errors import UsageError
    from speechcompress.published_lookup import ALL_SOURCES, choose_sources

    assert choose_sources("dblp, s2,dblp", {}) == ["dblp", "semanticscholar"]
    assert choose_sources(None, {"SCC_SOURCES": "crossref,arxiv"}) == ["crossref", "arxiv"]
    assert choose_sources(None, {}) == list(ALL_SOURCES)
    with pytest.raises(UsageError, match=r"\$SCC_SOURCES: unknown source 'crosref'") as caught:
        choose_sources(None, {"SCC_SOURCES": "crosref"})
    assert caught.value.hint == "did you mean 'crossref'?"
    with pytest.raises(UsageError, match="names no source"):
        choose_sources(" , ", {})
