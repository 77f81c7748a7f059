"""Initial match: find the target record a source record already has, by business keys.

A first sync into a CRM that already holds some of the customers must link them, not create
them again. The target object is read once and indexed by the keys of ``sync.match_on``
(normalised email, E.164 mobile or phone); each source record without a link takes the
target record its keys point at, unless the keys are ambiguous (two target records share
the email) or the record was claimed by another source record already.

The same keys let a later run find a record whose create reply was lost (write intents).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from pydantic import JsonValue

__all__ = ["KeyIndex", "match_keys"]

log = logging.getLogger(__name__)

# match_on name -> canonical value key. "dedupe" (probabilistic matching) is the dedupe job's.
_KEY_FIELDS = {"email": "email", "mobile": "mobile", "phone": "phone"}


def _normal(key: str, value: JsonValue) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if key == "email":
        return text.casefold()
    # Mapped numbers are E.164 already; separators only survive in hand-made values.
    return "".join(ch for ch in text if ch == "+" or ch.isdigit()) or None


def match_keys(values: Mapping[str, JsonValue], match_on: Sequence[str]) -> dict[str, str]:
    """The business keys of flat canonical values, in ``match_on`` order (empty ones left out)."""
    keys: dict[str, str] = {}
    for key in match_on:
        field = _KEY_FIELDS.get(key)
        if field is None:
            continue
        normal = _normal(key, values.get(field))
        if normal is not None:
            keys[key] = normal
    return keys


class KeyIndex:
    """Record ids by business key; each record can be claimed by one source record only."""

    def __init__(self, match_on: Sequence[str]) -> None:
        self.match_on = tuple(match_on)
        self._ids: dict[tuple[str, str], set[str]] = {}
        self._claimed: set[str] = set()

    def __len__(self) -> int:
        return len({i for ids in self._ids.values() for i in ids})

    def add(self, record_id: str, values: Mapping[str, JsonValue]) -> None:
        for key, value in match_keys(values, self.match_on).items():
            self._ids.setdefault((key, value), set()).add(record_id)

    def add_all(self, records: Iterable[tuple[str, Mapping[str, JsonValue]]]) -> None:
        for record_id, values in records:
            self.add(record_id, values)

    def claim_taken(self, record_ids: Iterable[str]) -> None:
        """Mark records as taken (already linked to another canonical id)."""
        self._claimed.update(record_ids)

    def release(self, record_id: str) -> None:
        """Give back a record ``find`` claimed and the caller turned down."""
        self._claimed.discard(record_id)

    def find(self, keys: Mapping[str, str]) -> str | None:
        """The one unclaimed record the keys point at, trying keys in ``match_on`` order.

        A key shared by several records is ambiguous and skipped (the next key may decide);
        a record found is claimed, so no second source record links to it.
        """
        for key in self.match_on:
            value = keys.get(key)
            if value is None:
                continue
            free = self._ids.get((key, value), set()) - self._claimed
            if len(free) == 1:
                (found,) = free
                self._claimed.add(found)
                return found
            if len(free) > 1:
                log.info("match on %s=%s is ambiguous: %d target records", key, value, len(free))
        return None
