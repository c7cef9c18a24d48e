"""Offline catalog checks: every problem at once, each at its line, with a fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speechcompress.checks import (
    Finding,
    check_catalog,
    check_file,
    has_errors,
    has_syntax_error,
)
from speechcompress.render.findings import (
    render_findings_github,
    render_findings_json,
    render_findings_text,
)

BROKEN = """\
[catalog]
title = "Broken"

[[papers]]
id = "alpha"
title = "Alpha: Pruning Speech Models Carefully"
year = 2023
venue = "INTERSPEECH"
venue_url = "https://www.isca-archive.org/interspeech_2023/alpha.html"
arxiv = "2305.11111"
doi = "10.21437/Interspeech.2023-1"
code = "https://github.com/example/alpha"

[[papers]]
id = "alpha-again"
title = "Alpha again, under another title"
year = 2023
venue = "INTERSPEECH"
venue_url = "https://www.isca-archive.org/interspeech_2023/alpha2.html"
arxiv = "2305.11111v2"

[[papers]]
id = "doi-twin"
title = "A different title entirely for this one"
year = 2023
venue = "ICASSP"
venue_url = "https://ieeexplore.ieee.org/document/1"
doi = "10.21437/INTERSPEECH.2023-1"

[[papers]]
id = "near"
title = "Alpha: Pruning Speech Model Carefully"
year = 2023
venue = "ICASSP"
venue_url = "https://ieeexplore.ieee.org/document/2"

[[papers]]
id = "no-link"
title = "  A Title  With Stray   Spaces "
year = "2022"
venue = "INTERSPEECH"
code = "http://github.com/example/alpha"

[[papers]]
id = "early-preprint"
title = "A Preprint Dated Before Its arXiv Id"
year = 2021
venue = "arXiv"
arxiv = "2203.00001"

[[papers]]
id = "early-venue"
title = "A Venue Paper Posted To arXiv Later"
year = 2021
venue = "ASRU"
venue_url = "https://ieeexplore.ieee.org/document/3"
arxiv = "2201.00002"

[[papers]]
id = "bad-fields"
title = "Bad Arxiv Id, Venue And Method"
year = 2023
venue = "Interspeech 2023"
arxiv = "abs/2301"
methods = ["prunning"]
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "papers.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def line_of(needle: str, text: str = BROKEN) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def found(findings: list[Finding], rule: str, paper_id: str) -> Finding:
    hits = [f for f in findings if f.rule == rule and f.paper_id == paper_id]
    assert len(hits) == 1, (rule, paper_id, findings)
    return hits[0]


def test_the_test_catalog_has_only_a_missing_venue_link(mini: Path) -> None:
    findings = check_file(mini)
    assert [(f.severity, f.rule, f.paper_id) for f in findings] == [
        ("warning", "venue-url", "robustdistiller")
    ]
    assert findings[0].hint == 'add venue_url = "https://..." (the paper\'s page at the venue)'


def test_every_problem_is_reported_at_once(broken: Path) -> None:
    findings = check_file(broken)

    version = found(findings, "duplicate", "alpha-again")
    assert version.severity == "error"
    assert version.line == line_of('arxiv = "2305.11111v2"')
    assert "same arXiv id as 'alpha'" in version.message
    assert "merge" in (version.hint or "")

    doi = found(findings, "duplicate", "doi-twin")
    assert "same DOI as 'alpha'" in doi.message
    assert doi.line == line_of('doi = "10.21437/INTERSPEECH.2023-1"')

    near = found(findings, "near-duplicate", "near")
    assert (near.severity, near.line) == ("warning", line_of("Pruning Speech Model Carefully"))
    assert "'alpha'" in near.message

    url = found(findings, "duplicate-url", "no-link")
    assert url.severity == "warning"
    assert "also the code of 'alpha'" in url.message

    missing = found(findings, "venue-url", "no-link")
    assert missing.message == "no venue_url: the README shows an empty link [INTERSPEECH]()"

    spaces = found(findings, "whitespace", "no-link")
    assert spaces.hint == 'title = "A Title With Stray Spaces"'

    http = found(findings, "https", "no-link")
    assert http.hint == 'code = "https://github.com/example/alpha"'

    preprint = found(findings, "arxiv-year", "early-preprint")
    assert (preprint.severity, preprint.hint) == ("error", "year = 2022")
    venue = found(findings, "arxiv-year", "early-venue")
    assert venue.severity == "warning"  # a venue paper may reach arXiv after it appeared


