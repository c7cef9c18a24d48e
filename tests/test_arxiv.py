"""The arXiv client and Atom parser, with HTTP mocked at the transport layer."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from arxiv_server import atom_entry, atom_feed, fixture
from speechcompress.arxiv import (
    USER_AGENT,
    ArxivClient,
    ArxivEntry,
    ArxivSettings,
    parse_feed,
)
from speechcompress.drafting import unique_id
from speechcompress.errors import NetworkError, UsageError
from speechcompress.venue_infer import infer_venue, propose_methods
from speechcompress.vocab import Venue, Vocabulary

# --- the parser ----------------------------------------------------------------------


def test_parses_the_2016_layout_with_namespaces_on_each_element() -> None:
    [entry] = parse_feed(fixture("entry-2016-layout.xml"))
    assert entry.arxiv_id == "2207.01234"
    assert entry.version == 2
    assert entry.title == (
        "Thin Students: Layer Pruning and Distillation of Self-Supervised Speech Encoders"
    )
    assert entry.authors == ("Ada Example", "Bruno Ejemplo", "Chloé Exemple")
    assert entry.published == dt.date(2022, 7, 4)
    assert entry.updated == dt.date(2022, 9, 20)
    assert entry.year == 2022
    assert entry.abstract.startswith("We shrink a self-supervised speech encoder by pruning")
    assert "\n" not in entry.abstract and "  " not in entry.abstract
    assert entry.primary_category == "eess.AS"
    assert entry.categories == ("eess.AS", "cs.CL")
    assert entry.doi == "10.21437/Interspeech.2022-99999"
    assert entry.journal_ref == "Proc. Interspeech 2022, pp. 1001-1005"
    assert entry.comment == "5 pages, 2 figures. Accepted to INTERSPEECH 2022"
    assert not entry.withdrawn


def test_parses_the_2026_layout_with_namespaces_on_the_feed() -> None:
    first, old = parse_feed(fixture("batch-2026-layout.xml"))
    assert (first.arxiv_id, first.version) == ("2401.04321", 1)
    assert first.title == "Four-Bit Whisper: Post-Training Quantization for Speech Recognition"
    assert first.authors == ("Dana Beispiel", "Eitan Dugma")
    assert first.published == dt.date(2024, 1, 9)
    assert first.primary_category == "cs.CL"  # no scheme attribute in this layout
    assert first.comment == "Accepted at ICASSP'24"
    assert first.doi is None and first.journal_ref is None
    assert old.arxiv_id == "cs/0112017"
    assert old.year == 2001


def test_the_api_error_feed_is_a_usage_error_quoting_arxiv() -> None:
    with pytest.raises(UsageError) as info:
        parse_feed(fixture("error.xml"))
    assert "incorrect id format for 2401.043210" in info.value.message
    assert "2305.17651" in (info.value.hint or "")


def test_a_feed_without_entries_has_no_entries() -> None:
    assert parse_feed(fixture("empty.xml")) == []


def test_a_withdrawn_paper_is_marked() -> None:
    [entry] = parse_feed(fixture("withdrawn.xml"))
    assert entry.withdrawn and entry.version == 3


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("html-page.xml", "HTML page"),
        ("malformed.xml", "malformed XML"),
        ("entities.xml", "declares entities"),
    ],
)
def test_bad_answers_are_network_errors(name: str, words: str) -> None:
    with pytest.raises(NetworkError) as info:
        parse_feed(fixture(name))
    assert words in info.value.message


def test_an_entity_attack_is_refused_before_expansion() -> None:
    # Expanded, the title would be 40 * 16**5 = 42 MB; refusing must be immediate.
    with pytest.raises(NetworkError):
        parse_feed(fixture("entities.xml"))


def test_a_document_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(NetworkError, match="not an Atom <feed>"):
        parse_feed(b"<?xml version='1.0'?><rss><channel/></rss>")


def test_arxivs_own_doi_is_not_taken_for_a_publisher_doi() -> None:
    feed = atom_feed([atom_entry("2401.00001", "T", doi="10.48550/arXiv.2401.00001")])
    [entry] = parse_feed(feed)
    assert entry.doi is None


# --- the client ----------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


Handler = Callable[[httpx.Request], httpx.Response]


def make_client(
    handler: Handler,
    tmp_path: Path,
    time: FakeTime | None = None,
    **settings: float | str,
) -> ArxivClient:
    time = time or FakeTime()
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ArxivClient(
        settings=ArxivSettings(api_url="https://api.test/query", **settings),
        http=http,
        cache_dir=tmp_path / "arxiv",
        sleep=time.sleep,
        clock=time.clock,
    )


def feed_for(*ids: str) -> bytes:
    return atom_feed([atom_entry(i, f"Paper {i}") for i in ids])


def test_several_ids_go_in_one_request_with_a_user_agent(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=feed_for("2401.00001", "2401.00002", "cs/0112017"))

    client = make_client(handler, tmp_path)
    entries = client.fetch(["2401.00001", "2401.00002", "cs/0112017"])
    assert sorted(entries) == ["2401.00001", "2401.00002", "cs/0112017"]
    assert isinstance(entries["cs/0112017"], ArxivEntry)
    [request] = seen
    assert request.url.params["id_list"] == "2401.00001,2401.00002,cs/0112017"
    assert request.url.params["max_results"] == "3"
    assert request.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("scc/")


def test_unknown_ids_are_absent_from_the_answer(tmp_path: Path) -> None:
    client = make_client(lambda r: httpx.Response(200, content=fixture("empty.xml")), tmp_path)
    assert client.fetch(["2401.99999"]) == {}


def test_requests_are_at_least_the_minimum_interval_apart(tmp_path: Path) -> None:
    time = FakeTime()
    client = make_client(
        lambda r: httpx.Response(200, content=feed_for(r.url.params["id_list"])),
        tmp_path,
        time,
        min_interval=3.0,
    )
    client.fetch(["2401.00001"])
    assert time.sleeps == []
    time.now += 1.0
    client.fetch(["2401.00002"])
    assert time.sleeps == [pytest.approx(2.0)]
    assert client.requests_sent == 2


def test_pacing_is_shared_by_clients_using_the_same_cache_folder(tmp_path: Path) -> None:
    # Two scc processes are two clients: the stamp in the shared lock file paces them both.
    time = FakeTime()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=feed_for(request.url.params["id_list"]))

    make_client(answer, tmp_path, time, min_interval=3.0).fetch(["2401.00001"])
    time.now += 0.5
    make_client(answer, tmp_path, time, min_interval=3.0).fetch(["2401.00002"])
    assert time.sleeps == [pytest.approx(2.5)]


def test_a_429_is_retried_after_the_time_retry_after_asks_for(tmp_path: Path) -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, content=feed_for("2401.00001")),
    ]
    time = FakeTime()
    client = make_client(lambda r: answers.pop(0), tmp_path, time, min_interval=0.0, backoff=1.0)
    assert "2401.00001" in client.fetch(["2401.00001"])
    assert time.sleeps == [7.0]


def test_retry_after_may_be_an_http_date(tmp_path: Path) -> None:
    time = FakeTime()
    when = email.utils.formatdate(time.now + 20, usegmt=True)
    answers = [
        httpx.Response(503, headers={"Retry-After": when}),
        httpx.Response(200, content=feed_for("2401.00001")),
    ]
    client = make_client(lambda r: answers.pop(0), tmp_path, time, min_interval=0.0, backoff=1.0)
    client.fetch(["2401.00001"])
    assert time.sleeps == [pytest.approx(20.0, abs=1.0)]


def test_a_503_that_never_recovers_backs_off_exponentially_then_fails(tmp_path: Path) -> None:
    time = FakeTime()
    client = make_client(
        lambda r: httpx.Response(503), tmp_path, time, min_interval=0.0, backoff=2.0, retries=3
    )
    with pytest.raises(NetworkError) as info:
        client.fetch(["2401.00001"])
    assert client.requests_sent == 4
    assert time.sleeps == [2.0, 4.0, 8.0]
    assert "HTTP 503 after 4 attempts" in info.value.message
    assert "https://api.test/query" in info.value.message


def test_a_refused_connection_is_reported_at_once_not_retried(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client(handler, tmp_path, min_interval=0.0, backoff=0.0, retries=2)
    with pytest.raises(NetworkError, match=r"cannot connect to api.test: connection refused"):
        client.fetch(["2401.00001"])
    assert client.requests_sent == 1


def test_a_timeout_is_retried_then_reported(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, content=feed_for("2401.00001"))

    client = make_client(handler, tmp_path, min_interval=0.0, backoff=0.0)
    assert "2401.00001" in client.fetch(["2401.00001"])
    assert len(calls) == 2


def test_a_retry_after_beyond_the_limit_fails_at_once(tmp_path: Path) -> None:
    client = make_client(
        lambda r: httpx.Response(429, headers={"Retry-After": "3600"}),
        tmp_path,
        min_interval=0.0,
        max_retry_after=600.0,
    )
    with pytest.raises(NetworkError, match="asks to wait 3600 s"):
        client.fetch(["2401.00001"])
    assert client.requests_sent == 1


def test_an_error_feed_with_http_400_is_a_usage_error(tmp_path: Path) -> None:
    client = make_client(lambda r: httpx.Response(400, content=fixture("error.xml")), tmp_path)
    with pytest.raises(UsageError, match="incorrect id format"):
        client.fetch(["2401.04321"])


def test_an_html_answer_is_a_network_error_naming_the_url(tmp_path: Path) -> None:
    client = make_client(
        lambda r: httpx.Response(
            200, content=fixture("html-page.xml"), headers={"Content-Type": "text/html"}
        ),
        tmp_path,
    )
    with pytest.raises(NetworkError) as info:
        client.fetch(["2401.04321"])
    assert "HTML page" in info.value.message
    assert "--api-url" in (info.value.hint or "")


def test_a_404_is_a_network_error(tmp_path: Path) -> None:
    client = make_client(lambda r: httpx.Response(404, content=b"not here"), tmp_path)
    with pytest.raises(NetworkError, match="answered HTTP 404"):
        client.fetch(["2401.04321"])


def test_answers_are_cached_for_a_day(tmp_path: Path) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, content=feed_for("2401.00001"))

    time = FakeTime()
    time.now = dt.datetime.now().timestamp()
    client = make_client(handler, tmp_path, time, min_interval=0.0)
    client.fetch(["2401.00001"])
    client.fetch(["2401.00001"])
    assert len(calls) == 1
    assert list((tmp_path / "arxiv").glob("*.xml"))
    time.now += 25 * 3600
    client.fetch(["2401.00001"])
    assert len(calls) == 2


def test_use_cache_false_asks_again(tmp_path: Path) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, content=feed_for("2401.00001"))

    client = make_client(handler, tmp_path, min_interval=0.0)
    client.clock = lambda: dt.datetime.now().timestamp()
    client.fetch(["2401.00001"])
    client.fetch(["2401.00001"])
    assert len(calls) == 1
    client.use_cache = False
    client.fetch(["2401.00001"])
    assert len(calls) == 2


def test_error_answers_are_not_cached(tmp_path: Path) -> None:
    answers = [
        httpx.Response(200, content=fixture("html-page.xml")),
        httpx.Response(200, content=feed_for("2401.00001")),
    ]
    client = make_client(lambda r: answers.pop(0), tmp_path, min_interval=0.0)
    client.clock = lambda: dt.datetime.now().timestamp()
    with pytest.raises(NetworkError):
        client.fetch(["2401.00001"])
    assert "2401.00001" in client.fetch(["2401.00001"])


def test_settings_come_from_the_environment() -> None:
    settings = ArxivSettings.from_env(
        {
            "SCC_ARXIV_API": "http://127.0.0.1:9/api",
            "SCC_ARXIV_DELAY": "0",
            "SCC_ARXIV_RETRIES": "1",
        }
    )
    assert settings.api_url == "http://127.0.0.1:9/api"
    assert (settings.min_interval, settings.backoff, settings.retries) == (0.0, 0.0, 1)
    defaults = ArxivSettings.from_env({})
    assert (defaults.min_interval, defaults.retries, defaults.max_age) == (3.0, 3, 86400.0)
    assert defaults.api_url == "https://export.arxiv.org/api/query"


def test_an_option_wins_over_the_environment() -> None:
    settings = ArxivSettings.from_env(
        {"SCC_ARXIV_API": "http://a.test/api"}, api_url="http://b.test/api"
    )
    assert settings.api_url == "http://b.test/api"


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"SCC_ARXIV_DELAY": "soon"}, "$SCC_ARXIV_DELAY must be a number from 0 to 86400"),
        ({"SCC_ARXIV_RETRIES": "-1"}, "$SCC_ARXIV_RETRIES must be a whole number from 0 to 100"),
        ({"SCC_ARXIV_API": "ftp://arxiv.org"}, "is not an http:// or https:// URL"),
    ],
)
def test_bad_settings_are_usage_errors(environ: dict[str, str], words: str) -> None:
    with pytest.raises(UsageError) as info:
        ArxivSettings.from_env(environ)
    assert words in info.value.message


# --- inference -----------------------------------------------------------------------

VOCAB = Vocabulary.with_extra_venues(
    [Venue("SustaiNLP", "workshop", "Workshop on Simple and Efficient Natural Language Processing")]
)


@pytest.mark.parametrize(
    ("journal_ref", "comment", "expected"),
    [
        (None, "Accepted to ICASSP 2023", ("ICASSP", 2023)),
        (None, "INTERSPEECH 2022", ("INTERSPEECH", 2022)),
        (None, "5 pages; accepted at Interspeech", ("INTERSPEECH", None)),
        (None, "Accepted at ICASSP'24", ("ICASSP", 2024)),
        (
            "Proc. Interspeech 2022, pp. 1001-1005",
            "Submitted to ICASSP 2023",
            ("INTERSPEECH", 2022),
        ),
        (
            "IEEE/ACM Transactions on Audio, Speech, and Language Processing, vol. 31, 2023",
            None,
            ("TASLP", 2023),
        ),
        (
            "2023 IEEE International Conference on Acoustics, Speech and Signal Processing",
            None,
            ("ICASSP", 2023),
        ),
        (None, "Camera-ready for the SustaiNLP workshop 2021", ("SustaiNLP", 2021)),
        (None, "Submitted to ICASSP 2023", None),
        (None, "5 pages, 3 figures, under review at INTERSPEECH 2024", None),
        (None, "Extended version of our ICASSP 2022 paper", None),
        (None, "Code: https://github.com/example/thin", None),
        ("Phys. Rev. B 85, 115117 (2012)", None, None),
        (None, "Comparison with NAACL baselines", None),
        # Two digits are a year after an apostrophe or glued to the venue, never a count.
        (None, "Accepted at ICASSP \u201924", ("ICASSP", 2024)),
        (None, "ICASSP23 camera-ready", ("ICASSP", 2023)),
        (None, "Accepted to Interspeech2023", ("INTERSPEECH", 2023)),
        (None, "Accepted to INTERSPEECH, 10 pages, 3 figures", ("INTERSPEECH", None)),
        (None, "Accepted by IEEE/ACM TASLP, 14 pages", ("TASLP", None)),
        (None, "Accepted to Interspeech 23", ("INTERSPEECH", None)),
        (None, "Accepted at ICASSP '24, 5 pages", ("ICASSP", 2024)),
        ("IEEE/ACM TASLP, 14 pages", None, ("TASLP", None)),
        ("Proc. Interspeech, pp. 2019-2023", None, ("INTERSPEECH", None)),
        ("Proc. Interspeech 2022 pp. 1001-1005", None, ("INTERSPEECH", 2022)),
        ("IEEE Signal Processing Letters 30 (2023) 1234-1238", None, ("SPL", 2023)),
    ],
)
def test_venue_inference(
    journal_ref: str | None, comment: str | None, expected: tuple[str, int | None] | None
) -> None:
    guess = infer_venue(journal_ref, comment, VOCAB)
    assert ((guess.venue, guess.year) if guess else None) == expected


@pytest.mark.parametrize(
    ("first_version_year", "expected"), [(2022, 2021), (2021, 2021), (2019, 2021), (2018, None)]
)
def test_a_venue_year_far_from_the_first_versions_is_ignored(
    first_version_year: int, expected: int | None
) -> None:
    guess = infer_venue(
        "Proc. Interspeech 2021", None, VOCAB, first_version_year=first_version_year
    )
    assert guess is not None
    assert (guess.venue, guess.year) == ("INTERSPEECH", expected)
    assert guess.ignored_year == (None if expected else 2021)


def test_a_bare_mention_with_an_implausible_year_is_no_venue() -> None:
    # "INTERSPEECH 2022" alone counts as a venue only because of its year.
    assert infer_venue(None, "INTERSPEECH 2012", VOCAB, first_version_year=2023) is None


def test_venue_inference_never_proposes_arxiv() -> None:
    assert infer_venue("arXiv preprint arXiv:2401.00001", None, VOCAB) is None


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        (
            "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models",
            "",
            ("pruning", "distillation"),
        ),
        ("Four-Bit Whisper", "Post-training quantization to 4-bit weights.", ("quantization",)),
        ("DistilHuBERT", "Layer-wise distillation of HuBERT.", ("distillation",)),
        (
            "Compact encoders",
            "We use singular value decomposition of the projections.",
            ("low-rank",),
        ),
        ("Once-for-all speech models", "A supernet trained once.", ("architecture-search",)),
        ("Splitformer", "An early-exit architecture for ASR.", ("dynamic-inference",)),
        ("Thin layers", "Cross-layer weight sharing saves memory.", ("parameter-sharing",)),
        ("A study of speech", "Nothing about compression here.", ()),
    ],
)
def test_methods_are_proposed_from_keywords(
    title: str, abstract: str, expected: tuple[str, ...]
) -> None:
    assert propose_methods(title, abstract) == expected


def test_unique_ids_avoid_taken_ones_and_non_ascii() -> None:
    assert unique_id("DPHuBERT: Joint Distillation", set()) == "dphubert"
    assert unique_id("DPHuBERT: Joint Distillation", {"dphubert"}) == "dphubert-2"
    assert unique_id("DPHuBERT: x", {"dphubert", "dphubert-2"}) == "dphubert-3"
    assert unique_id("Сжатие моделей", set()) == "paper"


@pytest.mark.parametrize(
    "title",
    ["DPHuBERT: Joint Distillation", "Café-Größe pruning of wav2vec 2.0", "Сжатие моделей", ""],
)
def test_add_and_import_make_the_same_id_from_a_title(title: str) -> None:
    from speechcompress import importing

    taken = {"dphubert"}
    assert unique_id(title, taken) == importing.unique_id(importing.id_base(title), taken)
