"""Text folding shared by search, duplicate detection and id generation."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus accents.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ı": "i",  # noqa: RUF001 - the dotless i is the point: it has no NFKD decomposition
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``Guimarães`` -> ``guimaraes``."""
    # Translate after decomposing, so that Ǿ (Ø + acute) becomes o like Ø does.
    decomposed = unicodedata.normalize("NFKD", text).translate(_SPECIAL)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``; hyphens and punctuation separate words."""
    return _WORD.findall(fold(text))


def normalized_title(title: str) -> str:
    """A title reduced to letters and digits, for duplicate detection."""
    return "".join(words(title))


def slugify(text: str, max_words: int = 4) -> str:
    """A short id: ``"DPHuBERT: Joint ..."`` -> ``dphubert``; else the first few words."""
    head, sep, _ = text.partition(":")
    source = head if sep and 1 <= len(words(head)) <= 3 else text
    parts = words(source)
    if source is text:
        parts = [w for w in parts if w not in _STOP] or parts
    return "-".join(parts[:max_words]) or "paper"


_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "with",
        "via",
        "by",
        "from",
        "at",
        "is",
        "are",
        "as",
        "or",
        "its",
    ]
)
