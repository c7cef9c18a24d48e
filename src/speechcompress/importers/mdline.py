"""Read one line of a hand-written paper list: its title, links, venue, year and tags.

Lists are written in many shapes; these are read, and anything like them::

    - [[Venue](url)] [[arXiv](url)] [[code](url)] Title
    - [72:fire:] [[NeurIPS](url)] Title. [__`tag`__] [[code](url)] [[torch](url)] [387⭐]
    - Nick: [Title](url) - *Authors*, `Venue 2023`
    | [Title](url) | Venue | Type | Code |
    - **Title**, Authors, Venue 2023 [[paper](url)] [[code](url)]

The line is cut into inline pieces (links, link groups, images, bracketed notes, code
spans, emphasis, HTML); each link is classified by its label and address (code, arXiv,
venue, paper page, title). Whatever is left is the title's text once badges, star
counts, emoji and markup are gone. :func:`line_template` then writes the line back with
``{title}``-style placeholders, so an export can reproduce it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from speechcompress.ids import normalize_arxiv_id
from speechcompress.vocab import Vocabulary

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_URL = r"(?:[^()\s\\]|\\.|\([^()\s]*\))*"
_LABEL = r"(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*"
# Order matters: the longer forms first.
_PIECES = re.compile(
    rf"(?P<comment><!--.*?-->)"
    rf"|(?P<badge>\[!\[[^\]]*\]\((?P<badge_src>{_URL})\)\]\((?P<badge_url>{_URL})\))"
    rf"|(?P<image>!\[[^\]]*\]\({_URL}\))"
    rf"|(?P<img><img\b[^>]*>)"
    rf"|(?P<anchor><a\s[^>]*href=[\"'](?P<anchor_url>[^\"']+)[\"'][^>]*>(?P<anchor_text>.*?)</a>)"
    rf"|(?P<group>\[\[(?P<group_label>{_LABEL})\]\((?P<group_url>{_URL})\)\])"
    rf"|(?P<link>\[(?P<link_label>{_LABEL})\]\((?P<link_url>{_URL})\))"
    rf"|(?P<note>\[(?P<note_text>[^\[\]]*)\](?!\())"
    rf"|(?P<code>`(?P<code_text>[^`]+)`)"
    rf"|(?P<bold>(?P<bold_mark>\*\*|__)(?P<bold_text>.+?)(?P=bold_mark))"
    rf"|(?P<italic>(?<![\w*])\*(?P<italic_text>[^*\s][^*]*?)\*(?![\w*])"
    rf"|(?<![\w_])_(?P<italic2_text>[^_\s][^_]*?)_(?![\w_]))"
    rf"|(?P<html></?[a-zA-Z][^>]*>)"
    rf"|(?P<auto><(?P<auto_url>https?://[^>\s]+)>)"
    rf"|(?P<bare>https?://[^\s<>()\[\]]+)",
    re.DOTALL,
)
_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html|format)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_CODE_HOSTS = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|gitee\.com|"
    r"huggingface\.co/spaces|codeberg\.org)/[^/\s]+/[^/\s]+",
    re.IGNORECASE,
)
_CODE_LABELS = re.compile(
    r"^(?:code|codes|github|gitlab|official(?: code)?|torch|pytorch|tensorflow|tf|jax|"
    r"mxnet|keras|paddle|caffe|implementation|repo|repository|project code|"
    r"(?:unofficial\s+)?(?:pytorch|tensorflow|torch|tf|jax|code)\s*\(.*\)|\U0001f4bb)$",
    re.IGNORECASE,
)
_PAPER_LABELS = re.compile(
    r"^(?:paper|pdf|link|arxiv|arxiv paper|openreview|abs|abstract|url|doi|html|"
    r"proceedings|page|project|project page|homepage|website|blog|video|slides|poster|"
    r"demo|talk|supp|supplementary|\U0001f4c4|\U0001f4dd)$",
    re.IGNORECASE,
)
# Of those, the labels of a link to the paper itself (its page at the venue).
_PAGE_LABELS = re.compile(
    r"^(?:paper|pdf|link|openreview|abs|abstract|url|doi|html|proceedings|page|"
    r"\U0001f4c4|\U0001f4dd)$",
    re.IGNORECASE,
)
# Dashes and separators around a title ("Nick - Title", "Title —").
_PUNCT = " \t-\u2013\u2014:|,;"
_SEG_PUNCT = " .;-\u2013\u2014"
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
# Emoji and pictographs (with their joiners and variation selectors), stars, fire ...
_EMOJI = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u297f\u2b00-\u2bff\u3297\u3299"
    "\U0001f000-\U0001faff\ufe0f\u200d\u20e3]"
)
_STARS = re.compile(r"^\s*\d[\d,.]*\s*[kK]?\s*(?:⭐|★|stars?|:star:)?\s*$")
_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20\d)\d)(?!\d)")
_SHORT_YEAR = re.compile(r"^(?P<name>.*?)\s*['\u2019](?P<yy>\d{2})$")
_VENUE_YEAR = re.compile(
    r"^(?P<name>.*?)[\s,\-]*(?:['\u2019](?P<yy>\d{2})|(?P<year>(?:19|20)\d\d))$"
)


# How a paper was presented, not where: "CVPR 2022 (Oral)".
_PRESENTATION = re.compile(
    r"[\s(]*\b(?:oral|spotlight|poster|highlight|best paper(?: award)?|award candidate)\b\)?",
    re.IGNORECASE,
)


def unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _url(raw: str) -> str:
    url = unescape(raw.strip())
    return url[1:-1] if url.startswith("<") and url.endswith(">") else url


def arxiv_in(url: str) -> str | None:
    """The arXiv id an address points to (abs, pdf, html; any version), if any."""
    found = _ARXIV_URL.search(url)
    return normalize_arxiv_id(found.group("id")) if found else None


def is_code_link(label: str, url: str) -> bool:
    plain = clean_text(label).strip("[] ")  # [[code]](url) is a link labelled "[code]"
    if _CODE_LABELS.match(plain):
        return True
    return bool(_CODE_HOSTS.match(url)) and not _PAPER_LABELS.match(plain)


def clean_text(text: str) -> str:
    """Text without markup, emoji, shortcodes and extra spaces."""
    text = re.sub(r"<!--.*?-->|<[^>]+>", " ", text)
    text = unescape(text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"\1", text)
    text = text.replace("`", "")
    text = _SHORTCODE.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    return " ".join(text.split())


def split_venue_year(text: str) -> tuple[str, int | None]:
    """``"NeurIPS 2023"`` -> ("NeurIPS", 2023); ``"ICASSP'23"`` -> ("ICASSP", 2023)."""
    text = clean_text(text).strip(" ,.;:()[]")
    text = _PRESENTATION.sub("", text).strip(" ,.;:()[]-")
    inside = _YEAR.search(text)
    if inside and inside.end() < len(text) and not _VENUE_YEAR.match(text):
        # "CVPR 2022 Findings": the year in the middle; the rest names the venue.
        rest = f"{text[: inside.start()]} {text[inside.end() :]}"
        return " ".join(rest.split()).strip(" ,.-("), int(inside.group(1))
    match = _VENUE_YEAR.match(text)
    if match and match.group("name").strip():
        year = match.group("year") or (f"20{match.group('yy')}" if match.group("yy") else None)
        return match.group("name").strip(" ,.-("), int(year) if year else None
    return text, None


@dataclass
class Piece:
    kind: str
    start: int
    end: int
    label: str = ""
    url: str = ""


@dataclass
class LineRead:
    """What one line says about its paper, and where in the line each value stands."""

    data: dict[str, Any] = field(default_factory=dict)
    #: (start, end, placeholder) of the values found, for :func:`line_template`.
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    problem: str = ""


def pieces(text: str) -> list[Piece]:
    found: list[Piece] = []
    for m in _PIECES.finditer(text):
        kind = m.lastgroup or ""
        if m.group("badge"):
            found.append(Piece("badge", m.start(), m.end(), "", _url(m.group("badge_url"))))
        elif m.group("anchor"):
            found.append(
                Piece("link", m.start(), m.end(), m.group("anchor_text"), m.group("anchor_url"))
            )
        elif m.group("group"):
            found.append(
                Piece(
                    "group", m.start(), m.end(), m.group("group_label"), _url(m.group("group_url"))
                )
            )
        elif m.group("link"):
            found.append(
                Piece("link", m.start(), m.end(), m.group("link_label"), _url(m.group("link_url")))
            )
        elif m.group("note"):
            found.append(Piece("note", m.start(), m.end(), m.group("note_text")))
        elif m.group("code"):
            found.append(Piece("code", m.start(), m.end(), m.group("code_text")))
        elif m.group("bold"):
            found.append(Piece("bold", m.start(), m.end(), m.group("bold_text")))
        elif m.group("italic"):
            label = m.group("italic_text") or m.group("italic2_text") or ""
            found.append(Piece("italic", m.start(), m.end(), label))
        elif m.group("auto"):
            found.append(Piece("url", m.start(), m.end(), "", m.group("auto_url")))
        elif m.group("bare"):
            found.append(Piece("url", m.start(), m.end(), "", m.group("bare")))
        else:
            kind = {"img": "image", "comment": "comment"}.get(kind, kind)
            found.append(Piece(kind, m.start(), m.end()))
    return found


def _is_tag_note(label: str) -> bool:
    return bool(re.search(r"`|__|\*\*", label))


def _tags_in(label: str) -> list[str]:
    parts = re.findall(r"`([^`]+)`", label) or [clean_text(label)]
    return [p.strip() for part in parts for p in re.split(r"[,;|/]", part) if p.strip()]


def venue_of(label: str, vocab: Vocabulary) -> tuple[str, int | None] | None:
    """(venue, year) when ``label`` names a venue ("NeurIPS", "ICASSP 2023", "TPAMI").

    Of several ("arXiv 2019, ICLR 2020") the last that is not arXiv: where it was published.
    """
    parts = [p for p in re.split(r"\s*[,;/&]\s*|\s+and\s+", label) if p.strip()]
    if len(parts) > 1 and all(_YEAR.search(p) for p in parts):
        found = [v for v in (venue_of(p, vocab) for p in parts) if v is not None]
        published = [v for v in found if v[0] != "arXiv"]
        chosen = published or found
        return chosen[-1] if chosen else None
    name, year = split_venue_year(label)
    if not name or len(name) > 80 or _CODE_LABELS.match(name) or _PAPER_LABELS.match(name):
        if name.casefold() == "arxiv":
            return "arXiv", year
        return None
    known = vocab.venue(name)
    if known:
        return known.name, year
    words = name.split()
    # A venue is a short name: an acronym ("CVPR", "ECCV-W", "NeurIPS Workshop") or a few
    # capitalised words; a title has more words than that.
    acronym = any(sum(c.isupper() for c in w) >= 2 for w in words)
    if (len(words) <= 4 and acronym) or (year and len(words) <= 6):
        return name, year
    return None


def read_line(text: str, vocab: Vocabulary, *, columns: dict[str, int] | None = None) -> LineRead:
    """Read one list item's text (or a table row, with ``columns`` naming its cells)."""
    if columns is not None:
        return _read_row(text, vocab, columns)
    found = pieces(text)
    read = LineRead()
    data = read.data
    title_piece: Piece | None = None
    # The first long link that is neither code, a paper label nor a venue is the title.
    for p in found:
        if p.kind != "link" or p.label.startswith("["):  # [[Project Page]](url): a label
            continue
        label = clean_text(p.label)
        if (
            len(label.split()) >= 2
            and not is_code_link(p.label, p.url)
            and not _PAPER_LABELS.match(label)
            and venue_of(p.label, vocab) is None
        ) or (len(label) >= 4 and ":" in label):
            title_piece = p
            break
    if title_piece is None:
        bold = [p for p in found if p.kind == "bold" and len(clean_text(p.label).split()) >= 2]
        # **Title**, at the start of the line (a bold word later is emphasis).
        if bold and not clean_text(text[: bold[0].start]).strip(" -:"):
            title_piece = bold[0]
    if title_piece is not None and title_piece.kind == "link" and title_piece.url:
        _paper_url(title_piece, text, read)  # the title's own link first: the paper's page
    for p in found:
        if p is title_piece:
            continue
        _classify(p, text, vocab, read)
    if title_piece is not None:
        title = clean_text(title_piece.label)
        inner = title_piece.start + (2 if title_piece.kind == "bold" else 1)  # after [ or **
        raw = title_piece.label
        read.spans.append((inner, inner + len(raw), "title"))
        data["title"] = _title(title)
        _details_after(text, title_piece.end, found, vocab, read)
    else:
        _plain_title(text, found, read)
    return read


