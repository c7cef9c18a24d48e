"""Splitting an author's name into given and family parts, for citation formats.

The catalog stores names as written ("Hung-yi Lee"). The family name is the last word,
with the lower-case particles before it ("Ludwig van Beethoven" -> "van Beethoven");
a one-word name (an organisation, a mononym) has no split.
"""

from __future__ import annotations


def split_name(name: str) -> tuple[str, str] | None:
    """(given, family), or None for a name of one word."""
    parts = name.split()
    if len(parts) < 2:
        return None
    start = len(parts) - 1
    while start > 1 and parts[start - 1][:1].islower():
        start -= 1
    return " ".join(parts[:start]), " ".join(parts[start:])
