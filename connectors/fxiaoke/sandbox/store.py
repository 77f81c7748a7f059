"""In-memory records of every object, in their wire form (ms epochs, owner id lists, `_id`).

Tests seed and inspect data here directly; the HTTP handlers use the same store under its lock.
Direct writes skip validation on purpose: seeding must be able to hold whatever a tenant holds.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from connectors.fxiaoke.sandbox.config import Clock, SandboxCredentials
from connectors.fxiaoke.sandbox.describes import (
    PRESET_OBJECTS,
    FieldSpec,
    ObjectSpec,
    custom_feedback_object,
    object_from_wire,
)
from connectors.fxiaoke.sandbox.tenant import SERVICE_OBJECTS, customised, field_from_wire

__all__ = ["Record", "RecordStore", "UnknownObjectError"]

logger = logging.getLogger(__name__)

Record = dict[str, Any]


class UnknownObjectError(KeyError):
    """An object apiName the store has no describe for."""


class RecordStore:
    """Records per object apiName, keyed by `_id`; thread-safe through `lock`."""

    def __init__(self, clock: Clock, credentials: SandboxCredentials, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self._credentials = credentials
        self._machine = (seed * 2654435761 + 0x5A17) % (1 << 24)
        self._counter = 0
        self._auto_numbers: dict[str, int] = {}
        self._objects: dict[str, ObjectSpec] = {}
        self._records: dict[str, dict[str, Record]] = {}
        for spec in (*PRESET_OBJECTS, *SERVICE_OBJECTS, custom_feedback_object()):
            self.define(spec)

    # -- describes -------------------------------------------------------------------------

    def define(self, spec: ObjectSpec) -> None:
        """Add or replace an object's describe (custom `__c` objects, tenant variants)."""
        with self.lock:
            self._objects[spec.api_name] = spec
            self._records.setdefault(spec.api_name, {})

    def customise(self, api_name: str, fields: Iterable[FieldSpec]) -> None:
        """Add custom fields, or options to a picklist, of an object (see ``tenant``)."""
        with self.lock:
            self._objects[api_name] = customised(self.spec(api_name), fields)

    def spec(self, api_name: str) -> ObjectSpec:
        try:
            return self._objects[api_name]
        except KeyError:
            raise UnknownObjectError(api_name) from None

    def has_object(self, api_name: str) -> bool:
        return api_name in self._objects

    def objects(self) -> list[ObjectSpec]:
        return list(self._objects.values())

    # -- ids and time ----------------------------------------------------------------------

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    def new_id(self) -> str:
        """24 hex digits like a Mongo ObjectId: time, a seed-derived machine part, a counter.

        Ids created later sort after earlier ones, as on the real service.
        """
        with self.lock:
            self._counter += 1
            return f"{int(self._clock()) & 0xFFFFFFFF:08x}{self._machine:06x}{self._counter:010x}"

    def next_auto_number(self, spec: ObjectSpec) -> str:
        with self.lock:
            n = self._auto_numbers.get(spec.api_name, 0) + 1
            self._auto_numbers[spec.api_name] = n
            return f"{spec.auto_name_prefix or 'NO'}-{n:06d}"

    # -- direct access (tests, seeding) ----------------------------------------------------

    def insert(self, api_name: str, record: Mapping[str, Any]) -> str:
        """Store a record as given, filling system fields it lacks; returns its `_id`."""
        spec = self.spec(api_name)
        with self.lock:
            now = self.now_ms()
            row: Record = dict(record)
            row.setdefault("_id", self.new_id())
            owner = row.setdefault("owner", [self._credentials.admin.open_user_id])
            row.setdefault("created_by", list(owner))
            row.setdefault("last_modified_by", list(owner))
            row.setdefault("create_time", now)
            row.setdefault("last_modified_time", row["create_time"])
            row.setdefault("life_status", "normal")
            row.setdefault("lock_status", "0")
            row.setdefault("record_type", "default__c")
            row.setdefault("version", "1")
            row.setdefault("is_deleted", False)
            row["object_describe_api_name"] = api_name
            if spec.auto_name_prefix and not row.get("name"):
                row["name"] = self.next_auto_number(spec)
            self._records[api_name][str(row["_id"])] = row
            return str(row["_id"])

    def insert_many(self, api_name: str, records: Iterable[Mapping[str, Any]]) -> list[str]:
        with self.lock:
            return [self.insert(api_name, r) for r in records]

    def get(self, api_name: str, record_id: str) -> Record | None:
        """A copy of the record, or None."""
        with self.lock:
            row = self._records.get(api_name, {}).get(record_id)
            return copy.deepcopy(row) if row is not None else None

    def records(self, api_name: str) -> list[Record]:
        with self.lock:
            return copy.deepcopy(list(self._records.get(api_name, {}).values()))

    def count(self, api_name: str) -> int:
        with self.lock:
            return len(self._records.get(api_name, {}))

    def modify(self, api_name: str, record_id: str, changes: Mapping[str, Any]) -> None:
        """Change a record as a user in the CRM would: bumps last_modified_time and version."""
        with self.lock:
            row = self.live(api_name)[record_id]
            row.update(changes)
            self.touch(row, None)

    def remove(self, api_name: str, record_id: str) -> None:
        with self.lock:
            del self.live(api_name)[record_id]

    def load_seed_file(self, path: Path) -> int:
        """Load `{"objects": [describe...], "fields": {apiName: [field...]}, "records":
        {apiName: [record...]}}`; returns rows. `fields` adds custom fields (or picklist
        options) to existing objects; `users` is read by the server (its contact book).
        A plain `{apiName: [record...]}` map is accepted too.
        """
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: expected a JSON object at the top level")
        for wire in raw.get("objects", []):
            self.define(object_from_wire(wire))
        for api_name, fields in raw.get("fields", {}).items():
            self.customise(api_name, [field_from_wire(f) for f in fields])
        records = raw.get(
            "records", {k: v for k, v in raw.items() if k not in ("objects", "fields", "users")}
        )
        loaded = 0
        for api_name, rows in records.items():
            loaded += len(self.insert_many(api_name, rows))
        logger.info("seeded %d records from %s", loaded, path)
        return loaded

    # -- for handlers (caller holds `lock`) ------------------------------------------------

    def live(self, api_name: str) -> dict[str, Record]:
        """The store's own map of records for an object (not a copy)."""
        self.spec(api_name)
        return self._records[api_name]

    def touch(self, row: Record, operator_id: str | None) -> None:
        now = self.now_ms()
        # Strictly increasing per record, so a change is never hidden inside the same ms.
        row["last_modified_time"] = max(now, int(row.get("last_modified_time", 0)) + 1)
        row["version"] = str(int(row.get("version", "0") or 0) + 1)
        if operator_id is not None:
            row["last_modified_by"] = [operator_id]