def _paper_url(p: Piece, text: str, read: LineRead) -> None:
    """A link to the paper itself: its arXiv id, or its page at the venue."""
    if not p.url.startswith(("http://", "https://")):
        return  # "#2023", "docs/x.md": a link within the document, not the paper's page
    url_start = text.rfind("(", p.start, p.end) + 1
    arxiv = arxiv_in(p.url)
    if arxiv:
        read.data.setdefault("arxiv", arxiv)
        if p.url == f"https://arxiv.org/abs/{arxiv}":
            read.spans.append((url_start, url_start + len(p.url), "arxiv_url"))
            return
    if "venue_url" not in read.data:
        read.data["venue_url"] = p.url
        read.spans.append((url_start, p.end - 1, "venue_url"))


def _classify(p: Piece, text: str, vocab: Vocabulary, read: LineRead) -> None:
    data = read.data
    if p.kind in ("group", "link", "badge", "url"):
        label = clean_text(p.label).strip("[] ")
        url_start = text.rfind("(", p.start, p.end) + 1 if p.kind in ("group", "link") else -1
        if p.kind == "url":
            url_start = p.start + (1 if text[p.start] == "<" else 0)
        if not p.url.startswith(("http://", "https://")) and p.url:
            if p.kind == "group" and label.casefold() == "code":
                data.setdefault("code", p.url)  # validation reports it
            return
        arxiv = arxiv_in(p.url)
        if p.kind in ("badge", "url") or is_code_link(p.label, p.url):
            if arxiv and not _CODE_HOSTS.match(p.url):
                data.setdefault("arxiv", arxiv)
            elif (_CODE_HOSTS.match(p.url) or is_code_link(p.label, p.url)) and "code" not in data:
                data["code"] = p.url
                if url_start >= 0:
                    read.spans.append(
                        (url_start, url_start + len(_raw_url(text, url_start)), "code")
                    )
            return
        venue = venue_of(p.label, vocab) if label else None
        if venue is None and p.kind == "group" and label and not _PAPER_LABELS.match(label):
            # [[Venue](url)] groups name the venue, however long ("IEEE Transactions on ...").
            venue = split_venue_year(label) if len(label) <= 200 else None
        if venue and venue[0] != "arXiv" and "venue" not in data:
            data["venue"] = venue[0]
            if venue[1]:
                data.setdefault("year", venue[1])
            if p.kind == "group" and clean_text(p.label) == p.label == venue[0]:
                read.spans.append((p.start + 2, p.start + 2 + len(p.label), "venue"))
            if arxiv:
                data.setdefault("arxiv", arxiv)
            if p.url:
                data["venue_url"] = p.url
                read.spans.append((url_start, url_start + len(p.url), "venue_url"))
            return
        if arxiv:
            if "arxiv" not in data:
                data["arxiv"] = arxiv
                if p.url == f"https://arxiv.org/abs/{arxiv}":
                    read.spans.append((url_start, url_start + len(p.url), "arxiv_url"))
            return
        if _PAGE_LABELS.match(label) and "venue_url" not in data:
            data["venue_url"] = p.url
            read.spans.append((url_start, url_start + len(_raw_url(text, url_start)), "venue_url"))
        return
    if p.kind == "note":
        label = p.label
        if _is_tag_note(label):
            tags = data.setdefault("tags", [])
            tags += [t for t in _tags_in(label) if t not in tags]
        return
    if p.kind == "code":
        venue = venue_of(p.label, vocab)
        if venue and venue[1]:
            data.setdefault("venue", venue[0])
            data.setdefault("year", venue[1])
        elif venue and venue[0] == "arXiv":
            data.setdefault("venue", "arXiv")
        else:
            tags = data.setdefault("tags", [])
            tags += [t for t in _tags_in(p.label) if t not in tags]


