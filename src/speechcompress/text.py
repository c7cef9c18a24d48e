"""Text folding shared by search, duplicate detection and id generation."""

from __future__ import annotations

import functools
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
_SEPARATORS = re.compile(r"[\W_]+")
# For ASCII text, words are runs of letters and digits: translate + split is ~5x faster
# than the regular expressions, which matters when indexing thousands of abstracts.
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``Guimarães`` -> ``guimaraes``."""
    if text.isascii():  # the common case, and by far the cheapest
        return text.casefold()
    # Translate after decomposing, so that Ǿ (Ø + acute) becomes o like Ø does.
    decomposed = unicodedata.normalize("NFKD", text).translate(_SPECIAL)
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``; hyphens and punctuation separate words.

    Separators are found before folding (folding ``℃`` yields a letter), so the words
    of a text are exactly the folded words of each of its original words, in order.
    Search relies on that: its index and its in-memory matcher must agree.
    """
    if text.isascii():
        return text.lower().translate(_ASCII_SEPARATORS).split()
    # Equal to _WORD.findall(fold(_SEPARATORS.sub(" ", text))): folding maps a space to a
    # space and never reorders across it, so each run of letters and digits folds alone.
    # Runs repeat (author names, words of a language), so their folding is cached.
    found: list[str] = []
    for run in _SEPARATORS.split(text):
        if run.isascii():
            if run:
                found.append(run.lower())
        else:
            found += _folded_words(run)
    return found


@functools.lru_cache(maxsize=8192)
def _folded_words(run: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(run)))


def normalized_title(title: str) -> str:
    """A title reduced to letters and digits, for duplicate detection."""
    if title.isascii():  # its words, joined: the letters and digits, lower-cased
        return title.encode().translate(_LOWER, _NOT_ALNUM).decode()  # bytes: 8x str's
    return "".join(words(title))


_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def slugify(text: str, max_words: int = 4) -> str:
    """A short id: ``"DPHuBERT: Joint ..."`` -> ``dphubert``; else the first few words."""
    head, sep, _ = text.partition(":")
    source = head if sep and 1 <= len(words(head)) <= 3 else text
    parts = words(source)
    if source is text:
        parts = [w for w in parts if w not in STOP_WORDS] or parts
    return "-".join(parts[:max_words]) or "paper"


#: Words a slug or a citation key skips ("the", "of", ...).
STOP_WORDS = frozenset("a an and the of for to in on with via by from at is are as or its".split())
