"""Seeded generators for ``bench/faults.py``: broken catalogs, import files, tricky text.

Every function takes a ``random.Random``; the same seed gives the same bytes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from faults_core import REPO

_PAPER_HEADER = re.compile(rb"^\[\[papers\]\]\s*$", re.MULTILINE)
_KEY_LINE = re.compile(rb"^([A-Za-z_]+) = ")
_WORDS = (
    "speech pruning distillation quantization whisper hubert wavlm conformer transducer "
    "sparse low rank efficient streaming on-device layer student teacher compression "
    "self-supervised structured tiny fast model recognition keyword spotting encoder"
).split()


def catalog_text(papers: int) -> bytes:
    """``data/papers.toml`` cut after its first ``papers`` entries (header kept)."""
    data = (REPO / "data" / "papers.toml").read_bytes()
    starts = [m.start() for m in _PAPER_HEADER.finditer(data)]
    if papers >= len(starts):
        return data
    return data[: starts[papers]].rstrip() + b"\n"


def paper_ids(text: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb'^id = "([^"]+)"', text, re.MULTILINE)]


# --- catalog mutations --------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _key_lines(lines: list[bytes]) -> list[int]:
    return [i for i, line in enumerate(lines) if _KEY_LINE.match(line)]


def byte_edits(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        at = rng.randrange(len(buf))
        kind = rng.randrange(4)
        if kind == 0:
            buf[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del buf[at]
        elif kind == 2:
            buf.insert(at, rng.choice(b"[]{}=\"#\\\n,.=\t '0123456789aZ"))
        else:
            buf[at] = rng.randrange(256)
    return bytes(buf)


_GRAB_BAG = [
    b"[[papers]]",
    b"[catalog]",
    b"[catalog.venues]",
    b'id = "dup"',
    b"title = ",
    b'year = "2023"',
    b"foo = 1",
    b"[papers]",
    b"methods = []",
    b'venue = "NOPE"',
    b'x."y".z = 1',
    b"= 1",
    b'"""',
    b"'''",
    b"[[papers.x]]",
    b"papers = 3",
]


def line_edits(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        kind = rng.randrange(5)
        if kind == 0 and len(lines) > 1:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[j])
        elif kind == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            lines.insert(i, rng.choice(_GRAB_BAG))
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return b"\n".join(lines)


def _nested(rng: random.Random) -> bytes:
    depth = rng.randint(401, 3000)
    if rng.random() < 0.5:
        return b"[" * depth + b"1" + b"]" * depth
    return b"{a = " * depth + b"1" + b"}" * depth


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    keys = _key_lines(lines)
    value = _nested(rng)
    if keys and rng.random() < 0.6:
        i = rng.choice(keys)
        lines[i] = lines[i].split(b" = ", 1)[0] + b" = " + value
    else:
        lines.insert(rng.randrange(len(lines) + 1), b"deep = " + value)
    if rng.random() < 0.2:  # unclosed as well
        lines.append(b"x = " + b"[" * rng.randint(401, 2000))
    return b"\n".join(lines)


