"""``scc add`` end to end, against a stand-in arXiv API on 127.0.0.1."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli
from typer.testing import CliRunner

from arxiv_server import ArxivServer, atom_entry, fixture
from speechcompress.cli.app import app
from speechcompress.source import load_catalog

SRC = Path(__file__).resolve().parents[1] / "src"

QUANT = atom_entry(
    "2401.04321",
    "Four-Bit Whisper: Post-Training Quantization for Speech Recognition",
    published="2024-01-09",
    authors=("Dana Beispiel", "Eitan Dugma"),
    abstract="Post-training quantization brings Whisper to four bits per weight.",
    comment="Accepted at ICASSP 2024",
)
PREPRINT = atom_entry(
    "2402.00077",
    "Early Exits for Streaming Speech Recognition",
    published="2024-02-01",
    abstract="An early-exit encoder stops computing when confident.",
)
SAME_DOI = atom_entry(
    "2309.99999",
    "A Different Title for a Known Paper",
    published="2023-09-01",
    doi="10.21437/Interspeech.2023-1213",
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    server = ArxivServer(
        entries={"2401.04321": QUANT, "2402.00077": PREPRINT, "2309.99999": SAME_DOI}
    )
    with server:
        monkeypatch.setenv("SCC_ARXIV_API", server.url)
        monkeypatch.setenv("SCC_ARXIV_DELAY", "0")
        yield server


def test_adds_a_paper_in_its_years_place_and_keeps_the_rest(mini: Path, arxiv: ArxivServer) -> None:
    before = mini.read_text()
    code, out, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 0, err
    assert f"added 'four-bit-whisper' (ICASSP 2024) from arXiv 2401.04321 to {mini}" in err
    after = mini.read_text()
    # Newest year first: the 2024 paper goes before the 2023 ones; the diff is additions only.
    assert after.index('arxiv = "2401.04321"') < after.index('id = "dphubert"')
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    assert [line for line in diff[2:] if line.startswith("-")] == []
    added = [line[1:] for line in diff[2:] if line.startswith("+") and line[1:]]
    assert added[:3] == [
        "[[papers]]",
        'id = "four-bit-whisper"',
        'title = "Four-Bit Whisper: Post-Training Quantization for Speech Recognition"',
    ]
    assert "# A small catalog for tests" in after
    paper = load_catalog(mini).find("2401.04321")
    assert paper is not None
    assert paper.title == "Four-Bit Whisper: Post-Training Quantization for Speech Recognition"
    assert paper.authors == ("Dana Beispiel", "Eitan Dugma")
    assert (paper.venue, paper.year, str(paper.published)) == ("ICASSP", 2024, "2024-01-09")
    assert paper.methods == ("quantization",)
    assert paper.abstract == "Post-training quantization brings Whisper to four bits per weight."
    assert paper.summary is None
    assert (
        "arXiv 2401.04321: venue ICASSP 2024 (from the arXiv comment: 'Accepted at ICASSP 2024')"
    ) in err
    assert "four bits per weight" not in out  # nothing but data on stdout


def test_reads_the_2016_layout_from_the_server(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append(
        (200, {"Content-Type": "application/atom+xml"}, fixture("entry-2016-layout.xml"))
    )
    code, _, err = run("add", "2207.01234", "--db", str(mini), "--yes")
    assert code == 0, err
    paper = load_catalog(mini).find("2207.01234")
    assert paper is not None
    assert paper.id == "thin-students"
    assert paper.title == (
        "Thin Students: Layer Pruning and Distillation of Self-Supervised Speech Encoders"
    )
    assert paper.authors == ("Ada Example", "Bruno Ejemplo", "Chloé Exemple")
    assert (paper.venue, paper.year) == ("INTERSPEECH", 2022)
    assert paper.doi == "10.21437/Interspeech.2022-99999"
    assert paper.methods == ("pruning", "distillation")


@pytest.mark.parametrize(
    "form",
    [
        "2401.04321",
        "2401.04321v2",
        "arXiv:2401.04321",
        "https://arxiv.org/abs/2401.04321",
        "https://arxiv.org/pdf/2401.04321v1",
        "http://export.arxiv.org/abs/2401.04321",
    ],
)
def test_accepts_every_id_form(form: str, mini: Path, arxiv: ArxivServer) -> None:
    code, out, err = run("add", form, "--db", str(mini), "--dry-run")
    assert code == 0, err
    assert 'arxiv = "2401.04321"' in out
    assert [r.ids for r in arxiv.requests] == [["2401.04321"]]


def test_old_style_ids_are_accepted(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.entries["cs/0112017"] = atom_entry("cs/0112017", "An Old Paper", published="2001-12-14")
    code, _, err = run("add", "cs/0112017", "--db", str(mini), "--yes")
    assert code == 0, err
    assert load_catalog(mini).find("cs/0112017") is not None
    assert arxiv.requests[0].ids == ["cs/0112017"]


def test_several_ids_go_in_one_request(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("add", "2401.04321", "arXiv:2402.00077", "--db", str(mini))
    assert code == 0, err
    assert [r.ids for r in arxiv.requests] == [["2401.04321", "2402.00077"]]
    catalog = load_catalog(mini)
    assert catalog.find("2401.04321") and catalog.find("2402.00077")
    preprint = catalog.find("2402.00077")
    assert preprint is not None
    assert (preprint.venue, preprint.year, preprint.methods) == (
        "arXiv",
        2024,
        ("dynamic-inference",),
    )
    assert arxiv.requests[0].headers["User-Agent"].startswith("scc/")


@pytest.mark.parametrize(
    ("fields", "venue", "note"),
    [
        # Page and figure counts after the venue are not two-digit years (2010, 2014).
        (
            {"comment": "Accepted to INTERSPEECH, 10 pages, 3 figures"},
            "INTERSPEECH",
            "venue INTERSPEECH (from the arXiv comment: "
            "'Accepted to INTERSPEECH, 10 pages, 3 figures')",
        ),
        (
            {"comment": "Accepted by IEEE/ACM TASLP, 14 pages"},
            "TASLP",
            "venue TASLP (from the arXiv comment: 'Accepted by IEEE/ACM TASLP, 14 pages')",
        ),
        (
            {"journal_ref": "IEEE/ACM TASLP, 14 pages"},
            "TASLP",
            "venue TASLP (from the arXiv journal ref: 'IEEE/ACM TASLP, 14 pages')",
        ),
        # A written year too far from the first version's is not the venue's year.
        (
            {"comment": "Accepted to ICASSP 2010"},
            "ICASSP",
            "venue ICASSP (from the arXiv comment: 'Accepted to ICASSP 2010'; "
            "2010 ignored, too far from the first version's year)",
        ),
    ],
)
def test_a_number_that_is_no_venue_year_leaves_the_first_versions_year(
    fields: dict[str, str], venue: str, note: str, mini: Path, arxiv: ArxivServer
) -> None:
    arxiv.entries["2401.05555"] = atom_entry(
        "2401.05555", "Small Speech Models", published="2024-01-10", **fields
    )
    code, out, err = run("add", "2401.05555", "--db", str(mini), "--dry-run")
    assert code == 0, err
    [paper] = tomli.loads(out)["papers"]
    assert (paper["venue"], paper["year"]) == (venue, 2024)
    assert f"arXiv 2401.05555: {note}" in err


def test_a_two_digit_year_counts_after_an_apostrophe_or_glued_to_the_venue(
    mini: Path, arxiv: ArxivServer
) -> None:
    for n, comment in enumerate(("Accepted at ICASSP \u201924", "ICASSP24 camera-ready"), 1):
        arxiv_id = f"2311.0000{n}"
        arxiv.entries[arxiv_id] = atom_entry(
            arxiv_id, f"Small Speech Models {n}", published="2023-11-02", comment=comment
        )
        code, out, err = run("add", arxiv_id, "--db", str(mini), "--dry-run")
        assert code == 0, err
        [paper] = tomli.loads(out)["papers"]
        assert (paper["venue"], paper["year"]) == ("ICASSP", 2024)


def test_dry_run_prints_toml_and_writes_nothing(mini: Path, arxiv: ArxivServer) -> None:
    before = mini.read_text()
    code, out, err = run("add", "2401.04321", "--db", str(mini), "--dry-run")
    assert code == 0, err
    data = tomli.loads(out)
    [paper] = data["papers"]
    assert paper["arxiv"] == "2401.04321" and paper["venue"] == "ICASSP"
    assert "dry run, nothing written" in err
    assert mini.read_text() == before


def test_overrides(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run(
        "add",
        "2402.00077",
        "--db",
        str(mini),
        "--venue",
        "interspeech",
        "--venue-url",
        "https://example.org/paper",
        "--method",
        "kd",
        "--method",
        "pruning",
        "--model",
        "HuBERT",
        "--code",
        "https://github.com/example/exits",
        "--id",
        "exits",
    )
    assert code == 0, err
    paper = load_catalog(mini).find("exits")
    assert paper is not None
    assert (paper.venue, paper.venue_url, paper.code) == (
        "INTERSPEECH",
        "https://example.org/paper",
        "https://github.com/example/exits",
    )
    assert paper.methods == ("distillation", "pruning")
    assert paper.models == ("HuBERT",)


def test_refuses_a_paper_already_there_by_arxiv_id_without_asking_arxiv(
    mini: Path,
    arxiv: ArxivServer,
) -> None:
    before = mini.read_text()
    code, _, err = run("add", "https://arxiv.org/abs/2305.17651v3", "--db", str(mini))
    assert code == 6
    assert "arXiv 2305.17651 is already in the catalog as 'dphubert' (same arXiv id)" in err
    assert arxiv.requests == []
    assert mini.read_text() == before


def test_refuses_a_paper_already_there_by_doi(mini: Path, arxiv: ArxivServer) -> None:
    before = mini.read_text()
    code, _, err = run("add", "2309.99999", "--db", str(mini))
    assert code == 6
    assert "already in the catalog as 'dphubert' (same DOI)" in err
    assert mini.read_text() == before


def test_refuses_a_paper_already_there_by_title(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.entries["2312.00001"] = atom_entry(
        "2312.00001",
        "LightHuBERT: lightweight and configurable speech representation learning "
        "with once-for-all hidden-unit BERT",
    )
    code, _, err = run("add", "2312.00001", "--db", str(mini))
    assert code == 6
    assert "'lighthubert' (same title)" in err


def test_a_bad_id_is_a_usage_error_naming_it(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("add", "2401.04321", "not-an-id", "--db", str(mini))
    assert code == 2
    assert "error: 'not-an-id' is not an arXiv id" in err
    assert "hint: use 2305.17651, 2305.17651v2, arXiv:2305.17651" in err
    assert arxiv.requests == []


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2305.1765", "ids from 2015 on have 5 digits after the dot"),
        ("arXiv:2305.1765v2", "ids from 2015 on have 5 digits after the dot"),
        ("2313.00001", "2313 is no new-style arXiv month"),
        ("https://arxiv.org/abs/2313.00001", "2313 is no new-style arXiv month"),
    ],
)
def test_a_malformed_new_style_id_is_refused_before_asking_arxiv(
    value: str, why: str, mini: Path, arxiv: ArxivServer
) -> None:
    code, out, err = run("add", value, "--db", str(mini), "--dry-run")
    assert code == 2
    assert f"error: {value!r} is not an arXiv id: {why}" in err
    assert "arXiv has no paper" not in err
    assert out == ""
    assert arxiv.requests == []


def test_an_unknown_id_is_reported(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("add", "2401.99999", "--db", str(mini))
    assert code == 2
    assert "arXiv has no paper 2401.99999" in err


def test_an_error_feed_is_reported_with_arxivs_words(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append((400, {"Content-Type": "application/atom+xml"}, fixture("error.xml")))
    code, _, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 2
    assert "the arXiv API refused the request: incorrect id format for 2401.043210" in err


def test_an_html_page_is_a_network_error(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append((200, {"Content-Type": "text/html"}, fixture("html-page.xml")))
    code, _, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 5
    assert "sent an HTML page (HTTP 200) instead of an Atom feed" in err
    assert "Traceback" not in err


def test_malformed_xml_is_a_network_error(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append((200, {}, fixture("malformed.xml")))
    code, _, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 5
    assert "sent malformed XML" in err


def test_a_429_then_200_succeeds(mini: Path, arxiv: ArxivServer) -> None:
    arxiv.script.append((429, {"Retry-After": "0"}, b"slow down"))
    code, _, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 0, err
    assert len(arxiv.requests) == 2
    assert load_catalog(mini).find("2401.04321") is not None


def test_a_503_that_never_recovers_is_exit_5(
    mini: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arxiv.always = (503, {"Retry-After": "0"}, b"down")
    monkeypatch.setenv("SCC_ARXIV_RETRIES", "2")
    before = mini.read_text()
    code, _, err = run("add", "2401.04321", "--db", str(mini))
    assert code == 5
    assert f"error: the arXiv API at {arxiv.url} failed: HTTP 503 after 3 attempts" in err
    assert "hint: arXiv may be busy or down" in err
    assert len(arxiv.requests) == 3
    assert mini.read_text() == before


def test_an_unreachable_api_is_exit_5_at_once_and_not_blamed_on_arxiv(mini: Path) -> None:
    # Default retries and delays: a refused connection is not worth 20 s of backoff.
    with ArxivServer() as gone:
        url = gone.url
    start = time.monotonic()
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--api-url", url)
    assert time.monotonic() - start < 3
    assert code == 5
    host = url.split("/")[2].split(":")[0]
    assert f"cannot connect to {host}: connection refused" in err
    assert "busy or down" not in err and "Traceback" not in err


def test_answers_are_cached_unless_no_cache(mini: Path, arxiv: ArxivServer) -> None:
    assert run("add", "2401.04321", "--db", str(mini), "--dry-run")[0] == 0
    assert run("add", "2401.04321", "--db", str(mini), "--dry-run")[0] == 0
    assert len(arxiv.requests) == 1
    assert run("add", "2401.04321", "--db", str(mini), "--dry-run", "--no-cache")[0] == 0
    assert len(arxiv.requests) == 2


def test_api_url_option_wins_over_the_environment(
    mini: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCC_ARXIV_API", "http://127.0.0.1:9/nowhere")
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--dry-run", "--api-url", arxiv.url)
    assert code == 0, err
    assert len(arxiv.requests) == 1


def test_unknown_venue_or_method_fails_before_asking_arxiv(
    mini: Path,
    arxiv: ArxivServer,
) -> None:
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--venue", "ICASP")
    assert code == 2
    assert "unknown venue 'ICASP'" in err and "did you mean 'ICASSP'?" in err
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--method", "prunning")
    assert code == 2
    assert "did you mean 'pruning'?" in err
    assert arxiv.requests == []


def test_a_bad_code_url_or_id_is_a_usage_error(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--code", "github.com/x")
    assert code == 2
    assert "error: --code: must be an http:// or https:// URL" in err
    code, _, err = run("add", "2401.04321", "--db", str(mini), "--id", "dphubert")
    assert code == 2
    assert "--id 'dphubert' is already used" in err


def test_one_paper_options_need_one_id(mini: Path, arxiv: ArxivServer) -> None:
    code, _, err = run("add", "2401.04321", "2402.00077", "--db", str(mini), "--id", "x")
    assert code == 2
    assert "--id can only be given when adding one paper" in err


def test_asks_before_writing_on_a_terminal(
    mini: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from speechcompress.cli import cmd_arxiv

    monkeypatch.setattr(cmd_arxiv, "_interactive", lambda: True)
    before = mini.read_text()
    result = CliRunner().invoke(app, ["add", "2401.04321", "--db", str(mini)], input="n\n")
    assert result.exit_code == 1
    assert 'title = "Four-Bit Whisper' in result.stderr
    assert "Add 1 paper to" in result.stderr
    assert "nothing was written" in result.stderr
    assert mini.read_text() == before
    result = CliRunner().invoke(app, ["add", "2401.04321", "--db", str(mini)], input="y\n")
    assert result.exit_code == 0, result.stderr
    assert load_catalog(mini).find("2401.04321") is not None


def test_yes_skips_the_question(
    mini: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from speechcompress.cli import cmd_arxiv

    monkeypatch.setattr(cmd_arxiv, "_interactive", lambda: True)
    result = CliRunner().invoke(app, ["add", "2401.04321", "--db", str(mini), "--yes"])
    assert result.exit_code == 0, result.stderr
    assert "Add 1 paper" not in result.stderr


def test_y_is_not_short_for_yes(mini: Path, arxiv: ArxivServer) -> None:
    # In list, export and stats -y is --year; add must not give it another meaning.
    before = mini.read_text()
    code, _, err = run("add", "2401.04321", "--db", str(mini), "-y")
    assert code == 2
    assert "No such option" in err and "-y" in err
    assert mini.read_text() == before
    assert arxiv.requests == []


def test_will_not_edit_the_bundled_catalog(
    tmp_path: Path,
    arxiv: ArxivServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("add", "2401.04321")
    assert code == 2
    assert "will not edit the catalog bundled with it" in err
    assert arxiv.requests == []


def test_help_shows_examples() -> None:
    result = CliRunner().invoke(app, ["add", "--help"])
    assert result.exit_code == 0
    assert "scc add 2305.17651" in result.stdout
    assert "--dry-run" in result.stdout and "--api-url" in result.stdout


def test_concurrent_adds_lose_no_paper(mini: Path, tmp_path: Path) -> None:
    ids = [f"2403.0000{i}" for i in range(1, 6)]
    # Titles that all make the id "concurrent": the processes also race for ids.
    server = ArxivServer(
        entries={
            i: atom_entry(i, f"Concurrent: Pruning Speech Models, Part {n}", published="2024-03-01")
            for n, i in enumerate(ids, 1)
        }
    )
    with server:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "SCC_ARXIV_API": server.url,
            "SCC_ARXIV_DELAY": "0",
        }
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "speechcompress", "add", i, "--db", str(mini)],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in ids
        ]
        results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for code, err in results:
        assert code == 0, err
    catalog = load_catalog(mini, use_cache=False)
    assert {p.arxiv for p in catalog.papers} >= set(ids)
    assert len(catalog.papers) == 5 + 5
    assert {p.id for p in catalog.papers if p.arxiv in ids} == {
        "concurrent",
        "concurrent-2",
        "concurrent-3",
        "concurrent-4",
        "concurrent-5",
    }
    assert len(server.requests) == 5


def test_concurrent_adds_of_one_paper_under_two_ids_add_it_once(mini: Path, tmp_path: Path) -> None:
    arxiv_id = "2403.00042"
    server = ArxivServer(
        entries={arxiv_id: atom_entry(arxiv_id, "Racing: One Paper Twice", published="2024-03-01")}
    )
    with server:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "SCC_ARXIV_API": server.url,
            "SCC_ARXIV_DELAY": "0",
        }
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "speechcompress",
                    "add",
                    arxiv_id,
                    "--id",
                    new_id,
                    "--db",
                    str(mini),
                ],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for new_id in ("racing-a", "racing-b")
        ]
        results = sorted((p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs)
    (ok_code, _), (refused_code, refused) = results
    assert (ok_code, refused_code) == (0, 6)
    assert "error: arXiv 2403.00042 is already in the catalog as 'racing-" in refused
    catalog = load_catalog(mini, use_cache=False)
    assert [p.id for p in catalog.papers if p.arxiv == arxiv_id] in (["racing-a"], ["racing-b"])
