"""Network faults end as one line and an exit code, quickly: never a traceback or a hang.

Every server here is on 127.0.0.1 and started by the test; nothing reaches the network.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import httpx
import pytest

from arxiv_server import ArxivServer, atom_entry, atom_feed
from conftest import run
from drip_server import DripServer, headers
from link_server import closed_port
from speechcompress.arxiv import ArxivClient, ArxivSettings, parse_feed
from speechcompress.errors import NetworkError

ENTRY = atom_entry("2401.04321", "Tiny Whisper: Quantizing a Speech Model")


def add(mini: Path, url: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run("add", "2401.04321", "--db", str(mini), "--yes", "--api-url", url, env=env)
    return result.exit_code, result.stderr


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


# --- settings that would have reached a socket or a sleep ----------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SCC_ARXIV_TIMEOUT", "nan"),
        ("SCC_ARXIV_TIMEOUT", "inf"),
        ("SCC_ARXIV_DELAY", "1e309"),
        ("SCC_ARXIV_RETRIES", "99999999999"),
        ("SCC_NET_DEADLINE", "-1"),
        ("SCC_NET_MAX_BYTES", "lots"),
    ],
)
def test_a_bad_number_in_the_environment_is_a_usage_error_naming_it(
    mini: Path, name: str, value: str
) -> None:
    code, err = add(mini, f"http://127.0.0.1:{closed_port()}/api", {name: value})
    assert code == 2
    assert f"${name}" in one_error_line(err) and repr(value) in err


def test_an_api_url_with_a_bad_port_is_a_usage_error(mini: Path) -> None:
    code, err = add(mini, "http://127.0.0.1:abc/x")
    assert code == 2
    assert "bad port" in one_error_line(err)


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"HTTP_PROXY": "::x::"}, "$HTTP_PROXY='::x::'"),
        ({"ALL_PROXY": "socks5://127.0.0.1:9"}, "$ALL_PROXY names a SOCKS proxy"),
        ({"SSL_CERT_FILE": "/nonexistent/ca.pem"}, "$SSL_CERT_FILE names /nonexistent/ca.pem"),
    ],
)
def test_a_broken_http_setup_names_the_variable(
    mini: Path, env: dict[str, str], words: str
) -> None:
    pytest.importorskip("httpx")
    if "ALL_PROXY" in env:
        try:
            import socksio  # noqa: F401
        except ImportError:
            pass
        else:
            pytest.skip("httpx's socks extra is installed: a SOCKS proxy is fine")
    code, err = add(mini, f"http://127.0.0.1:{closed_port()}/api", env)
    assert code == 5
    assert words in one_error_line(err)


# --- feeds that broke the parser ---------------------------------------------------------------


def test_a_feed_in_an_unknown_encoding_is_a_network_error() -> None:
    feed = atom_feed([ENTRY]).replace(b"encoding='UTF-8'", b"encoding='x-bogus'")
    with pytest.raises(NetworkError, match="cannot be decoded"):
        parse_feed(feed)


def test_an_absurd_version_number_is_read_as_version_1(mini: Path) -> None:
    entry = ENTRY.replace("2401.04321v1", "2401.04321v" + "9" * 5000)
    [parsed] = parse_feed(atom_feed([entry]))
    assert parsed.version == 1
    with ArxivServer(entries={"2401.04321": entry}) as server:
        code, err = add(mini, server.url, {"SCC_ARXIV_DELAY": "0"})
    assert code == 0, err


def test_a_feed_in_an_unknown_encoding_via_add_is_exit_5(mini: Path) -> None:
    feed = atom_feed([ENTRY]).replace(b"encoding='UTF-8'", b"encoding='x-bogus'")
    with ArxivServer(always=(200, {"Content-Type": "application/atom+xml"}, feed)) as server:
        code, err = add(mini, server.url, {"SCC_ARXIV_DELAY": "0"})
    assert code == 5
    assert "cannot be decoded" in one_error_line(err)


# --- offline: said as such, at once ------------------------------------------------------------


def mock_client(error: Exception, tmp_path: Path) -> ArxivClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request) from error

    return ArxivClient(
        settings=ArxivSettings(api_url="https://export.arxiv.org/api/query", backoff=5.0),
        http=httpx.Client(transport=httpx.MockTransport(handler)),
        cache_dir=tmp_path,
        sleep=lambda s: pytest.fail(f"slept {s} s before giving up on a name that does not exist"),
    )


def test_an_unresolvable_name_fails_at_once_saying_so(tmp_path: Path) -> None:
    client = mock_client(socket.gaierror(socket.EAI_NONAME, "Name or service not known"), tmp_path)
    with pytest.raises(NetworkError) as info:
        client.fetch(["2401.04321"])
    assert "cannot resolve host export.arxiv.org" in info.value.message
    assert "busy" not in (info.value.hint or "")
    assert client.requests_sent == 1


def test_a_refused_connection_via_refresh_fails_at_once(mini: Path) -> None:
    start = time.monotonic()
    result = run("refresh", "--db", str(mini), "--api-url", f"http://127.0.0.1:{closed_port()}/a")
    assert time.monotonic() - start < 3
    assert result.exit_code == 5
    assert "cannot connect to 127.0.0.1: connection refused" in one_error_line(result.stderr)


ONE_SHORT_TRY = {"SCC_ARXIV_TIMEOUT": "1", "SCC_ARXIV_RETRIES": "0"}


# --- hangs and floods ----------------------------------------------------------------------------


def test_an_api_that_drips_its_body_is_cut_off_at_the_timeout(mini: Path) -> None:
    body = atom_feed([ENTRY])
    with DripServer(head=headers(len(body)), drip=body, interval=0.05, limit=20) as server:
        start = time.monotonic()
        code, err = add(
            mini, server.url("/api"), {"SCC_ARXIV_TIMEOUT": "1", "SCC_ARXIV_RETRIES": "0"}
        )
        took = time.monotonic() - start
    assert code == 5 and took < 4, (took, err)
    assert "timed out after 1 s" in one_error_line(err)


def test_an_api_that_drips_its_headers_is_cut_off_at_the_timeout(mini: Path) -> None:
    with DripServer(drip=headers(100) * 50, interval=0.05, limit=20) as server:
        start = time.monotonic()
        code, err = add(
            mini, server.url("/api"), {"SCC_ARXIV_TIMEOUT": "1", "SCC_ARXIV_RETRIES": "0"}
        )
        took = time.monotonic() - start
    assert code == 5 and took < 4, (took, err)
    assert "timed out" in one_error_line(err) or "within 1 s" in err


def test_retries_stop_at_the_overall_deadline(mini: Path) -> None:
    env = {"SCC_NET_DEADLINE": "1", "SCC_ARXIV_DELAY": "0.4", "SCC_ARXIV_RETRIES": "10"}
    with ArxivServer(always=(503, {}, b"busy")) as server:
        start = time.monotonic()
        code, err = add(mini, server.url, env)
        took = time.monotonic() - start
    assert code == 5 and took < 3, (took, err)
    assert "deadline" in one_error_line(err)


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_past_the_size_cap_is_refused(mini: Path, declared: bool) -> None:
    body = b"<feed>" + b" " * 3_000_000 + b"</feed>"
    head = headers(len(body) if declared else None)
    with DripServer(head=head, body=body, limit=10) as server:
        code, err = add(mini, server.url("/api"), {"SCC_NET_MAX_BYTES": "1000000"})
    assert code == 5
    assert "too large" in one_error_line(err)


# --- the cache cannot be turned against the user ---------------------------------------------


def test_a_symlinked_lock_in_the_cache_redirects_no_write(mini: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    cache = Path(os.environ["SCC_CACHE_DIR"])
    (cache / "arxiv").mkdir(parents=True, mode=0o700)
    (cache / "arxiv" / "api.lock").symlink_to(victim)
    (cache / "arxiv" / "versions").mkdir(mode=0o700)
    (cache / "arxiv" / "versions" / "2401.04321").symlink_to(victim)
    with ArxivServer(entries={"2401.04321": ENTRY}) as server:
        code, err = add(mini, server.url, {"SCC_ARXIV_DELAY": "0"})
    assert code == 0, err
    assert victim.read_text() == "precious\n"
