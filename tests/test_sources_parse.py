"""Each source's parser reads the answer shapes of its API (fixtures from real records)."""

from __future__ import annotations

import json

from sources_server import FIXTURES
from speechcompress.net.sources import crossref, dblp, openalex, semanticscholar
from speechcompress.net.sources.base import bare_doi


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_dblp_hits_become_records_with_doi_ee_and_kind() -> None:
    published, corr = dblp.parse_search(load("dblp_dphubert.json"))
    assert published.title == (
        "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models"
    )
    assert published.venue == "INTERSPEECH"
    assert published.year == 2023
    assert published.doi == "10.21437/INTERSPEECH.2023-1213"
    assert published.url == "https://doi.org/10.21437/Interspeech.2023-1213"
    assert published.kind == "conference"
    assert published.authors[0] == "Yifan Peng"
    assert corr.kind == "preprint"


def test_dblp_reads_a_single_author_object_and_strips_homonym_numbers() -> None:
    (record,) = dblp.parse_search(load("dblp_same_title.json"))
    assert record.authors == ("Ada Example",)
    answer = {
        "result": {
            "hits": {
                "hit": {
                    "info": {
                        "title": "T.",
                        "authors": {"author": {"@pid": "1", "text": "Yifan Peng 0001"}},
                    }
                }
            }
        }
    }
    assert dblp.parse_search(answer)[0].authors == ("Yifan Peng",)


def test_dblp_answers_without_hits_or_in_odd_shapes_give_nothing() -> None:
    assert dblp.parse_search({"result": {"hits": {"@total": "0"}}}) == []
    assert dblp.parse_search([1, 2]) == []
    assert dblp.parse_search({"result": {"hits": {"hit": [{"info": {"title": 3}}]}}}) == []


def test_crossref_items_become_records() -> None:
    (record,) = crossref.parse_works(load("crossref_two_pass.json"))
    assert record.doi == "10.1109/asru51503.2021.9688121"
    assert record.year == 2021
    assert record.venue == (
        "2021 IEEE Automatic Speech Recognition and Understanding Workshop (ASRU)"
    )
    assert record.authors[0] == "Nauman Dawalatabad"
    assert record.kind == "conference"


def test_openalex_works_become_records() -> None:
    (record,) = openalex.parse_works(load("openalex_lighthubert.json"), "arXiv id")
    assert record.doi == "10.21437/interspeech.2022-10269"
    assert record.venue == "Interspeech 2022"
    assert record.kind == "conference"
    assert record.found_by == "arXiv id"
    assert len(record.authors) == 9


def test_semantic_scholar_paper_becomes_a_record() -> None:
    record = semanticscholar.parse_paper(load("s2_fithubert.json"))  # type: ignore[arg-type]
    assert record is not None
    assert record.doi == "10.21437/Interspeech.2022-11112"
    assert record.venue == "Interspeech"
    assert record.kind == "conference"


def test_bare_doi_accepts_links_and_refuses_other_text() -> None:
    assert bare_doi("https://doi.org/10.1109/X.1") == "10.1109/X.1"
    assert bare_doi("doi:10.1/a") == "10.1/a"
    assert bare_doi("https://example.org/10.1/a") is None
    assert bare_doi("") is None


def test_a_dblp_record_page_xml_becomes_a_record() -> None:
    record = dblp.parse_record_xml((FIXTURES / "dblp_rec_dphubert.xml").read_bytes())
    assert record is not None
    assert (record.venue, record.year, record.kind) == ("INTERSPEECH", 2023, "conference")
    assert record.doi == "10.21437/Interspeech.2023-1213"
    assert record.authors[2] == "Shakeel Muhammad"
    corr = (
        b"<dblp><article publtype='informal'><title>T.</title>"
        b"<journal>CoRR</journal></article></dblp>"
    )
    informal = dblp.parse_record_xml(corr)
    assert informal is not None and informal.kind == "preprint"


def test_references_scc_add_can_read() -> None:
    import pytest

    from speechcompress.errors import UsageError
    from speechcompress.resolve import parse_reference

    doi = parse_reference("https://doi.org/10.21437/Interspeech.2023-1213")
    assert doi is not None and (doi.kind, doi.doi) == ("doi", "10.21437/Interspeech.2023-1213")
    acl = parse_reference("https://aclanthology.org/2021.sustainlp-1.14/")
    assert acl is not None and acl.doi == "10.18653/v1/2021.sustainlp-1.14"
    rec = parse_reference("https://dblp.org/rec/conf/interspeech/Example23.html")
    assert rec is not None and (rec.kind, rec.key) == ("dblp", "conf/interspeech/Example23")
    assert parse_reference("2305.17651") is None
    with pytest.raises(UsageError, match=r"cannot read isca-archive\.org pages") as caught:
        parse_reference(
            "https://www.isca-archive.org/pdfs/interspeech_2023/peng23c_interspeech.pdf"
        )
    assert caught.value.hint == "pass the paper's DOI instead (shown on that page)"


def test_openreview_notes_of_both_api_versions_become_records() -> None:
    from speechcompress.net.sources import openreview

    (v1,) = openreview.parse_notes(load("openreview_audio_lottery_v1.json"))
    assert (v1.venue, v1.year, v1.kind) == ("ICLR 2022 Poster", 2022, "conference")
    assert v1.url == "https://openreview.net/forum?id=9Nk6AJkVYB"
    assert v1.authors == ("Shaojin Ding", "Tianlong Chen", "Zhangyang Wang")
    (v2,) = openreview.parse_notes(load("openreview_context_pruning_v2.json"))
    assert (v2.year, v2.kind, len(v2.authors)) == (2025, "conference", 10)
    submitted = {
        "notes": [
            {
                "id": "x",
                "content": {"title": {"value": "T"}, "venue": {"value": "Submitted to ICLR 2026"}},
            }
        ]
    }
    assert openreview.parse_notes(submitted)[0].kind == "preprint"
