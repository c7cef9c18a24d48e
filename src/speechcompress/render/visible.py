"""Control characters made visible, so no catalog text can drive the user's terminal.

A title or abstract holding ``ESC ] 52 ; ... BEL`` (OSC 52 writes the clipboard) or any
other escape sequence must never reach a terminal raw, whatever loaded it (a catalog
with a future field, an arXiv answer). Each C0 control becomes its Unicode "control
picture" (ESC -> ␛), DEL becomes ␡ and each C1 control U+FFFD: one character for
one, so highlight spans computed on the original text still fit.
"""

from __future__ import annotations

_PICTURES = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421}
_C1 = dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_ALL = _PICTURES | _C1
_KEEP_NEWLINES = {c: p for c, p in _ALL.items() if c != 0x0A}
#: JSON escapes C0 itself; DEL and C1 it leaves raw unless told to write ASCII.
_JSON = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0))}


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible stand-in."""
    if text.isprintable():  # the common case, at C speed
        return text
    return text.translate(_KEEP_NEWLINES if keep_newlines else _ALL)


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u`` escapes (still the same JSON)."""
    if text.isascii() and "\x7f" not in text:
        return text
    return text.translate(_JSON)