def test_schema_errors_become_findings_and_hide_nothing(broken: Path) -> None:
    findings = check_file(broken)
    schema = {(f.paper_id, f.message.split(":")[0]): f for f in findings if f.rule == "schema"}
    assert set(schema) == {
        ("alpha-again", "arxiv"),
        ("no-link", "year"),
        ("bad-fields", "venue"),
        ("bad-fields", "arxiv"),
        ("bad-fields", "methods"),
    }
    assert all(f.severity == "error" for f in schema.values())
    assert "write '2305.11111'" in schema["alpha-again", "arxiv"].message
    assert schema["no-link", "year"].line == line_of('year = "2022"')
    assert "did you mean 'INTERSPEECH'" in schema["bad-fields", "venue"].message
    assert "did you mean 'pruning'" in schema["bad-fields", "methods"].message
    assert (
        schema["bad-fields", "arxiv"].hint
        == 'the bare id without version or URL: arxiv = "2305.17651"'
    )
    # The paper with the schema error still had its other problems found.
    assert {f.rule for f in findings if f.paper_id == "no-link"} >= {
        "venue-url",
        "whitespace",
        "https",
        "duplicate-url",
    }
    assert has_errors(findings)
    assert [f.line for f in findings] == sorted(f.line for f in findings)


def test_two_bit_and_four_bit_are_not_near_duplicates(tmp_path: Path) -> None:
    text = BROKEN.split("[[papers]]")[0] + "".join(
        f'[[papers]]\nid = "q{bits}"\ntitle = "{bits}-bit Conformer Quantization for Speech '
        f'Recognition"\nyear = 2023\nvenue = "ICASSP"\nvenue_url = "https://e.org/{bits}"\n\n'
        for bits in (2, 4)
    )
    assert check_catalog(text, tmp_path / "p.toml") == []


def test_a_toml_syntax_error_is_one_finding_at_its_line_and_column(tmp_path: Path) -> None:
    findings = check_catalog('[[papers]]\nid = "x\n', tmp_path / "p.toml")
    assert [(f.severity, f.rule, f.paper_id, f.line, f.col) for f in findings] == [
        ("error", "syntax", None, 2, 8)
    ]
    assert findings[0].message == "TOML syntax error: Illegal character '\\n'"
    assert findings[0].where == f"{tmp_path / 'p.toml'}:2:8"
    assert "unclosed quote" in (findings[0].hint or "")
    assert has_syntax_error(findings) and has_errors(findings)


def test_a_file_that_is_not_utf8_is_reported_like_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b'[catalog]\ntitle = "\xff"\n')
    [finding] = check_file(path)
    # The line of the first byte that is not UTF-8, and how to convert the file.
    assert (finding.rule, finding.line, finding.where) == ("syntax", 2, f"{path}:2")
    assert finding.message == "not UTF-8 text (byte 0xff: invalid start byte)"
    assert finding.hint is not None and finding.hint.startswith("scc reads UTF-8 only")


SYNTAX = Finding(
    "error",
    None,
    "data/papers.toml",
    12,
    "TOML syntax error: Invalid value",
    "often an unclosed quote",
    "syntax",
    col=9,
)


def test_a_syntax_error_renders_in_every_format() -> None:
    assert render_findings_text([SYNTAX]) == (
        "Errors (1)\n"
        "  data/papers.toml:12:9 TOML syntax error: Invalid value\n"
        "      fix: often an unclosed quote\n"
        "\n"
        "1 error, 0 warnings\n"
    )
    data = json.loads(render_findings_json([SYNTAX], "data/papers.toml"))
    assert data["papers"] is None
    assert data["findings"] == [
        {
            "severity": "error",
            "rule": "syntax",
            "paper_id": None,
            "file": "data/papers.toml",
            "line": 12,
            "col": 9,
            "message": "TOML syntax error: Invalid value",
            "hint": "often an unclosed quote",
        }
    ]
    assert render_findings_github([SYNTAX]) == (
        "::error file=data/papers.toml,line=12,col=9,title=not valid TOML"
        "::TOML syntax error: Invalid value%0Afix: often an unclosed quote\n"
    )


