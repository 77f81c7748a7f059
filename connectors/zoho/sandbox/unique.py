"""An index of one module's unique (and duplicate-check) field values -> record ids.

Zoho refuses a second record with the same unique value (``Contacts.Email``,
``Accounts.Account_Name``) and upserts match on duplicate-check fields. Looking a value up
here, rather than scanning every record, keeps a 10,000-record load linear.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

__all__ = ["UniqueIndex", "blank", "normal"]


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normal(value: Any) -> Any:
    """How Zoho compares unique values: text trimmed and case-folded."""
    return value.strip().casefold() if isinstance(value, str) else value


def _key(value: Any) -> Hashable | None:
    """The index key of a field value; None for empty and unhashable (lookup) values."""
    if blank(value) or isinstance(value, dict | list):
        return None
    key = normal(value)
    return key if isinstance(key, Hashable) else None


class UniqueIndex:
    """Field -> normalised value -> ids of the records that hold it, for ``fields`` only.

    Callers ``leave`` a record before changing its values and ``enter`` it afterwards.
    """

    def __init__(self, fields: Iterable[str]) -> None:
        self._ids: dict[str, dict[Hashable, set[str]]] = {name: {} for name in fields}

    def covers(self, field: str) -> bool:
        return field in self._ids

    def enter(self, record_id: str, values: Mapping[str, Any]) -> None:
        for name, ids in self._ids.items():
            key = _key(values.get(name))
            if key is not None:
                ids.setdefault(key, set()).add(record_id)

    def leave(self, record_id: str, values: Mapping[str, Any]) -> None:
        for name, ids in self._ids.items():
            key = _key(values.get(name))
            holders = ids.get(key) if key is not None else None
            if holders is not None:
                holders.discard(record_id)
                if not holders:
                    del ids[key]

    def holders(self, field: str, value: Any) -> list[str]:
        """Ids of the records indexed under ``value`` of ``field``, oldest id first."""
        key = _key(value)
        if key is None:
            return []
        return sorted(self._ids.get(field, {}).get(key, ()))
