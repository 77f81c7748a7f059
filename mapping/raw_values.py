"""Raw values as a system hands them over: when one is empty, reading one out of a record
(dotted names, joined name parts), and showing one in a report or a dead letter."""

from __future__ import annotations

import json
from collections.abc import Mapping

from mapping.context import JsonValue

__all__ = ["as_written", "excerpt", "is_empty", "joined_value", "read_value"]


_MAX_VALUE_CHARS = 200


def is_empty(value: JsonValue) -> bool:
    """No value as a CRM means it: null, blank text, or an empty list (nothing chosen)."""
    if isinstance(value, str):
        return not value or value.isspace()
    return value is None or value == []


def read_value(raw: Mapping[str, JsonValue], source: str) -> JsonValue:
    """A raw value by name; dotted names reach into nested JSON objects (Owner.email)."""
    value = raw.get(source)
    if value is not None or "." not in source or source in raw:
        return value
    value = dict(raw)
    for part in source.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def joined_value(raw: Mapping[str, JsonValue], sources: tuple[str, ...]) -> JsonValue:
    """Several raw text fields as one value (Last Name + First Name): Chinese parts run
    together (王 + 建平 = 王建平), anything else joined by a space; None when all are empty."""
    parts = [v.strip() for v in (read_value(raw, s) for s in sources) if isinstance(v, str)]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if all(_is_cjk(p) for p in parts):
        return "".join(parts)
    return " ".join(parts)


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def excerpt(value: JsonValue) -> str | None:
    """A raw value short enough for a report or a dead letter."""
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[:_MAX_VALUE_CHARS] + "…"


def as_written(value: JsonValue) -> str:
    """A raw value as text, to keep it as written."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
