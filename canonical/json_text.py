"""JSON text of strings and numbers as ``json.dumps`` writes them (``ensure_ascii=False``),
for code that joins many JSON documents from pieces instead of encoding each whole."""

from __future__ import annotations

import json
import math
import re
from typing import Final

__all__ = ["json_number", "json_string", "needs_escape"]

# What json.dumps(ensure_ascii=False) escapes in a string.
_NEEDS_ESCAPE: Final = re.compile(r'["\\\x00-\x1f]')


def needs_escape(value: str) -> bool:
    """Whether JSON writes ``value`` otherwise than between two quotes."""
    return _NEEDS_ESCAPE.search(value) is not None


def json_string(value: str) -> str:
    """``json.dumps(value, ensure_ascii=False)`` of a string, without the encoder's setup."""
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def json_number(value: float) -> str:
    """``json.dumps(value)`` of a number."""
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)
