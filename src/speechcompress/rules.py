"""The rules a paper's fields obey beyond their type and length, in plain Python.

Each rule takes a value and returns it (canonical: a venue alias becomes the venue's
name, methods their canonical names, once each) or raises ``ValueError`` with the
message a user sees. :mod:`speechcompress.models` runs them as Pydantic validators,
after Pydantic checked the value's type and length; :mod:`speechcompress.fast_validate`
runs the same functions without Pydantic, with those checks folded in
(:func:`field_check` with ``typed``).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from speechcompress.ids import ARXIV_ID, DOI, check_new_style_arxiv
from speechcompress.paper import FIELDS, FieldSpec
from speechcompress.vocab import Vocabulary, did_you_mean

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# C0 controls, DEL, C1 controls and the bidirectional overrides and isolates: none belongs
# in a catalog's text, and printed raw they can drive or disguise a terminal (OSC 52
# writes the clipboard; U+202E reverses what follows). A multi-line text may hold line
# breaks and tabs.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)

#: Limits of the catalog header (a paper's are in its FieldSpecs): its title, its
#: description and footer, a venue's or host's name, venues and hosts, a venue's aliases.
MAX_HEADER_TITLE, MAX_HEADER_TEXT, MAX_NAME = 1_000, 20_000, 300
MAX_HEADER_ITEMS, MAX_ALIASES = 1_000, 100

#: The check of one field's value: the value as kept, or ``ValueError``.
Check = Callable[[Any, Vocabulary], Any]


def plain(value: str, *, multiline: bool = False) -> bool:
    """Whether a text certainly holds no control character (False: look closer).

    A single line: ``isascii`` and ``isprintable``, two scans in C. A multi-line ASCII
    text: its bytes with the controls deleted are as long as before, one table lookup a
    byte (3x faster than ``isprintable`` on a 1,400-character abstract, which holds
    line breaks besides).
    """
    if not value.isascii():
        return False
    if not multiline:
        return value.isprintable()
    raw = value.encode()
    return len(raw.translate(None, _ASCII_MULTILINE)) == len(raw)


# ASCII's controls but tab and line feed, as in _CONTROL_MULTILINE.
_ASCII_MULTILINE = bytes(range(32)).translate(None, b"\t\n") + b"\x7f"


def check_text(value: str, *, multiline: bool = False) -> str:
    """Refuse control characters (line breaks and tabs too, unless ``multiline``)."""
    if plain(value, multiline=multiline):  # the usual case
        return value
    found = (_CONTROL_MULTILINE if multiline else CONTROL).search(value)
    if found is None:
        return value
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char in "\n\r" and not multiline:
        raise ValueError(f"must be a single line (holds a line break, {code})")
    if "\u202a" <= char <= "\u2069":
        raise ValueError(f"holds a bidirectional text control character ({code})")
    raise ValueError(f"holds a control character ({code})")


def http_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be an http:// or https:// URL without spaces or quotes")
    return value


def slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError("must be a lower-case slug: letters, digits, '-', '.', '_'")
    return value


# The usual arXiv id in one match: new style, a month from 0704 on, the digits of its time.
_NEW_STYLE = re.compile(
    r"07(?:0[4-9]|1[0-2])\.[0-9]{4}"
    r"|(?:0[89]|1[0-4])(?:0[1-9]|1[0-2])\.[0-9]{4}"
    r"|(?:1[5-9]|[2-9][0-9])(?:0[1-9]|1[0-2])\.[0-9]{5}"
)


def arxiv(value: str) -> str:
    if _NEW_STYLE.fullmatch(value):
        return value
    if ARXIV_ID.match(value):
        return check_new_style_arxiv(value)
    bare = re.sub(r"v\d+$", "", value)
    if bare != value and ARXIV_ID.match(bare):
        raise ValueError(f"{value!r} has a version suffix; write {bare!r}")
    raise ValueError(f"{value!r} is not an arXiv id like 2305.17651 or cs/0112017")


def doi(value: str) -> str:
    if value.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
        raise ValueError(f"{value!r}: write the bare DOI, e.g. 10.21437/Interspeech.2023-1213")
    if not DOI.match(value):
        raise ValueError(f"{value!r} is not a DOI (10.<registrant>/<suffix>)")
    return value


def venue(value: str, vocabulary: Vocabulary) -> str:
    """The canonical name of the venue ``value`` names."""
    found = vocabulary.venue(value)
    if found is None:
        tip = did_you_mean(value, vocabulary.venue_names())
        raise ValueError(f"unknown venue {value!r}{tip} (add it under [catalog.venues])")
    return found.name


def methods(value: list[str]) -> list[str]:
    """The canonical methods, each once, in order."""
    from speechcompress.vocab import METHODS

    out: list[str] = []
    for item in value:
        method = Vocabulary.method(item)
        if method is None:
            raise ValueError(f"unknown method {item!r}{did_you_mean(item, METHODS)}")
        if method not in out:
            out.append(method)
    return out


@functools.lru_cache(maxsize=1024)  # a catalog repeats a few lists of methods many times
def _methods_of(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(methods(list(value)))


def field_check(spec: FieldSpec, *, typed: bool = False) -> Check | None:
    """The check of one text or list field beyond its type and length, by its spec (None:
    no check). ``typed``: its type and length too (``str`` and not a subclass, a ``list``
    of them), as Pydantic checks them from the schema: one call then checks a value whole,
    for :mod:`speechcompress.fast_validate` (a refusal is a ``ValueError`` without words,
    which only sends the value to Pydantic), and a list comes back as a record's tuple.

    Chosen once per field, not per value: validating 10,000 papers calls these 100,000
    times.
    """
    most = spec.max_length or sys.maxsize
    if spec.kind == "list":
        items = spec.max_items or sys.maxsize
        least = 1 if spec.rule is None else 0  # methods are checked by name instead

        def of_type(value: Any) -> None:
            if type(value) is not list or len(value) > items:
                raise ValueError
            for item in value:
                if type(item) is not str or not least <= len(item) <= most:
                    raise ValueError

        if spec.rule == "methods":

            def methods_of(value: list[str], vocabulary: Vocabulary) -> Sequence[str]:
                if typed:  # a record's tuple
                    of_type(value)
                    return _methods_of(tuple(value))
                return list(_methods_of(tuple(value)))

            return methods_of

        def texts(value: list[str], vocabulary: Vocabulary) -> Sequence[str]:
            if typed:
                of_type(value)
            if CONTROL.search("".join(value)):  # one scan for the whole list, the usual case
                for item in value:
                    check_text(item)
            return tuple(value) if typed else value  # a record's tuple

        return texts
    if spec.kind != "text":
        return None
    rule: Callable[[str], str] | None = {
        "slug": slug,
        "url": http_url,
        "arxiv": arxiv,
        "doi": doi,
    }.get(spec.rule or "")
    least = 1 if spec.required and spec.rule is None else 0
    blank = spec.rule is None and not spec.multiline
    multiline = spec.multiline
    by_venue = spec.rule == "venue"

    def text(value: str | None, vocabulary: Vocabulary) -> str | None:
        if typed:
            if type(value) is not str or not least <= len(value) <= most:
                raise ValueError
        elif value is None:
            return None
        if blank and not value.strip():
            raise ValueError("must not be blank")
        if multiline:
            if not plain(value, multiline=True):
                check_text(value, multiline=True)
        elif not (value.isascii() and value.isprintable()):  # plain(), inline: 60,000 calls
            check_text(value)
        if by_venue:
            return venue(value, vocabulary)
        return rule(value) if rule else value

    return text


#: Each field's check by name, for Pydantic (which checks types and lengths itself);
#: fields without one are absent.
CHECKS: dict[str, Check] = {f.name: check for f in FIELDS if (check := field_check(f)) is not None}