def test_text_report_groups_errors_before_warnings(broken: Path) -> None:
    findings = check_file(broken)
    text = render_findings_text(findings, papers=8)
    assert text.index("Errors (") < text.index("Warnings (")
    line = line_of('arxiv = "2305.11111v2"')
    assert f"  {broken}:{line} [alpha-again] same arXiv id as 'alpha'" in text
    assert "      fix: merge the two entries into 'alpha' and delete this one" in text
    assert text.rstrip().endswith("in 8 papers")
    assert render_findings_text([], papers=3) == "no problems in 3 papers\n"


def test_json_report_is_stable(broken: Path) -> None:
    findings = check_file(broken)
    data = json.loads(render_findings_json(findings, "papers.toml", papers=8))
    assert data["errors"] == sum(f.severity == "error" for f in findings)
    assert data["warnings"] == len(findings) - data["errors"]
    assert set(data["findings"][0]) == {
        "severity",
        "rule",
        "paper_id",
        "file",
        "line",
        "col",
        "message",
        "hint",
    }


def test_github_annotations_point_at_the_line_and_escape_text() -> None:
    finding = Finding(
        "error",
        "alpha",
        "data/papers.toml",
        12,
        "50% off, really: yes",
        "do this\nthen that",
        "duplicate",
    )
    assert render_findings_github([finding]) == (
        "::error file=data/papers.toml,line=12,title=alpha%3A duplicate paper"
        "::50%25 off, really: yes%0Afix: do this%0Athen that\n"
    )
    warning = Finding("warning", None, "data/papers.toml", 0, "m", None, "schema")
    assert (
        render_findings_github([warning])
        == "::warning file=data/papers.toml,title=invalid field::m\n"
    )


# --- near-identical titles: blocking finds exactly what comparing every pair finds --------------


def _near_titles_every_pair(raw_papers: list[dict[str, object]]) -> list[tuple[int, int]]:
    """The former algorithm: each title against every earlier one, first match wins."""
    import re

    from rapidfuzz import fuzz

    from speechcompress.text import normalized_title

    found: list[tuple[int, int]] = []
    seen: list[tuple[int, str]] = []
    exact: set[str] = set()
    for index, raw in enumerate(raw_papers):
        value = raw.get("title")
        title = normalized_title(value if isinstance(value, str) else "")
        if len(title) < 20 or title in exact:
            exact.add(title)
            continue
        digits = re.findall(r"\d+", title)
        for other_index, other in seen:
            if re.findall(r"\d+", other) == digits and fuzz.ratio(title, other) >= 95.0:
                found.append((index, other_index))
                break
        seen.append((index, title))
        exact.add(title)
    return found


def _generated_titles(seed: int, n: int) -> list[str]:
    import random

    rng = random.Random(seed)
    words = (
        "pruning distillation quantization speech self supervised model models compact "
        "efficient wav2vec hubert whisper layer head structured low rank bit on device "
        "streaming transformer conformer recognition representation learning for of and the"
    ).split()
    titles: list[str] = []
    for _ in range(n):
        roll = rng.random()
        if titles and roll < 0.35:
            base = list(rng.choice(titles))
            for _ in range(rng.randint(0, 4)):  # typos: insert, delete or change a letter
                at = rng.randrange(len(base))
                op = rng.randrange(3)
                if op == 0:
                    base.insert(at, rng.choice("abcdefghij 2"))
                elif op == 1 and len(base) > 1:
                    del base[at]
                else:
                    base[at] = rng.choice("xyz4 ")
            titles.append("".join(base))
        else:
            count = rng.randint(2, 14)
            title = " ".join(rng.choice(words) for _ in range(count))
            if rng.random() < 0.2:
                title += f" {rng.choice([2, 4, 8])}-bit"
            titles.append(title.capitalize())
    return titles