def _raw_url(text: str, start: int) -> str:
    """The URL as written from ``start`` (a link's address, up to its closing parenthesis)."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c.isspace() or c in "<>":
            break
        i += 1
    return text[start:i]


def _title(text: str) -> str:
    text = text.strip(_PUNCT)
    if text.endswith(".") and not text.endswith(("et al.", "...", "etc.")):
        text = text[:-1].rstrip()
    return text


def _plain_title(text: str, found: list[Piece], read: LineRead) -> None:
    """The title as the text between the leading links and the first note after it."""
    gaps: list[tuple[int, int]] = []
    at = 0
    for p in found:
        gaps.append((at, p.start))
        at = p.end
    gaps.append((at, len(text)))
    best: tuple[int, int] | None = None
    for start, end in gaps:
        chunk = clean_text(text[start:end])
        longer = best is None or len(chunk) > len(clean_text(text[best[0] : best[1]]))
        if re.search(r"[^\W\d_]{2}", chunk) and longer:
            best = (start, end)
    if best is None:
        read.problem = "no title"
        return
    start, end = best
    raw = text[start:end]
    # Leading "Nick:" stays in the template; "(CVPR 2022)" gives venue and year.
    paren = re.search(r"\(\s*([^()]*?(?:19|20)\d\d)\s*\)\s*\.?\s*$", raw)
    if paren:
        name, year = split_venue_year(paren.group(1))
        if year:
            read.data.setdefault("year", year)
            if name:
                read.data.setdefault("venue", name)
            raw = raw[: paren.start()]
    lead = len(raw) - len(raw.lstrip(_PUNCT))
    body = raw.strip().rstrip(_PUNCT)
    title = _title(clean_text(body))
    if not title:
        read.problem = "no title"
        return
    s = start + lead
    # The title's own characters in the line: up to its last letter, digit or closing mark.
    core = raw[lead:].rstrip(_PUNCT)
    if core.endswith(".") and title == _title(clean_text(core[:-1])):
        core = core[:-1]
    if clean_text(core) == title:
        read.spans.append((s, s + len(core), "title"))
    read.data["title"] = title


def _details_after(
    text: str, start: int, found: list[Piece], vocab: Vocabulary, read: LineRead
) -> None:
    """Authors, venue and year written after a linked or bold title."""
    data = read.data
    for p in found:
        if p.start >= start and p.kind in ("bold", "italic"):
            venue = venue_of(p.label.strip("*_ "), vocab)
            if venue and venue[1]:  # ***CVPR 2023***, _Interspeech 2022_
                data.setdefault("venue", venue[0])
                data.setdefault("year", venue[1])
    italic = next(
        (
            p
            for p in found
            if p.kind == "italic" and p.start >= start and not venue_of(p.label.strip("*_"), vocab)
        ),
        None,
    )
    if italic is not None:
        authors = _authors(clean_text(italic.label))
        if authors:
            data["authors"] = authors
    tail = text[start:]
    for p in reversed([p for p in found if p.start >= start]):
        tail = tail[: p.start - start] + " " * (p.end - p.start) + tail[p.end - start :]
    segments = [s.strip(_SEG_PUNCT) for s in clean_text(tail).split(",") if s.strip(_SEG_PUNCT)]
    if not segments:
        return
    venue = venue_of(segments[-1], vocab)
    if venue and (venue[1] or vocab.venue(venue[0])):
        data.setdefault("venue", venue[0])
        if venue[1]:
            data.setdefault("year", venue[1])
        segments = segments[:-1]
    else:
        years = _YEAR.findall(segments[-1])
        if years and len(segments[-1].split()) <= 2:
            data.setdefault("year", int(years[-1]))
            segments = segments[:-1]
    if segments and "authors" not in data:
        authors = _authors(", ".join(segments))
        if authors:
            data["authors"] = authors


def _authors(text: str) -> list[str]:
    text = re.sub(r"\bet\s+al\.?", "", text)
    names = [n.strip(" .*_") for n in re.split(r",|\band\b|&", text) if n.strip(" .*_")]
    names = [n for n in names if re.search(r"[^\W\d_]", n)]
    if not names or any(len(n.split()) > 5 for n in names):
        return []
    return names


def _read_row(text: str, vocab: Vocabulary, columns: dict[str, int]) -> LineRead:
    cells = split_row(text)
    read = LineRead()
    offsets = _cell_offsets(text)
    title_col = columns.get("title", 0)
    if title_col >= len(cells):
        read.problem = "no title"
        return read
    title_cell = cells[title_col]
    base = offsets[title_col]
    inner = read_line(title_cell, vocab)
    read.data.update(inner.data)
    read.spans += [(a + base, b + base, name) for a, b, name in inner.spans]
    if inner.problem:
        read.problem = inner.problem
        return read
    for name, col in columns.items():
        if name == "title" or col >= len(cells):
            continue
        cell, base = cells[col], offsets[col]
        plain = clean_text(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell))
        empty = plain in ("", "-", "--", "\u2014", "N/A", "n/a", "None", "/")
        if empty and name not in ("code", "links"):
            continue
        if name == "venue":
            venue = venue_of(plain, vocab) or (
                split_venue_year(plain)[0],
                split_venue_year(plain)[1],
            )
            if venue[0]:
                read.data["venue"] = venue[0]
                if clean_text(cell) == cell.strip() == venue[0]:
                    s = base + cell.index(venue[0])
                    read.spans.append((s, s + len(venue[0]), "venue"))
            if venue[1]:
                read.data.setdefault("year", venue[1])
        elif name == "year":
            years = _YEAR.findall(plain)
            if years:
                read.data["year"] = int(years[0])
        elif name == "authors":
            authors = _authors(plain)
            if authors:
                read.data["authors"] = authors
        elif name == "tags":
            tags = read.data.setdefault("tags", [])
            tags += [t for t in _tags_in(cell) if t not in tags]
        elif name == "code" and "code" not in read.data:
            # Any link in the code column is the code, whatever its label or host.
            link = next((p for p in pieces(cell) if p.kind in ("link", "url") and p.url), None)
            if link is not None and link.url.startswith(("http://", "https://")):
                read.data["code"] = link.url
                at = cell.rfind(link.url, link.start, link.end)
                if at >= 0 and cell[at - 1] == "(":
                    read.spans.append((base + at, base + at + len(link.url), "code"))
        else:  # links, anything else with links in it
            for p in pieces(cell):
                shifted = Piece(p.kind, p.start, p.end, p.label, p.url)
                sub = LineRead(data=read.data)
                _classify(shifted, cell, vocab, sub)
                read.spans += [(a + base, b + base, n) for a, b, n in sub.spans]
    return read


def split_row(text: str) -> list[str]:
    """The cells of a table row (escaped pipes and pipes inside code stay in their cell)."""
    return [text[a:b] for a, b in _cell_bounds(text)]


def _cell_offsets(text: str) -> list[int]:
    return [a for a, _ in _cell_bounds(text)]


def _cell_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    i, start, in_code = 0, 0, False
    stripped = text.rstrip()
    if stripped.startswith("|"):
        start = i = text.index("|") + 1
    while i < len(stripped):
        c = stripped[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            in_code = not in_code
        elif c == "|" and not in_code:
            bounds.append((start, i))
            start = i + 1
        i += 1
    if start < len(stripped):
        bounds.append((start, len(stripped)))
    return bounds


#: Words of a table header that name each column.
HEADER_WORDS = {
    "title": ("title", "paper", "papers", "name", "paper title", "article", "work"),
    "venue": ("venue", "conference", "conf", "publication", "published", "journal", "pub"),
    "year": ("year", "years", "date", "time"),
    "code": ("code", "github", "implementation", "repo", "codes", "official code"),
    "authors": ("authors", "author"),
    "tags": ("tags", "tag", "type", "category", "keywords", "method", "methods", "topic"),
    "links": ("link", "links", "pdf", "arxiv", "url"),
}


def header_columns(text: str) -> dict[str, int] | None:
    """Column roles of a table's header row, if it has a title column."""
    names = [clean_text(c).casefold().strip(" :") for c in split_row(text)]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        for role, words in HEADER_WORDS.items():
            if name in words and role not in columns:
                columns[role] = index
                break
    return columns if "title" in columns else None


def line_template(text: str, spans: list[tuple[int, int, str]], data: dict[str, Any]) -> str:
    """``text`` with the values found replaced by ``{name}`` placeholders (braces doubled)."""
    out, at = [], 0
    for start, end, name in sorted(set(spans)):
        if start < at or not _fills(text[start:end], name, data):
            continue
        out.append(text[at:start].replace("{", "{{").replace("}", "}}"))
        out.append("{" + name + "}")
        at = end
    out.append(text[at:].replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def _fills(raw: str, name: str, data: dict[str, Any]) -> bool:
    """Whether writing the field's value back gives ``raw`` exactly."""
    from speechcompress.render.markdown import template_value

    return template_value(name, data) == raw
