"""Accept a valid catalog without Pydantic; leave everything else to :mod:`.models`.

Reading a catalog validates every paper. Pydantic costs ~80 ms to import and build the
schema, and ~25 us a paper (a dozen calls back into Python for the field rules), which
made a first ``scc check`` of 10,000 papers take more than twice its TOML parse. Here
each field is one precompiled Python function: the type and length checks Pydantic
derives from :data:`speechcompress.paper.FIELDS` (strict: ``str`` only for a text,
``int`` and not ``bool`` for a number), then the same rules (:mod:`speechcompress.rules`).

These functions only ever *accept*: a table that is not certainly valid (a wrong type,
an unknown key, a missing field, a broken rule) gives None, and the caller asks
:mod:`speechcompress.models`, which explains what is wrong. A table accepted here gives
the :class:`~speechcompress.paper.Paper` Pydantic would give;
``tests/test_fast_validate.py`` compares the two on generated tables, valid and not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from speechcompress.paper import FIELDS, Catalog, FieldSpec, Paper
from speechcompress.rules import (
    MAX_ALIASES,
    MAX_HEADER_ITEMS,
    MAX_HEADER_TEXT,
    MAX_HEADER_TITLE,
    MAX_NAME,
    check_text,
    field_check,
)
from speechcompress.vocab import VENUE_KINDS, Venue, Vocabulary

#: One field's value as kept, or ``ValueError`` (a field's type and limits, then its rule).
_Accept = Callable[[Any, Vocabulary], Any]


def _accepter(spec: FieldSpec) -> _Accept:
    """The whole check of one field, built once from its spec."""
    check = field_check(spec, typed=True)  # texts and lists: type, length and rule
    if check is not None:
        return check
    if spec.kind == "int":
        low, high = spec.low, spec.high

        def accept_int(value: Any, vocabulary: Vocabulary) -> int:
            if type(value) is not int:  # not bool either, as in strict mode
                raise ValueError
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError
            return value

        return accept_int

    def accept_date(value: Any, vocabulary: Vocabulary) -> dt.date:
        if type(value) is not dt.date:  # a datetime is left to Pydantic
            raise ValueError
        return value

    return accept_date


_ACCEPT: dict[str, _Accept] = {f.name: _accepter(f) for f in FIELDS}
_REQUIRED = frozenset(f.name for f in FIELDS if f.required)


def accept_paper(raw: Any, vocabulary: Vocabulary, line: int = 0) -> Paper | None:
    """The paper a raw ``[[papers]]`` table holds, or None when it is not certainly valid."""
    if type(raw) is not dict or not _REQUIRED.issubset(raw):
        return None
    try:
        values = {name: _ACCEPT[name](value, vocabulary) for name, value in raw.items()}
    except (KeyError, ValueError):  # an unknown field, a wrong or invalid value
        return None
    return Paper(**values, line=line)


def accept_header(raw: Any) -> Catalog | None:
    """The ``[catalog]`` table as a catalog without papers, or None when it is not
    certainly valid."""
    if type(raw) is not dict or not {"title"} <= raw.keys() <= _HEADER_KEYS:
        return None
    try:
        title = _text(raw["title"], MAX_HEADER_TITLE, least=1)
        description = _text(raw.get("description", ""), MAX_HEADER_TEXT, multiline=True)
        footer = _text(raw.get("footer", ""), MAX_HEADER_TEXT, multiline=True)
        venues = _venues(raw.get("venues", {}))
        hosts = _texts(raw.get("official_hosts", []), MAX_HEADER_ITEMS, MAX_NAME, least=1)
    except ValueError:
        return None
    return Catalog(title, description, footer, venues, official_hosts=hosts)


_HEADER_KEYS = frozenset({"title", "description", "footer", "venues", "official_hosts"})
_VENUE_KEYS = frozenset({"kind", "name", "aliases"})


def _text(value: Any, most: int, *, least: int = 0, multiline: bool = False) -> str:
    if type(value) is not str or not least <= len(value) <= most:
        raise ValueError
    return check_text(value, multiline=multiline)


def _texts(value: Any, items: int, most: int, *, least: int = 0) -> tuple[str, ...]:
    if type(value) is not list or len(value) > items:
        raise ValueError
    return tuple(_text(item, most, least=least) for item in value)


def _venues(value: Any) -> tuple[Venue, ...]:
    if type(value) is not dict or len(value) > MAX_HEADER_ITEMS:
        raise ValueError
    venues = []
    for name, entry in value.items():
        _text(name, MAX_NAME)
        if type(entry) is not dict or not {"kind"} <= entry.keys() <= _VENUE_KEYS:
            raise ValueError
        kind = entry["kind"]
        if type(kind) is not str or kind not in VENUE_KINDS:
            raise ValueError
        full = _text(entry.get("name", ""), MAX_NAME)
        aliases = _texts(entry.get("aliases", []), MAX_ALIASES, MAX_NAME)
        venues.append(Venue(name, kind, full, aliases))
    return tuple(venues)