@pytest.mark.parametrize("seed", range(6))
def test_near_title_blocking_finds_exactly_what_every_pair_finds(seed: int) -> None:
    from speechcompress.catalog import LineMap
    from speechcompress.checks import _near_titles
    from speechcompress.text import normalized_title

    titles = _generated_titles(seed, 400)
    raw = [{"id": f"p{i}", "title": t} for i, t in enumerate(titles)]
    text = "".join(f'[[papers]]\nid = "p{i}"\n' for i in range(len(raw)))
    lines = LineMap(text)
    got = [
        (int((f.paper_id or "p-1")[1:]), int(f.message.split("'p")[1].split("'")[0]))
        for f in _near_titles(raw, lines, "c.toml", [normalized_title(t) for t in titles])
    ]
    expected = _near_titles_every_pair(raw)
    assert len(expected) > 20  # the generator plants near-duplicates
    assert got == expected


# --- a catalog scc has indexed skips the schema pass, with the same findings ----------

WARNED = """\
[catalog]
title = "Warned"

[catalog.venues]
SpeechWS = { kind = "workshop", name = "A Speech Workshop", aliases = ["speech-ws"] }

[[papers]]
id = "one"
title = " Pruning  speech models"
year = 2023
venue = "INTERSPEECH"
code = "http://github.com/example/one"

[[papers]]
id = "two"
title = "Distilling speech models"
year = 2020
venue = "arXiv"
arxiv = "2305.11111"
code = "https://github.com/example/one"

[[papers]]
id = "three"
title = "Distilling speech model"
year = 2023
venue = "speech-ws"
arxiv = "2305.11111"

[[papers]]
id = "four"
title = "Quantizing Whisper to four bits for phones"
year = 2023
venue = "interspeech"
venue_url = "http://www.isca-archive.org/four.html"
doi = "10.1234/x"

[[papers]]
id = "five"
title = "Quantizing Whisper to four bits for phone"
year = 2024
venue = "SpeechWS"
doi = "10.1234/y"
"""


def _indexed(tmp_path: Path, text: str = WARNED) -> Path:
    from speechcompress.source import open_source

    path = tmp_path / "papers.toml"
    path.write_text(text, encoding="utf-8")
    assert type(open_source(path)).__name__ == "CatalogIndex"  # validated and indexed
    return path


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import speechcompress.checks as checks

    calls: list[int] = []
    real = checks.parse_catalog

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "parse_catalog", counting)
    return calls


def test_an_indexed_catalog_gives_the_same_findings_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import speechcompress.checks as checks

    path = _indexed(tmp_path)
    calls = _count_validations(monkeypatch)
    real = checks.parse_toml
    monkeypatch.setattr(checks, "parse_toml", lambda *a: pytest.fail("parsed the TOML"))
    vouched = check_file(path)
    monkeypatch.setattr(checks, "parse_toml", real)
    assert calls == []
    assert vouched == check_file(path, use_cache=False)
    assert calls == [1]
    assert {f.rule for f in vouched} == {
        "whitespace",
        "https",
        "duplicate-url",
        "arxiv-year",
        "venue-url",
        "duplicate",
        "near-duplicate",
    }
    # 'five' has a DOI, which its venue link falls back to: not an empty link.
    assert {f.paper_id for f in vouched if f.rule == "venue-url"} == {"one", "three"}


def test_a_changed_catalog_is_validated_again_even_with_the_same_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    path = _indexed(tmp_path)
    before = path.stat()
    # Same length, same mtime: only the bytes tell the index no longer vouches for it.
    path.write_text(WARNED.replace("year = 2023", "year = 1023", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    calls = _count_validations(monkeypatch)
    findings = check_file(path)
    assert calls == [1]
    assert [f.paper_id for f in findings if f.rule == "schema"] == ["one"]


def test_a_damaged_index_vouches_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from speechcompress.index_codec import index_file

    path = _indexed(tmp_path)
    file = index_file(path)
    assert file is not None
    data = bytearray(file.read_bytes())
    data[-100] ^= 0xFF
    file.write_bytes(bytes(data))
    calls = _count_validations(monkeypatch)
    assert check_file(path) == check_file(path, use_cache=False)
    assert calls == [1, 1]
