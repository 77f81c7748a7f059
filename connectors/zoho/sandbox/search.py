"""The search endpoint's matchers: ``criteria`` expressions, ``email``, ``phone``, ``word``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.zoho.sandbox.metadata import ModuleSpec
from connectors.zoho.sandbox.replies import ZohoApiError
from connectors.zoho.sandbox.store import StoredRecord
from connectors.zoho.sandbox.timefmt import parse_zoho_datetime

__all__ = ["MAX_CRITERIA", "matcher_for"]

MAX_CRITERIA = 10
Matcher = Callable[[StoredRecord], bool]
_OPERATORS = frozenset(
    {
        "equals",
        "not_equal",
        "starts_with",
        "in",
        "not_in",
        "greater_than",
        "greater_equal",
        "less_than",
        "less_equal",
        "between",
    }
)


def matcher_for(spec: ModuleSpec, kind: str, value: str) -> Matcher:
    if kind == "criteria":
        return _CriteriaParser(spec, value).parse()
    types = {"email": ("email",), "phone": ("phone",), "word": ("text", "email", "phone")}[kind]
    names = [f.api_name for f in spec.fields if f.data_type in types]
    needle = value.strip().casefold()

    def match(record: StoredRecord) -> bool:
        for name in names:
            held = record.values.get(name)
            if isinstance(held, str) and (
                needle in held.casefold() if kind == "word" else held.casefold() == needle
            ):
                return True
        return False

    return match


def _invalid_query() -> ZohoApiError:
    return ZohoApiError(400, "INVALID_QUERY", "invalid query formed", {"param_name": "criteria"})


class _CriteriaParser:
    """``((Field:op:value)and(Field:op:value))``, with ``\\(``, ``\\)``, ``\\,`` escapes."""

    def __init__(self, spec: ModuleSpec, text: str) -> None:
        self.spec = spec
        self.text = text
        self.pos = 0
        self.count = 0

    def parse(self) -> Matcher:
        matcher = self._expression()
        if self.pos != len(self.text):
            raise _invalid_query()
        if self.count > MAX_CRITERIA:
            raise ZohoApiError(
                400,
                "LIMIT_EXCEEDED",
                "Maximum lookup field limit in criteria exceeded",
                {"limit": MAX_CRITERIA, "param_name": "criteria"},
            )
        return matcher

    def _expression(self) -> Matcher:
        left = self._group()
        while self.text.startswith(("and", "or"), self.pos):
            joiner = "and" if self.text.startswith("and", self.pos) else "or"
            self.pos += len(joiner)
            right = self._group()
            left = _join(left, right, joiner)
        return left

    def _group(self) -> Matcher:
        if not self.text.startswith("(", self.pos):
            raise _invalid_query()
        self.pos += 1
        matcher = self._expression() if self.text.startswith("(", self.pos) else self._condition()
        if not self.text.startswith(")", self.pos):
            raise _invalid_query()
        self.pos += 1
        return matcher

    def _condition(self) -> Matcher:
        raw: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != ")":
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                raw.append("\x00" + self.text[self.pos + 1])  # marks an escaped character
                self.pos += 2
                continue
            raw.append(char)
            self.pos += 1
        field_name, _, rest = "".join(raw).partition(":")
        operator, _, value = rest.partition(":")
        if operator not in _OPERATORS or (
            self.spec.field(field_name) is None and field_name != "id"
        ):
            raise _invalid_query()
        self.count += 1
        values = [v.replace("\x00", "") for v in _split_unescaped(value)]
        return _condition(field_name, operator, values)


def _split_unescaped(value: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\x00":
            current += value[i : i + 2]
            i += 2
            continue
        if value[i] == ",":
            parts.append(current)
            current = ""
        else:
            current += value[i]
        i += 1
    parts.append(current)
    return parts


def _join(left: Matcher, right: Matcher, joiner: str) -> Matcher:
    if joiner == "and":
        return lambda r: left(r) and right(r)
    return lambda r: left(r) or right(r)


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    if len(text) >= 19 and text[4:5] == "-" and "T" in text:
        parsed = parse_zoho_datetime(text)
        if parsed is not None:
            return parsed
    try:
        return float(text)
    except ValueError:
        return text.casefold()


def _condition(name: str, operator: str, raw_values: list[str]) -> Matcher:
    wanted = [_comparable(v) for v in raw_values]

    def held(record: StoredRecord) -> Any:
        if name == "id":
            return _comparable(record.id)
        if name in ("Created_Time", "Modified_Time"):
            return record.created if name == "Created_Time" else record.modified
        return _comparable(record.values.get(name))

    def match(record: StoredRecord) -> bool:
        value = held(record)
        try:
            if operator == "equals":
                return value in wanted
            if operator == "not_equal":
                return value not in wanted
            if operator == "in":
                return value in wanted
            if operator == "not_in":
                return value not in wanted
            if operator == "starts_with":
                return isinstance(value, str) and value.startswith(str(wanted[0]))
            if value is None:
                return False
            if operator == "greater_than":
                return bool(value > wanted[0])
            if operator == "greater_equal":
                return bool(value >= wanted[0])
            if operator == "less_than":
                return bool(value < wanted[0])
            if operator == "less_equal":
                return bool(value <= wanted[0])
            return bool(wanted[0] <= value <= wanted[-1])  # between
        except TypeError:
            return False

    return match
