"""``scc discover`` end to end, against a stand-in arXiv API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arxiv_server import ArxivServer, Request, Response, atom_entry, atom_feed, fixture
from speechcompress import load_catalog
from speechcompress.cli.app import app
from speechcompress.discover.query import date_window, search_query
from speechcompress.discover.rank import Document, rank

FEED = {"Content-Type": "application/atom+xml"}

PRUNED_WHISPER = atom_entry(
    "2501.00001",
    "Structured Pruning of Whisper for On-Device Speech Recognition",
    published="2025-01-06",
    abstract="We prune attention heads and layers of Whisper, cutting parameters by 60% "
    "and speeding up speech recognition with a small loss in word error rate.",
    comment="Accepted to ICASSP 2025",
)
DISTILLED_HUBERT = atom_entry(
    "2501.00002",
    "Layer-wise Distillation of HuBERT into a Tiny Student",
    published="2025-01-05",
    abstract="A small student learns HuBERT's hidden layers through knowledge distillation, "
    "with 75% fewer parameters and close SUPERB results.",
)
LLM_QUANT = atom_entry(
    "2501.00003",
    "Four-Bit Quantization of Large Language Models for Chat",
    published="2025-01-04",
    abstract="Post-training quantization of a large language model's weights to four bits "
    "for text generation on GPUs.",
)
SPEECH_CODEC = atom_entry(
    "2501.00004",
    "A Low-Bitrate Neural Speech Codec with Residual Vector Quantization",
    published="2025-01-03",
    abstract="A neural speech codec compresses audio at 1 kbps using residual vector "
    "quantization and codebooks.",
)
ASTRO = atom_entry(
    "2501.00005",
    "Molecular Clouds in the Outer Galaxy",
    published="2025-01-02",
    abstract="Radio observations of molecular clouds and their collapse.",
)
# Already in the mini catalog: DPHuBERT under a later version, a known DOI, a known title.
KNOWN_ID = atom_entry("2305.17651", "DPHuBERT (revised)", version=3, published="2023-05-28")
KNOWN_DOI = atom_entry(
    "2501.00006", "Another Title", published="2025-01-01", doi="10.21437/Interspeech.2023-1213"
)
KNOWN_TITLE = atom_entry(
    "2501.00007",
    "Shrinking bigfoot: reducing wav2vec 2.0 footprint!",
    published="2025-01-01",
)
ALL = [
    PRUNED_WHISPER,
    DISTILLED_HUBERT,
    LLM_QUANT,
    SPEECH_CODEC,
    ASTRO,
    KNOWN_ID,
    KNOWN_DOI,
    KNOWN_TITLE,
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


class SearchServer(ArxivServer):
    """Answers a search with ``feed`` entries, paged by start/max_results; an id_list
    request with the entries it names."""

    feed: list[str]

    def _answer(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.pop(0)
        if "search_query" in request.params:
            start = int(request.params["start"][0])
            size = int(request.params["max_results"][0])
            return 200, FEED, atom_feed(self.feed[start : start + size])
        wanted = set(request.ids)
        return 200, FEED, atom_feed([e for e in self.feed if _id(e) in wanted])


def _id(entry: str) -> str:
    return entry.split("/abs/", 1)[1].split("v", 1)[0].split("<", 1)[0]


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[SearchServer]:
    server = SearchServer()
    server.feed = list(ALL)
    with server:
        monkeypatch.setenv("SCC_ARXIV_API", server.url)
        monkeypatch.setenv("SCC_ARXIV_DELAY", "0")
        yield server


def discover_json(mini: Path, *extra: str) -> list[dict[str, object]]:
    code, out, err = run("discover", "--db", str(mini), "--format", "json", *extra)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


# --- ranking ----------------------------------------------------------------------------


def test_rank_puts_speech_compression_above_speech_alone_and_compression_alone() -> None:
    catalogued = [
        Document("dphubert", "Joint distillation and pruning of HuBERT", "Prunes a student."),
        Document("q-asr", "Quantization for efficient speech recognition", "Low-bit weights."),
    ]
    candidates = [
        Document("astro", "Molecular clouds in the outer galaxy", "Radio observations."),
        Document("llm", "Quantization of large language models", "Four-bit LLM weights."),
        Document("asr", "A new corpus for speech recognition", "Speech data in 12 languages."),
        Document(
            "hit",
            "Pruning a speech recognition model",
            "We prune a Conformer and cut its parameters by half.",
            ("eess.AS",),
        ),
    ]
    ranked = rank(candidates, catalogued, models=["HuBERT", "Conformer"])
    assert ranked[0].key == "hit" and ranked[0].score > 0
    by_key = {r.key: r for r in ranked}
    # each of the others lacks one side of "a speech model, made cheaper"
    assert by_key["llm"].compression > 0 and by_key["llm"].speech == 0
    assert by_key["asr"].speech > 0 and by_key["asr"].compression == 0
    assert all(by_key[k].score == 0 for k in ("llm", "asr", "astro"))
    hit = ranked[0]
    assert hit.neighbours[0][0] in {"dphubert", "q-asr"}
    assert "pruning" in hit.terms


def test_a_rejected_paper_pulls_down_its_look_alikes() -> None:
    catalogued = [Document("kd", "Distilling HuBERT into a small student", "Fewer parameters.")]
    candidates = [
        Document("a", "Distilling wav2vec 2.0 for speech recognition", "A small student."),
        Document("b", "Distilling a speech codec with vector quantization", "A small student."),
    ]
    before = {r.key: r.score for r in rank(candidates, catalogued)}
    rejected = [Document("x", "Distilling a speech codec", "A small student.")]
    after = {r.key: r.score for r in rank(candidates, catalogued, rejected=rejected)}
    assert after["b"] < before["b"]


def test_query_uses_the_catalogs_methods_models_categories_and_dates(mini: Path) -> None:
    papers = load_catalog(mini).papers
    query = search_query(papers, date_window("2025-01-01", "2025-01-31"))
    assert "cat:eess.AS" in query and "cat:cs.SD" in query
    assert "abs:pruning" in query and "abs:quantization" in query
    # model names only with a word of efficiency: alone they would flood the results
    assert '((abs:HuBERT OR abs:WavLM OR abs:"wav2vec 2.0"' in query
    assert "AND (abs:efficient OR abs:lightweight" in query
    assert "architecture search" not in query  # no paper of the catalog uses it
    assert query.endswith("submittedDate:[202501010000 TO 202501312359]")
    import datetime as dt

    since = search_query(papers, date_window("2025-01-01", None), today=dt.date(2025, 3, 4))
    assert since.endswith("submittedDate:[202501010000 TO 202503042359]")


# --- the command ------------------------------------------------------------------------


def test_json_lists_new_papers_best_first_with_their_fields(
    mini: Path, arxiv: SearchServer
) -> None:
    data = discover_json(mini)
    ids = [c["arxiv"] for c in data]
    assert set(ids[:2]) == {"2501.00001", "2501.00002"}
    assert ids[-1] == "2501.00005"
    top = next(c for c in data if c["arxiv"] == "2501.00001")
    assert {"arxiv", "title", "score", "methods", "models", "why", "venue"} <= set(top)
    assert top["methods"] == ["pruning"]
    assert top["venue"] == "ICASSP" and top["year"] == 2025
    assert "near " in str(top["why"])
    hubert = next(c for c in data if c["arxiv"] == "2501.00002")
    assert hubert["models"] == ["HuBERT"] and hubert["methods"] == ["distillation"]
    scores = [float(str(c["score"])) for c in data]
    assert scores == sorted(scores, reverse=True)
    search = arxiv.requests[0].params
    assert search["sortBy"] == ["submittedDate"] and "cat:eess.AS" in search["search_query"][0]


def test_papers_already_catalogued_are_left_out(mini: Path, arxiv: SearchServer) -> None:
    ids = {c["arxiv"] for c in discover_json(mini)}
    # the same arXiv id (any version), the same DOI, a near-identical title
    assert not ids & {"2305.17651", "2501.00006", "2501.00007"}
    assert len(ids) == 5


def test_results_are_paged_and_max_caps_the_output(mini: Path, arxiv: SearchServer) -> None:
    arxiv.feed = ALL * 1  # 8 entries, 3 per page below
    from speechcompress.arxiv import make_client
    from speechcompress.discover.fetch import search

    client = make_client(use_cache=False)
    found = search(client, "all:speech", limit=100, page_size=3)
    assert len(found) == 8
    starts = [r.params["start"][0] for r in arxiv.requests]
    assert starts == ["0", "3", "6"]
    assert len(discover_json(mini, "--max", "2")) == 2


def test_markdown_is_a_checklist_a_bot_can_post(mini: Path, arxiv: SearchServer) -> None:
    code, out, _ = run("discover", "--db", str(mini), "--format", "markdown")
    assert code == 0
    assert out.startswith("<!-- scc:discover -->\n")
    assert "- [ ] [2501.00001](https://arxiv.org/abs/2501.00001) Structured Pruning" in out
    assert "methods: pruning" in out and "why: near " in out
    assert "scc discover --accept" in out


def test_table_is_the_default(mini: Path, arxiv: SearchServer) -> None:
    code, out, _ = run("discover", "--db", str(mini))
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["#", "SCORE", "ARXIV"]
    assert "2501.00001" in out


def test_accept_adds_the_paper_like_scc_add(mini: Path, arxiv: SearchServer) -> None:
    before = mini.read_text(encoding="utf-8")
    code, _, err = run("discover", "--db", str(mini), "--accept", "2501.00002")
    assert code == 0, err
    assert "added 'layer-wise-distillation-hubert' (arXiv 2025)" in err
    after = mini.read_text(encoding="utf-8")
    assert after.startswith(before[:200])  # the head of the file is untouched
    paper = load_catalog(mini).find("2501.00002")
    assert paper is not None
    assert paper.methods == ("distillation",) and paper.models == ("HuBERT",)
    assert "2501.00002" not in {c["arxiv"] for c in discover_json(mini)}
    # a second accept is refused: it is in the catalog now
    code, _, err = run("discover", "--db", str(mini), "--accept", "2501.00002")
    assert code == 6 and "already in the catalog" in err


def test_reject_records_the_paper_and_it_never_comes_back(mini: Path, arxiv: SearchServer) -> None:
    code, _, err = run(
        "discover", "--db", str(mini), "--reject", "2501.00004", "--reason", "a codec"
    )
    assert code == 0, err
    record = mini.with_name("mini.rejected.toml")
    text = record.read_text(encoding="utf-8")
    assert 'arxiv = "2501.00004"' in text and 'reason = "a codec"' in text
    assert "Residual Vector Quantization" in text
    assert "2501.00004" not in {c["arxiv"] for c in discover_json(mini)}
    # a second rejection is added beside the first, the first kept as it was
    assert run("discover", "--db", str(mini), "--reject", "2501.00003", "--reason", "LLM")[0] == 0
    text2 = record.read_text(encoding="utf-8")
    assert text2.startswith(text) and text2.count("[[rejected]]") == 2


def test_data_papers_toml_keeps_its_rejections_in_data_rejected_toml(
    mini: Path, arxiv: SearchServer
) -> None:
    folder = mini.parent / "data"
    folder.mkdir()
    catalog = folder / "papers.toml"
    catalog.write_bytes(mini.read_bytes())
    code, _, err = run(
        "discover", "--db", str(catalog), "--reject", "2501.00005", "--reason", "astronomy"
    )
    assert code == 0, err
    assert (folder / "rejected.toml").is_file()


# --- mistakes ---------------------------------------------------------------------------


def _unchanged(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert not path.with_name(f"{path.stem}.rejected.toml").exists()


def test_reject_without_a_reason_is_refused(mini: Path, arxiv: SearchServer) -> None:
    before = mini.read_bytes()
    code, _, err = run("discover", "--db", str(mini), "--reject", "2501.00004")
    assert code == 2 and err.startswith("error: --reject needs --reason")
    _unchanged(mini, before)
    assert not arxiv.requests


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-13-01"], "error: --since '2025-13-01' is not a date"),
        (["--until", "yesterday"], "error: --until 'yesterday' is not a date"),
        (["--since", "2025-02-01", "--until", "2025-01-01"], "is after --until"),
        (["--format", "yaml"], "error: unknown format 'yaml'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    mini: Path, arxiv: SearchServer, args: list[str], message: str
) -> None:
    code, out, err = run("discover", "--db", str(mini), *args)
    assert code == 2 and message in err.splitlines()[0]
    assert out == "" and not arxiv.requests


def test_an_unreachable_api_is_a_network_error(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SCC_ARXIV_DELAY", "0")
    monkeypatch.setenv("SCC_ARXIV_RETRIES", "0")
    before = mini.read_bytes()
    code, out, err = run(
        "discover", "--db", str(mini), "--api-url", f"http://127.0.0.1:{port}/api/query"
    )
    assert code == 5 and out == ""
    assert err.startswith("error: the arXiv API at http://127.0.0.1:")
    assert "cannot connect" in err
    _unchanged(mini, before)


def test_an_error_feed_is_reported(mini: Path, arxiv: SearchServer) -> None:
    arxiv.script.append((400, FEED, fixture("error.xml")))
    code, out, err = run("discover", "--db", str(mini))
    assert code == 2 and out == ""
    assert err.startswith("error: the arXiv API refused the request: incorrect id format")


def test_an_empty_catalog_has_nothing_to_learn_from(tmp_path: Path, arxiv: SearchServer) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text('[catalog]\ntitle = "Empty"\n', encoding="utf-8")
    code, out, err = run("discover", "--db", str(empty))
    assert code == 2 and out == ""
    assert err.splitlines()[0] == "error: the catalog has no papers to learn from"
    assert not arxiv.requests


def test_the_bundled_catalog_is_never_edited(arxiv: SearchServer, tmp_path: Path) -> None:
    import os

    os.chdir(tmp_path)
    code, _, err = run("discover", "--accept", "2501.00001")
    assert code == 2 and "bundled" in err


def test_models_are_proposed_from_the_catalogs_names() -> None:
    import datetime as dt

    from speechcompress.arxiv import ArxivEntry
    from speechcompress.discover.candidates import propose_models

    day = dt.date(2025, 1, 1)
    entry = ArxivEntry(
        "2501.00009",
        1,
        "Distilling Whisper-large-v2 and wav2vec 2.0",
        (),
        day,
        day,
        "Unlike DistilHuBERT, the student is tiny.",
    )
    assert propose_models(entry, ["HuBERT", "wav2vec 2.0", "Whisper"]) == (
        "wav2vec 2.0",
        "Whisper",
    )
