"""A stable fingerprint of canonical values, for the write ledger, shadows and apply checks.

Keys whose value is None are left out, so a field that is absent and a field that is empty
fingerprint the same: systems differ in whether they return empty fields at all. Integral
floats count as integers (5.0 == 5), as in reconciliation checksums.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping

from pydantic import JsonValue

__all__ = ["fingerprint", "fingerprint_json", "fingerprint_of", "same_value"]


def _normal(value: JsonValue) -> JsonValue:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def fingerprint_json(values: Mapping[str, JsonValue]) -> str:
    """Sorted keys, no whitespace, UTF-8 text kept as is; None values dropped."""
    present = {key: _normal(value) for key, value in values.items() if value is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(values: Mapping[str, JsonValue]) -> str:
    """The sha256 hex digest of ``fingerprint_json(values)``."""
    return hashlib.sha256(fingerprint_json(values).encode("utf-8")).hexdigest()


def fingerprint_of(values: Mapping[str, JsonValue], fields: Collection[str]) -> str:
    """The fingerprint of ``values`` restricted to ``fields``: what the planner compares, so
    fields that are not synced (computed by the CRM, owner names) cannot hide an echo."""
    return fingerprint({key: values[key] for key in fields if key in values})


def same_value(x: JsonValue, y: JsonValue) -> bool:
    """Whether two values fingerprint alike (None == absent, 5.0 == 5)."""
    return x == y or fingerprint_json({"v": x}) == fingerprint_json({"v": y})
