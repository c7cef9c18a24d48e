"""The export links a DOI when there is no venue page; `scc check` warns about a venue
link to a secondary page when the DOI is known."""

from __future__ import annotations

from pathlib import Path

from speechcompress import load_catalog
from speechcompress.checks import check_catalog
from speechcompress.paper import Catalog, Paper
from speechcompress.render.markdown import paper_line

# --- export ------------------------------------------------------------------------------


def test_export_links_the_doi_when_there_is_no_venue_url() -> None:
    paper = Paper("p", "A Title", 2022, "TASLP", doi="10.1109/TASLP.2022.3182856")
    assert paper_line(paper) == "- [[TASLP](https://doi.org/10.1109/TASLP.2022.3182856)] A Title"
    assert paper_line(Paper("q", "A Title", 2022, "TASLP")) == "- [[TASLP]()] A Title"
    page = Paper(
        "r",
        "T",
        2022,
        "TASLP",
        venue_url="https://ieeexplore.ieee.org/document/9798861",
        doi="10.1109/TASLP.2022.3182856",
    )
    assert "(https://ieeexplore.ieee.org/document/9798861)" in paper_line(page)


# --- check -------------------------------------------------------------------------------


def _findings(text: str, tmp_path: Path) -> list[tuple[str, str | None]]:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return [(f.rule, f.paper_id) for f in check_catalog(text, path)]


PAPER = """
[[papers]]
id = "p"
title = "A Paper"
year = 2021
venue = "INTERSPEECH"
venue_url = "{url}"
doi = "10.21437/Interspeech.2021-819"
methods = ["pruning"]
"""


def test_check_warns_about_a_secondary_venue_link_when_the_doi_is_known(tmp_path: Path) -> None:
    head = '[catalog]\ntitle = "T"\n'
    lecture = PAPER.format(url="https://www.superlectures.com/interspeech2021/x")
    assert _findings(head + lecture, tmp_path) == [("secondary-venue-url", "p")]
    official = PAPER.format(url="https://www.isca-archive.org/interspeech_2021/x.html")
    assert _findings(head + official, tmp_path) == []
    # A catalog may call a host official.
    extended = head + 'official_hosts = ["superlectures.com"]\n' + lecture
    assert _findings(extended, tmp_path) == []
    assert load_catalog_text(extended, tmp_path).official_hosts == ("superlectures.com",)
    # Without a DOI there is nothing better to point at.
    no_doi = lecture.replace('doi = "10.21437/Interspeech.2021-819"\n', "")
    assert _findings(head + no_doi, tmp_path) == []


def load_catalog_text(text: str, tmp_path: Path) -> Catalog:
    path = tmp_path / "l.toml"
    path.write_text(text, encoding="utf-8")
    return load_catalog(path, use_cache=False)


def test_check_no_longer_calls_a_doi_only_paper_an_empty_link(tmp_path: Path) -> None:
    head = '[catalog]\ntitle = "T"\n'
    no_url = PAPER.replace('venue_url = "{url}"\n', "")
    assert _findings(head + no_url, tmp_path) == []
    bare = no_url.replace('doi = "10.21437/Interspeech.2021-819"\n', "")
    assert _findings(head + bare, tmp_path) == [("venue-url", "p")]
