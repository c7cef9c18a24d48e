"""``scc refresh``: what changed upstream, the in-place writer, and the command end to end."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arxiv_server import ArxivServer, atom_entry, fixture
from speechcompress.arxiv import ArxivEntry, parse_feed
from speechcompress.cli.app import app
from speechcompress.errors import CatalogError, FileProblem
from speechcompress.paper import Paper
from speechcompress.refresh import SeenVersions, compare_paper, compare_papers, pending_updates
from speechcompress.source import load_catalog
from speechcompress.vocab import Vocabulary
from speechcompress.writer import set_paper_fields, update_paper_fields

VOCAB = Vocabulary()
PREPRINT = Paper(
    id="q-asr",
    title="Integer-only Zero-shot Quantization for Efficient Speech Recognition",
    year=2022,
    venue="arXiv",
    arxiv="2103.16827",
)
PUBLISHED = Paper(
    id="dphubert",
    title="DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models",
    year=2023,
    venue="INTERSPEECH",
    arxiv="2305.17651",
    doi="10.21437/Interspeech.2023-1213",
)


def entry(paper: Paper, **fields: object) -> ArxivEntry:
    base = {
        "arxiv_id": paper.arxiv,
        "version": 1,
        "title": paper.title,
        "authors": ("A B",),
        "published": dt.date(paper.year, 3, 30),
        "updated": dt.date(paper.year, 3, 30),
    }
    return ArxivEntry(**{**base, **fields})  # type: ignore[arg-type]


# --- comparing -----------------------------------------------------------------------


def test_an_unchanged_paper_has_no_changes() -> None:
    assert compare_paper(PUBLISHED, entry(PUBLISHED, doi=PUBLISHED.doi), VOCAB) == []


def test_a_published_preprint_gets_safe_venue_year_and_doi_updates() -> None:
    changes = compare_paper(
        PREPRINT,
        entry(PREPRINT, journal_ref="Proc. Interspeech 2021", doi="10.21437/Interspeech.2021-0001"),
        VOCAB,
    )
    assert [(c.kind, c.safe) for c in changes] == [("venue", True), ("doi", True)]
    assert pending_updates(changes) == {
        "q-asr": {"venue": "INTERSPEECH", "year": 2021, "doi": "10.21437/Interspeech.2021-0001"}
    }
    assert "published: INTERSPEECH 2021 (from the arXiv journal ref" in changes[0].detail


def test_a_comment_saying_accepted_is_enough() -> None:
    [change] = compare_paper(PREPRINT, entry(PREPRINT, comment="Accepted to ICASSP 2022"), VOCAB)
    assert change.updates == {"venue": "ICASSP"}  # same year: only the venue changes


def test_a_comment_saying_submitted_is_not() -> None:
    assert compare_paper(PREPRINT, entry(PREPRINT, comment="Submitted to ICASSP 2022"), VOCAB) == []


@pytest.mark.parametrize(
    ("fields", "venue"),
    [
        ({"comment": "Accepted to INTERSPEECH, 10 pages, 3 figures"}, "INTERSPEECH"),
        ({"comment": "Accepted by IEEE/ACM TASLP, 14 pages"}, "TASLP"),
        ({"journal_ref": "IEEE/ACM TASLP, 14 pages"}, "TASLP"),
    ],
)
def test_a_page_count_after_the_venue_is_no_year(fields: dict[str, str], venue: str) -> None:
    # Once read as 2010 and 2014, and written by --write as safe updates.
    [change] = compare_paper(PREPRINT, entry(PREPRINT, **fields), VOCAB)
    assert change.updates == {"venue": venue}
    assert change.detail.startswith(f"published: {venue} (from the arXiv")


def test_a_venue_year_far_from_the_first_versions_is_not_an_update() -> None:
    [change] = compare_paper(PREPRINT, entry(PREPRINT, journal_ref="Proc. Interspeech 2012"), VOCAB)
    assert change.updates == {"venue": "INTERSPEECH"}
    assert "2012 ignored, too far from the first version's year" in change.detail


def test_disagreements_with_the_catalog_are_reported_not_applied() -> None:
    changes = compare_paper(
        PUBLISHED, entry(PUBLISHED, journal_ref="ICASSP 2023", doi="10.1109/ICASSP.2023.1"), VOCAB
    )
    assert [(c.kind, c.safe) for c in changes] == [("venue", False), ("doi", False)]
    assert "the catalog has INTERSPEECH" in changes[0].detail
    assert "the catalog has 10.21437/Interspeech.2023-1213" in changes[1].detail


def test_a_journal_ref_naming_no_known_venue_is_reported() -> None:
    [change] = compare_paper(PREPRINT, entry(PREPRINT, journal_ref="Phys. Rev. B 85 (2012)"), VOCAB)
    assert (change.kind, change.safe) == ("journal_ref", False)
    assert "'Phys. Rev. B 85 (2012)', not a known venue" in change.detail


def test_a_changed_title_is_reported_but_case_and_spacing_are_not() -> None:
    same = compare_paper(PREPRINT, entry(PREPRINT, title=PREPRINT.title.upper() + " "), VOCAB)
    assert same == []
    [change] = compare_paper(PREPRINT, entry(PREPRINT, title="Zero-shot Integer ASR"), VOCAB)
    assert (change.kind, change.new, change.safe) == ("title", "Zero-shot Integer ASR", False)


def test_withdrawn_and_missing() -> None:
    [withdrawn] = parse_feed(fixture("withdrawn.xml"))
    paper = Paper(
        id="robustdistiller", title=withdrawn.title, year=2023, venue="ICASSP", arxiv="2302.09437"
    )
    [change] = compare_paper(paper, withdrawn, VOCAB)
    assert change.kind == "withdrawn" and "withdrawn on arXiv (v3, 2023-06-01)" in change.detail
    [missing] = compare_paper(PREPRINT, None, VOCAB)
    assert (missing.kind, missing.detail) == ("missing", "arXiv has no entry for 2103.16827")


def test_a_new_version_is_reported_against_the_version_last_seen(tmp_path: Path) -> None:
    seen = SeenVersions(tmp_path / "versions")
    assert compare_papers([PREPRINT], {"2103.16827": entry(PREPRINT, version=2)}, VOCAB, seen) == []
    assert seen.get("2103.16827") == 2  # the first sighting is the baseline
    later = entry(PREPRINT, version=3, updated=dt.date(2022, 9, 1))
    [change] = compare_papers([PREPRINT], {"2103.16827": later}, VOCAB, seen)
    assert change.detail == "new version v3 (2022-09-01); last seen v2"
    assert seen.get("2103.16827") == 2  # reported until acknowledged


def test_seen_versions_handle_old_style_ids(tmp_path: Path) -> None:
    seen = SeenVersions(tmp_path)
    seen.record("cs/0112017", 4)
    assert seen.get("cs/0112017") == 4
    assert seen.get("cs/0112018") is None


# --- writing in place ----------------------------------------------------------------


def test_set_fields_replaces_in_place_and_inserts_in_catalog_order() -> None:
    text = (
        '# top\n\n[[papers]]\nid = "a"\ntitle = "A"\nyear = 2022\n'
        'venue = "arXiv"  # until accepted\narxiv = "2103.16827"\nmethods = [\n'
        '  "pruning",\n]\n\n# --- 2021 ---\n\n[[papers]]\nid = "b"\ntitle = "B"\n'
        'year = 2021\nvenue = "arXiv"\n'
    )
    new = set_paper_fields(text, "a", {"venue": "INTERSPEECH", "year": 2021, "doi": "10.21437/x.1"})
    diff = [
        line
        for line in difflib.unified_diff(text.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == [
        "-year = 2022",
        '-venue = "arXiv"  # until accepted',
        "+year = 2021",
        '+venue = "INTERSPEECH"  # until accepted',
        '+doi = "10.21437/x.1"',
    ]
    assert new.index('doi = "10.21437/x.1"') < new.index("methods = [")
    # The last paper of a file: a new key goes after its last line, before nothing else.
    tail = set_paper_fields(text, "b", {"doi": "10.1/y"})
    assert tail.endswith('venue = "arXiv"\ndoi = "10.1/y"\n')


def test_set_fields_keeps_crlf_line_endings() -> None:
    text = '[[papers]]\r\nid = "a"\r\ntitle = "A"\r\nyear = 2022\r\nvenue = "arXiv"\r\n'
    new = set_paper_fields(text, "a", {"doi": "10.1/z", "venue": "ICASSP"})
    assert new == (
        '[[papers]]\r\nid = "a"\r\ntitle = "A"\r\nyear = 2022\r\nvenue = "ICASSP"\r\n'
        'doi = "10.1/z"\r\n'
    )


def test_set_fields_counts_lines_at_newlines_only() -> None:
    # U+2028 is a line break to str.splitlines but not to TOML: what follows it in the
    # title must not be taken for a key.
    text = '[[papers]]\nid = "a"\ntitle = "A\u2028venue = B"\nyear = 2022\nvenue = "arXiv"\n'
    new = set_paper_fields(text, "a", {"venue": "ICASSP"})
    assert new == text.replace('venue = "arXiv"', 'venue = "ICASSP"')


def test_update_refuses_an_invalid_result_and_leaves_the_file(mini: Path) -> None:
    before = mini.read_text()
    with pytest.raises(CatalogError):
        update_paper_fields(mini, "q-asr", {"venue": "Nowhere Conference"})
    with pytest.raises(FileProblem, match="cannot find"):
        update_paper_fields(mini, "no-such-paper", {"doi": "10.1/x"})
    assert mini.read_text() == before


# --- the command ---------------------------------------------------------------------

MINI_IDS = {
    "dphubert": "2305.17651",
    "robustdistiller": "2302.09437",
    "lighthubert": "2203.15610",
    "bigfoot": "2103.15760",
    "q-asr": "2103.16827",
}


def mini_entries(mini: Path, **changed: dict[str, object]) -> dict[str, str]:
    """Entries that agree with the mini catalog, except for ``changed[paper_id]``."""
    out = {}
    for paper in load_catalog(mini).papers:
        assert paper.arxiv
        fields: dict[str, object] = {"published": f"{paper.year}-03-30", "doi": paper.doi}
        fields.update(changed.get(paper.id.replace("-", "_"), {}))
        out[paper.arxiv] = atom_entry(paper.arxiv, str(fields.pop("title", paper.title)), **fields)  # type: ignore[arg-type]
    return out


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def arxiv(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    server = ArxivServer(
        entries=mini_entries(
            mini,
            q_asr={
                "journal_ref": "Proc. Interspeech 2021, pp. 2197-2201",
                "doi": "10.21437/Interspeech.2021-1234",
            },
        )
    )
    with server:
        monkeypatch.setenv("SCC_ARXIV_API", server.url)
        monkeypatch.setenv("SCC_ARXIV_DELAY", "0")
        yield server


def test_reports_pending_updates_in_a_table(mini: Path, arxiv: ArxivServer) -> None:
    before = mini.read_text()
    code, out, err = run("refresh", "--db", str(mini))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "ARXIV", "CHANGE", "DETAIL"]
    assert lines[1].split()[:4] == ["q-asr", "2103.16827", "venue", "*"]
    assert "published: INTERSPEECH 2021" in lines[1]
    assert lines[2].split()[:4] == ["q-asr", "2103.16827", "doi", "*"]
    assert "2 changes in 5 papers; 2 safe updates (*), applied by `scc refresh --write`" in out
    # One batched request for every paper with an arXiv id.
    assert [sorted(r.ids) for r in arxiv.requests] == [sorted(MINI_IDS.values())]
    assert mini.read_text() == before


def test_json_report(mini: Path, arxiv: ArxivServer) -> None:
    code, out, _ = run("refresh", "--db", str(mini), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["checked"], data["pending_updates"], data["written"]) == (5, 2, False)
    assert [(c["id"], c["kind"], c["safe"]) for c in data["changes"]] == [
        ("q-asr", "venue", True),
        ("q-asr", "doi", True),
    ]
    assert data["changes"][0]["updates"] == {"venue": "INTERSPEECH", "year": 2021}


def test_check_fails_until_write_applies_the_updates(mini: Path, arxiv: ArxivServer) -> None:
    before = mini.read_text()
    code, _, err = run("refresh", "--db", str(mini), "--check")
    assert code == 1
    assert "2 updates pending; `scc refresh --write` applies them" in err

    code, out, err = run("refresh", "--db", str(mini), "--write")
    assert code == 0, err
    assert f"updated 1 paper in {mini}: q-asr" in err
    assert "2 safe updates (*) applied" in out
    after = mini.read_text()
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == [
        "-year = 2022",
        '-venue = "arXiv"',
        "+year = 2021",
        '+venue = "INTERSPEECH"',
        '+doi = "10.21437/Interspeech.2021-1234"',
    ]
    paper = load_catalog(mini).find("q-asr")
    assert paper is not None and paper.venue == "INTERSPEECH" and paper.year == 2021

    code, out, _ = run("refresh", "--db", str(mini), "--check")
    assert code == 0
    assert out == "no changes upstream for 5 papers\n"


def test_named_papers_only(mini: Path, arxiv: ArxivServer) -> None:
    code, out, _ = run("refresh", "dphubert", "2103.16827", "--db", str(mini), "--format", "json")
    assert code == 0
    assert json.loads(out)["checked"] == 2
    assert [sorted(r.ids) for r in arxiv.requests] == [["2103.16827", "2305.17651"]]


def test_an_unknown_paper_is_a_usage_error(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("refresh", "dphubrt", "--db", str(mini))
    assert code == 2
    assert "no paper with id or arXiv id 'dphubrt'" in err and "did you mean 'dphubert'?" in err
    assert arxiv.requests == []


def test_a_new_version_and_a_new_title_are_reported(mini: Path, arxiv: ArxivServer) -> None:
    assert run("refresh", "lighthubert", "--db", str(mini))[0] == 0  # baseline: v1
    arxiv.entries = mini_entries(
        mini, lighthubert={"version": 2, "updated": "2022-06-01", "title": "LightHuBERT, Revised"}
    )
    code, out, _ = run("refresh", "lighthubert", "--db", str(mini), "--no-cache")
    assert code == 0
    assert "new version v2 (2022-06-01); last seen v1" in out
    assert "title on arXiv: 'LightHuBERT, Revised'" in out
    assert "none is a safe update" in out
    # --write acknowledges the version; the title stays for a person to decide.
    assert run("refresh", "lighthubert", "--db", str(mini), "--write")[0] == 0
    code, out, _ = run("refresh", "lighthubert", "--db", str(mini))
    assert "new version" not in out and "title on arXiv" in out


def test_a_paper_missing_upstream_is_reported(mini: Path, arxiv: ArxivServer) -> None:
    del arxiv.entries["2103.15760"]
    code, out, _ = run("refresh", "--db", str(mini), "--format", "json")
    assert code == 0
    assert {"id": "bigfoot", "kind": "missing"}.items() <= json.loads(out)["changes"][0].items()


def test_a_429_then_200_succeeds(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append((429, {"Retry-After": "0"}, b""))
    code, out, err = run("refresh", "--db", str(mini), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["pending_updates"] == 2
    assert len(arxiv.requests) == 2


def test_a_503_that_never_recovers_is_exit_5(
    mini: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arxiv.always = (503, {}, b"")
    monkeypatch.setenv("SCC_ARXIV_RETRIES", "1")
    code, out, err = run("refresh", "--db", str(mini), "--check")
    assert code == 5
    assert "HTTP 503 after 2 attempts" in err
    assert out == ""


def test_bad_format_is_a_usage_error(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("refresh", "--db", str(mini), "--format", "yaml")
    assert code == 2 and "unknown format 'yaml'" in err


def test_page_counts_are_not_written_as_years(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.entries = mini_entries(
        mini,
        q_asr={"comment": "Accepted to INTERSPEECH, 10 pages, 3 figures"},
        robustdistiller={"journal_ref": "IEEE/ACM TASLP, 14 pages"},
    )
    code, out, err = run("refresh", "--db", str(mini), "--format", "json")
    assert code == 0, err
    updates = {c["id"]: c["updates"] for c in json.loads(out)["changes"]}
    # robustdistiller is listed at ICASSP: a disagreement to report, nothing to write.
    assert updates == {"robustdistiller": {}, "q-asr": {"venue": "INTERSPEECH"}}
    code, out, err = run("refresh", "--db", str(mini), "--write")
    assert code == 0, err
    assert "published: INTERSPEECH (from the arXiv comment" in out
    assert "2010" not in out and "2014" not in out
    paper = load_catalog(mini).find("q-asr")
    assert paper is not None and (paper.venue, paper.year) == ("INTERSPEECH", 2022)


def _failing_for(paper_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the catalog write for ``paper_id`` fail, as a concurrent edit would make it."""
    import speechcompress.writer

    real = speechcompress.writer.update_paper_fields

    def update(path: Path, pid: str, changes: dict[str, object]) -> object:
        if pid == paper_id:
            raise FileProblem(f"could not update {pid!r} in place; nothing was changed")
        return real(path, pid, changes)

    monkeypatch.setattr(speechcompress.writer, "update_paper_fields", update)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_write_reports_only_what_was_written_when_a_paper_fails(
    fmt: str, mini: Path, arxiv: ArxivServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # robustdistiller (first in the file) gains a DOI; q-asr (last) fails to be written.
    arxiv.entries = mini_entries(
        mini,
        robustdistiller={"doi": "10.1109/ICASSP49357.2023.10095480"},
        q_asr={"journal_ref": "Proc. Interspeech 2021", "doi": "10.21437/Interspeech.2021-1234"},
    )
    _failing_for("q-asr", monkeypatch)
    code, out, err = run("refresh", "--db", str(mini), "--write", "--format", fmt)
    assert code == 4
    assert f"updated 1 paper in {mini}: robustdistiller" in err
    assert "error: could not update 'q-asr' in place" in err
    if fmt == "json":
        data = json.loads(out)
        assert (data["pending_updates"], data["written"], data["updated"]) == (
            3,
            True,
            ["robustdistiller"],
        )
    else:
        assert "3 changes in 5 papers; 3 safe updates (*), 1 applied" in out
        assert "(*) applied" not in out
    catalog = load_catalog(mini)
    robust, q_asr = catalog.find("robustdistiller"), catalog.find("q-asr")
    assert robust is not None and robust.doi == "10.1109/ICASSP49357.2023.10095480"
    assert q_asr is not None and (q_asr.venue, q_asr.doi) == ("arXiv", None)


def test_write_reports_nothing_applied_when_the_first_paper_fails(
    mini: Path, arxiv: ArxivServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_for("q-asr", monkeypatch)
    before = mini.read_text()
    code, out, err = run("refresh", "--db", str(mini), "--write", "--format", "json")
    assert code == 4
    data = json.loads(out)
    assert (data["pending_updates"], data["written"], data["updated"]) == (2, False, [])
    assert "updated" not in err.replace("could not update", "")
    assert mini.read_text() == before