def huge_field(rng: random.Random, data: bytes, ids: list[str]) -> bytes:
    """A 1-10 MB summary, abstract or title on the first paper."""
    size = rng.randint(1_000_000, 10_000_000)
    words = " ".join(rng.choice(_WORDS) for _ in range(size // 7 + 1))[:size].encode()
    key = rng.choice([b"summary", b"abstract", b"title"])
    line = key + b' = "' + words + b'"'
    lines = _lines(data)
    at = lines.index(b'id = "' + ids[0].encode() + b'"') if ids else -1
    if at < 0:
        return data + b"\n" + line + b"\n"
    for i in range(at + 1, len(lines)):
        if not lines[i].strip() or lines[i].startswith(b"["):
            break
        if lines[i].startswith(key + b" = "):
            lines[i] = line
            return b"\n".join(lines)
    lines.insert(at + 1, line)
    return b"\n".join(lines)


_CONTROLS = [b"\x1b", b"\xc2\x9b", b"\x00", b"\\u001b", b"\\u009b", b"\\u0000", b"\\u0007", b"\x7f"]


def control_chars(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    strings = [i for i, line in enumerate(lines) if line.endswith(b'"') and b' = "' in line]
    for _ in range(rng.randint(1, 3)):
        if not strings:
            break
        i = rng.choice(strings)
        line = lines[i]
        start = line.index(b' = "') + 4
        at = rng.randint(start, len(line) - 1)
        lines[i] = line[:at] + rng.choice(_CONTROLS) + line[at:]
    return b"\n".join(lines)


_WRONG_VALUES = [
    b'"2023"',
    b"2023.5",
    b"[]",
    b"{}",
    b"true",
    b"1979-05-27",
    b"-1",
    b"99999999999999999999999",
    b"[1, 2]",
    b'["a", 1]',
    b'""',
    b'"   "',
    b"nan",
    b"inf",
    b"0x10",
    b"12:00:00",
    b"[[]]",
    b"{ kind = 1 }",
]


def wrong_types(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    keys = _key_lines(lines)
    for _ in range(rng.randint(1, 3)):
        if not keys:
            break
        i = rng.choice(keys)
        lines[i] = lines[i].split(b" = ", 1)[0] + b" = " + rng.choice(_WRONG_VALUES)
    return b"\n".join(lines)


def duplicate_keys(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    kind = rng.randrange(4)
    keys = _key_lines(lines)
    if kind == 0 and keys:
        i = rng.choice(keys)
        lines.insert(i + 1, lines[i])
    elif kind == 1:
        lines.append(b'[catalog]\ntitle = "again"')
    elif kind == 2:
        # A whole paper twice: the same id (a schema error), the same table shape.
        blocks = data.split(b"\n[[papers]]\n")
        if len(blocks) > 2:
            return data.rstrip(b"\n") + b"\n\n[[papers]]\n" + rng.choice(blocks[1:])
    else:
        lines.append(b'[catalog.venues]\nX = { kind = "workshop", name = "X" }')
    return b"\n".join(lines)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def crlf_mix(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    out = []
    for line in lines:
        roll = rng.random()
        if roll < 0.3:
            out.append(line + b"\r")
        elif roll < 0.33 and b'"' in line:
            at = line.index(b'"') + 1
            out.append(line[:at] + b"\r" + line[at:])
        else:
            out.append(line)
    if rng.random() < 0.2:
        return b"\r".join(out)  # old Mac line ends only
    return b"\n".join(out)


_BAD_UTF8 = [
    b"\xff",
    b"\xc3",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xfe\xff",
    b"\x80",
    b"\xf4\x90\x80\x80",
]


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    roll = rng.random()
    if roll < 0.1:
        return b"\xef\xbb\xbf" + data  # a UTF-8 BOM
    if roll < 0.2:
        return data.decode("utf-8", "replace").encode("utf-16")
    if roll < 0.3:
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(buf) + 1)
        buf[at:at] = rng.choice(_BAD_UTF8)
    return bytes(buf)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "bytes": byte_edits,
    "lines": line_edits,
    "nesting": deep_nesting,
    "controls": control_chars,
    "types": wrong_types,
    "duplicates": duplicate_keys,
    "truncate": truncate,
    "crlf": crlf_mix,
    "utf8": invalid_utf8,
}


def mutate_catalog(rng: random.Random, data: bytes, *, huge: bool) -> tuple[str, bytes]:
    """(names of the edits made, the edited catalog)."""
    names = []
    if huge:
        data = huge_field(rng, data, paper_ids(data))
        names.append("huge")
        ops = rng.sample(sorted(MUTATIONS), k=rng.randint(0, 1))
    else:
        ops = rng.sample(sorted(MUTATIONS), k=rng.choice([1, 1, 1, 2, 3]))
    for name in ops:
        data = MUTATIONS[name](rng, data)
        names.append(name)
    return "+".join(names), data


# --- import files -------------------------------------------------------------------------


def title(rng: random.Random, words: int | None = None) -> str:
    count = words or rng.randint(3, 10)
    text = " ".join(rng.choice(_WORDS) for _ in range(count))
    return text[0].upper() + text[1:]


def arxiv_id(rng: random.Random, year: int = 2024) -> str:
    return f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"


def markdown_list(rng: random.Random, papers: int) -> str:
    lines = ["# A list", "", "Some text.", ""]
    for year in (2024, 2023, 2022):
        lines += [f"## {year}", ""]
        for _ in range(papers // 3 + 1):
            groups = []
            if rng.random() < 0.5:
                groups.append(f"[[{rng.choice(['ICASSP', 'INTERSPEECH', 'SLT'])}]()]")
            if rng.random() < 0.8 or not groups:
                groups.append(f"[[arXiv](https://arxiv.org/abs/{arxiv_id(rng, year)})]")
            if rng.random() < 0.3:
                groups.append("[[code](https://github.com/example/x)]")
            lines.append(f"- {' '.join(groups)} {title(rng)}")
        lines.append("")
    return "\n".join(lines)


def big_markdown(rng: random.Random, papers: int) -> str:
    """A valid list of ``papers`` distinct preprints (unique arXiv ids and titles)."""
    lines = ["# A big list", ""]
    per_year = -(-papers // 3)
    for y, year in enumerate((2024, 2023, 2022)):
        lines += [f"## {year}", ""]
        for k in range(y * per_year, min(papers, (y + 1) * per_year)):
            aid = f"{year % 100:02d}{k % 12 + 1:02d}.{10000 + k:05d}"
            lines.append(f"- [[arXiv](https://arxiv.org/abs/{aid})] Study {k} of {title(rng)}")
        lines.append("")
    return "\n".join(lines)


def bibtex_file(rng: random.Random, papers: int) -> str:
    out = []
    for n in range(papers):
        year = rng.choice([2022, 2023, 2024])
        kind = rng.choice(["misc", "inproceedings", "article"])
        fields = [f"  title = {{{title(rng)}}}", f"  author = {{Doe, Jane and Roe, Rick{n}}}"]
        fields.append(f"  year = {{{year}}}")
        if kind == "misc":
            fields += [f"  eprint = {{{arxiv_id(rng, year)}}}", "  archivePrefix = {arXiv}"]
        elif kind == "inproceedings":
            fields.append("  booktitle = {Proc. Interspeech}")
        else:
            fields.append(
                "  journal = {IEEE/ACM Transactions on Audio, Speech, and Language Processing}"
            )
        out.append(f"@{kind}{{key{n},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)


def _fuzz_markdown(rng: random.Random, text: str) -> tuple[str, bytes]:
    lines = text.split("\n")
    items = [i for i, line in enumerate(lines) if line.startswith("- ")] or [0]
    kinds = ["brackets", "lone", "encoding", "bytes", "lines", "headings", "urls", "controls"]
    kind = "huge" if rng.random() < 0.05 else rng.choice(kinds)
    i = rng.choice(items)
    if kind == "brackets":
        depth = rng.randint(400, 3000)
        lines[i] = "- " + "[" * depth + "x" + "]" * rng.choice([depth, 0, depth // 2])
    elif kind == "lone":
        lines[i] = lines[i].replace("]", "", 1) if rng.random() < 0.5 else lines[i] + " [[x]("
    elif kind == "huge":
        lines[i] += " " + title(rng, rng.randint(150_000, 400_000))
    elif kind == "headings":
        lines.insert(
            i,
            rng.choice(
                [
                    "## 99999",
                    "## 2023.5",
                    "## -2023",
                    "## 0000",
                    "##",
                    "## \u0662\u0660\u0662\u0663",
                ]
            ),
        )
    elif kind == "urls":
        url = rng.choice(
            [
                "javascript:alert(1)",
                "http://",
                "https://arxiv.org/abs/",
                "file:///etc/passwd",
                "https://arxiv.org/abs/9999.99999v999",
                "https://[::1",
                "http://x y",
            ]
        )
        lines[i] = f"- [[arXiv]({url})] {title(rng)}"
    elif kind == "controls":
        lines[i] += rng.choice(["\x1b[31m", "\x9b", "\x00", "\u202e", "\ufeff", "\x07"])
    data = "\n".join(lines).encode("utf-8")
    if kind == "encoding":
        data = _bogus_encoding(rng, "\n".join(lines))
    elif kind == "bytes":
        data = byte_edits(rng, data)
    elif kind == "lines":
        data = line_edits(rng, data)
    return kind, data


def _bogus_encoding(rng: random.Random, text: str) -> bytes:
    text += "\n- [[arXiv](https://arxiv.org/abs/2401.01111)] Müller\u2013Straße façade naïve\n"
    choice = rng.randrange(5)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("latin-1", "replace")
    if choice == 2:
        return text.encode("utf-32")
    if choice == 3:
        return text.encode("utf-8") + b"\xff\xfe\xc0\xaf"
    return text.encode("cp1252", "replace").replace(b" ", b"\x00", 3)


def _fuzz_bibtex(rng: random.Random, text: str) -> tuple[str, bytes]:
    kinds = ["braces", "lone", "encoding", "bytes", "lines", "macros", "fields"]
    kind = "huge" if rng.random() < 0.05 else rng.choice(kinds)
    entries = text.split("\n@")
    i = rng.randrange(len(entries))
    entry = entries[i]
    if kind == "braces":
        depth = rng.randint(400, 3000)
        close = rng.choice([depth, depth - 1, 0])
        entry = entry.replace("title = {", "title = {" + "{" * depth + "x" + "}" * close, 1)
    elif kind == "lone":
        entry = entry.replace(
            "title = {", rng.choice(["title = {{", "title = {}", "title = {\\"]), 1
        )
    elif kind == "huge":
        entry = entry.replace(
            "title = {", "title = {" + title(rng, rng.randint(150_000, 400_000)), 1
        )
    elif kind == "macros":
        entry = (
            '@string{a = "'
            + "x" * rng.randint(1, 2000)
            + '"}\n'
            + entry.replace("title = {", "title = a # a # {", 1)
        )
    elif kind == "fields":
        entry = entry.replace(
            "year = {",
            rng.choice(["year = {99999", "year = {20\\23", "year = {-1", "year = {", "year = {{{"]),
            1,
        )
    entries[i] = entry
    joined = "\n@".join(entries)
    data = joined.encode("utf-8")
    if kind == "encoding":
        data = _bogus_encoding(rng, joined)
    elif kind == "bytes":
        data = byte_edits(rng, data)
    elif kind == "lines":
        data = line_edits(rng, data)
    return kind, data


def fuzzed_import(rng: random.Random) -> tuple[str, str, bytes]:
    """(suffix, what was done, file bytes) of a broken Markdown list or BibTeX file."""
    if rng.random() < 0.5:
        kind, data = _fuzz_markdown(rng, markdown_list(rng, rng.randint(1, 12)))
        return ".md", "md:" + kind, data
    kind, data = _fuzz_bibtex(rng, bibtex_file(rng, rng.randint(1, 8)))
    return ".bib", "bib:" + kind, data


# --- text that BibTeX finds hard ------------------------------------------------------------

_TRICKY = [
    "{",
    "}",
    "--",
    "---",
    "\\",
    "%",
    "&",
    "$",
    "#",
    "_",
    "~",
    "^",
    "{HuBERT}",
    "100%",
    "R&D",
    "C:\\path",
    "a--b",
    "{x",
    "y}",
    "é",
    "ü",
    "ø",
    "ß",
    '"q"',
    "@",
]
_NAMES = ["Jane", "Zoë", "Jean-Luc", "O'Neil", "Ana", "Björn", "Li", "Łukasz", "Nuño"]
_SURNAMES = ["Doe", "Müller", "van der Berg", "Smith-Jones", "Ñúñez", "O'Brien", "Dvořák"]


def tricky_title(rng: random.Random) -> str:
    parts = [rng.choice(_WORDS) for _ in range(rng.randint(2, 6))]
    for _ in range(rng.randint(1, 3)):
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(_TRICKY))
    text = " ".join(parts)
    return text[0].upper() + text[1:] if text[0].isalpha() else "The " + text


def tricky_author(rng: random.Random) -> str:
    name = f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"
    roll = rng.random()
    if roll < 0.15:
        name += rng.choice([" & Sons", " 100%", " {Jr}", " \\", " the_3rd"])
    return name
