"""Text clean-up shared by every normaliser: half-width, whitespace, simplified Chinese."""

from __future__ import annotations

import re
from typing import Final

import opencc

__all__ = ["clean_whitespace", "to_halfwidth", "to_simplified"]

# Built once: loading OpenCC's dictionaries costs milliseconds, a conversion about a microsecond.
_T2S: Final = opencc.OpenCC("t2s")

# Full-width ASCII variants sit at a fixed offset from ASCII; U+3000 is the ideographic space.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

# Zero-width characters are invisible format characters, not whitespace (str.split ignores them);
# they are deleted rather than turned into spaces so "张\u200b伟" stays one word.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


# str.translate looks every character of non-ASCII text up in its table, about 0.1 us each;
# a regular expression search finds in a fraction of that that there is nothing to map.
_FULLWIDTH: Final = re.compile("[\uff01-\uff5e\u3000]")
_ZERO_WIDTH_CHAR: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII (U+FF01..U+FF5E) and U+3000 to ASCII; CJK text is untouched."""
    return text.translate(_HALFWIDTH) if _FULLWIDTH.search(text) else text


def clean_whitespace(text: str) -> str:
    """Collapse runs of any Unicode whitespace to one space, drop zero-width characters, strip."""
    if _ZERO_WIDTH_CHAR.search(text):
        text = text.translate(_ZERO_WIDTH)
    return " ".join(text.split())


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (OpenCC t2s); other text is untouched."""
    if text.isascii():
        return text
    return str(_T2S.convert(text))
