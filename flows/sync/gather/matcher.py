"""Initial match: find the target record a source record already has, by business keys.

A first sync into a CRM that already holds some of the customers must link them, not create
them again. The target object is read once and indexed by the keys of ``sync.match_on``
(normalised email, E.164 mobile or phone); each source record without a link takes the
target record its keys point at, unless the keys are ambiguous (two target records share
the email), the record was claimed by another source record already, or a stronger key says
it is somebody else: a mobile typed into many contacts (a front desk's, a switchboard's)
points at one colleague whose email is not this person's.

The same keys let a later run find a record whose create reply was lost (write intents).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from pydantic import JsonValue

__all__ = ["BUSINESS_KEYS", "KeyIndex", "match_keys"]

log = logging.getLogger(__name__)

# match_on name -> canonical value key. "dedupe" (probabilistic matching) is the dedupe job's.
_KEY_FIELDS = {"email": "email", "mobile": "mobile", "phone": "phone"}
BUSINESS_KEYS = ("email", "mobile", "phone")
"""Every business key, strongest first: an email is one person's, a mobile now and then a
front desk's, a landline often a whole office's."""


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
        self._held: dict[str, dict[str, str]] = {}
        self._claimed: set[str] = set()

    def __len__(self) -> int:
        return len(self._held)

    def add(self, record_id: str, values: Mapping[str, JsonValue]) -> None:
        held = match_keys(values, BUSINESS_KEYS)
        self._held[record_id] = held
        for key in self.match_on:
            if key in held:
                self._ids.setdefault((key, held[key]), set()).add(record_id)

    def add_all(self, records: Iterable[tuple[str, Mapping[str, JsonValue]]]) -> None:
        for record_id, values in records:
            self.add(record_id, values)

    def claim_taken(self, record_ids: Iterable[str]) -> None:
        """Mark records as taken (already linked to another canonical id)."""
        self._claimed.update(record_ids)

    def find(self, keys: Mapping[str, str], *, all_agree: bool = False) -> str | None:
        """The one unclaimed record the keys point at (see ``match``)."""
        return self.match([keys], all_agree=all_agree)[0]

    def match(
        self, sources: Sequence[Mapping[str, str]], *, all_agree: bool = False
    ) -> list[str | None]:
        """The record each source's keys point at, or None, trying keys in ``match_on``
        order: every source's email first, then the mobiles of those left, so a colleague
        read first cannot take by a shared mobile the record another source's email names.

        A key shared by several records is ambiguous and skipped (the next key may decide).
        A record holding another value of a stronger key than the one that found it (a
        shared mobile, another email) is somebody else's and skipped too; with ``all_agree``
        every key both hold must agree (a create's intent against the record it made).
        A record found is claimed, so no second source links to it.

        ``sources``: each source record's business keys, every one it has
        (``BUSINESS_KEYS``), not only those of ``match_on``: a key not matched on can still
        tell people apart.
        """
        found: list[str | None] = [None] * len(sources)
        for key in self.match_on:
            for i, keys in enumerate(sources):
                if found[i] is None and key in keys:
                    found[i] = self._find_by(key, keys, all_agree)
        return found

    def _find_by(self, key: str, keys: Mapping[str, str], all_agree: bool) -> str | None:
        value = keys[key]
        free = self._ids.get((key, value), set()) - self._claimed
        if len(free) != 1:
            if free:
                log.info("match on %s=%s is ambiguous: %d target records", key, value, len(free))
            return None
        (record_id,) = free
        clash = self._clash(keys, record_id, key, all_agree)
        if clash:
            log.info("match on %s points at %s, which holds another %s: not linked",
                     key, record_id, ", ".join(clash))  # fmt: skip
            return None
        self._claimed.add(record_id)
        return record_id

    def _clash(self, keys: Mapping[str, str], found: str, by: str, all_agree: bool) -> list[str]:
        """The keys both hold with different values that may overrule a match made by ``by``."""
        held = self._held[found]
        judges = BUSINESS_KEYS if all_agree else BUSINESS_KEYS[: BUSINESS_KEYS.index(by)]
        return [k for k in judges if k in keys and k in held and keys[k] != held[k]]
